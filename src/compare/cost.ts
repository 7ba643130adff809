/** Monthly cost of each option [E]: capacity from the packing model, prices from the table, every line itemised. */
import { DeclarationError } from '../declaration/errors.js';
import { ecsRegisteredMemoryMiB, gkeAllocatable, type NodeCapacity } from './capacity.js';
import type { EcsTaskSummary } from './ecs-input.js';
import { EC2_INSTANCES, GKE_MACHINES, type Assumptions, type MachineType } from './machines.js';
import { packPods, type Packing } from './packing.js';
import type { PriceKey, PriceTable } from './prices.js';
import type { PodItem } from './workload.js';

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  /** USD per month. */
  readonly monthly: number;
  readonly priceKey?: PriceKey;
}

export interface OptionCost {
  readonly id: 'gke-standard' | 'gke-autopilot' | 'ecs-ec2' | 'ecs-fargate' | 'legacy';
  readonly label: string;
  /** Node or instance type, when the option has nodes. */
  readonly machine?: string;
  readonly nodes?: number;
  readonly capacity?: NodeCapacity;
  readonly lines: readonly CostLine[];
  /** USD per month, an estimate. */
  readonly monthly: number;
  /** What the lines do not show (e.g. Fargate's rounding waste). @default none */
  readonly notes?: readonly string[];
}

export interface NodeChoice {
  readonly machine: MachineType;
  readonly capacity: NodeCapacity;
  readonly packing: Packing;
  readonly nodes: number;
}

/** What the options share: the load balancing facts from the GKE rendering. */
export interface LbFacts {
  /** Services behind the Ingress (each would get its own ALB in the legacy design). */
  readonly publicServices: number;
  /** Forwarding rules of the one Ingress (HTTP, plus HTTPS with TLS); 0 without an Ingress. */
  readonly forwardingRules: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const sum = (lines: readonly CostLine[]): number => round2(lines.reduce((s, l) => s + l.monthly, 0));

function line(item: string, quantity: number, unit: string, unitPrice: number, monthly: number, priceKey?: PriceKey): CostLine {
  return { item, quantity, unit, unitPrice, monthly: round2(monthly), priceKey };
}

/** Capacity of one GKE node for pods: allocatable minus the DaemonSet overhead. */
export function gkeNodeCapacity(m: MachineType, a: Assumptions): NodeCapacity {
  const alloc = gkeAllocatable(m.vcpu * 1000, m.memoryMiB);
  return { cpuMilli: alloc.cpuMilli - a.gkeDaemonSetCpuMilli, memoryMiB: alloc.memoryMiB - a.gkeDaemonSetMemoryMiB, pods: a.gkeMaxPods };
}

/** Capacity of one ECS instance for tasks: registered CPU units (as millicores) and registered memory. */
export function ecsInstanceCapacity(m: MachineType, a: Assumptions): NodeCapacity {
  return { cpuMilli: (m.vcpu * 1024 * 1000) / 1024, memoryMiB: ecsRegisteredMemoryMiB(m.memoryMiB, a.ecsReservedMemoryMiB) };
}

/** Packs onto every candidate type and keeps the cheapest that places every pod (ties: the table's order). */
export function chooseNodes(
  items: readonly PodItem[],
  machines: readonly MachineType[],
  capacityOf: (m: MachineType) => NodeCapacity,
  priceOf: (m: MachineType, nodes: number) => number,
  minNodes: number,
): NodeChoice {
  let best: (NodeChoice & { cost: number }) | undefined;
  for (const machine of machines) {
    const capacity = capacityOf(machine);
    const packing = packPods(items, capacity);
    if (packing.unplaceable.length > 0) continue;
    const nodes = Math.max(packing.nodes.length, minNodes);
    const cost = priceOf(machine, nodes);
    if (!best || cost < best.cost - 1e-9) best = { machine, capacity, packing, nodes, cost };
  }
  if (!best) {
    const biggest = [...items].sort((x, y) => y.memoryMiB - x.memoryMiB)[0];
    throw new DeclarationError([
      {
        path: 'services',
        service: biggest.service,
        value: { cpuMilli: biggest.cpuMilli, memoryMiB: biggest.memoryMiB },
        message: `one pod fits none of ${machines.map((m) => m.name).join(', ')}`,
        fix: 'lower its cpu/memory requests (or those of its sidecars)',
      },
    ]);
  }
  const { cost: _cost, ...choice } = best;
  return choice;
}

function gkeNodeMonthly(m: MachineType, nodes: number, prices: PriceTable, a: Assumptions): number {
  return nodes * (prices[m.priceKey].value * a.hoursPerMonth + a.gkeBootDiskGb * prices['gce.pdBalancedGbMonth'].value);
}

function ec2Monthly(m: MachineType, nodes: number, prices: PriceTable, a: Assumptions): number {
  return nodes * (prices[m.priceKey].value * a.hoursPerMonth + a.ecsEbsGb * prices['aws.ebsGp3GbMonth'].value);
}

/** Cluster fee after the free tier credit, and the Ingress's forwarding rules and data. */
function gkeSharedLines(lb: LbFacts, prices: PriceTable, a: Assumptions): CostLine[] {
  const fee = prices['gke.clusterHour'].value * a.hoursPerMonth;
  const credit = Math.min(fee, prices['gke.freeCreditMonth'].value);
  return [
    line('cluster management fee', 1, 'cluster', prices['gke.clusterHour'].value, fee, 'gke.clusterHour'),
    line('free tier credit (one cluster)', 1, 'cluster', -credit, -credit, 'gke.freeCreditMonth'),
    line(
      'Ingress forwarding rules (one shared load balancer)',
      lb.forwardingRules,
      'rule',
      prices['gcp.forwardingRuleHour'].value,
      lb.forwardingRules * prices['gcp.forwardingRuleHour'].value * a.hoursPerMonth,
      'gcp.forwardingRuleHour',
    ),
    line('load balancer data processed', a.lbDataGib, 'GiB', prices['gcp.lbDataGib'].value, a.lbDataGib * prices['gcp.lbDataGib'].value, 'gcp.lbDataGib'),
  ];
}

function albLine(item: string, albs: number, prices: PriceTable, a: Assumptions): CostLine {
  const perAlb = prices['aws.albHour'].value + a.lcuPerAlb * prices['aws.albLcuHour'].value;
  return line(item, albs, 'ALB', perAlb, albs * perAlb * a.hoursPerMonth, 'aws.albHour');
}

export function gkeStandardCost(items: readonly PodItem[], lb: LbFacts, prices: PriceTable, a: Assumptions): { cost: OptionCost; choice: NodeChoice } {
  const choice = chooseNodes(
    items,
    GKE_MACHINES,
    (m) => gkeNodeCapacity(m, a),
    (m, n) => gkeNodeMonthly(m, n, prices, a),
    a.minNodes,
  );
  const m = choice.machine;
  const lines = [
    line(`${m.name} nodes`, choice.nodes, 'node', prices[m.priceKey].value, choice.nodes * prices[m.priceKey].value * a.hoursPerMonth, m.priceKey),
    line(
      `boot disks (${a.gkeBootDiskGb} GB pd-balanced each)`,
      choice.nodes * a.gkeBootDiskGb,
      'GB',
      prices['gce.pdBalancedGbMonth'].value,
      choice.nodes * a.gkeBootDiskGb * prices['gce.pdBalancedGbMonth'].value,
      'gce.pdBalancedGbMonth',
    ),
    ...gkeSharedLines(lb, prices, a),
  ];
  return {
    cost: { id: 'gke-standard', label: 'GKE Standard (berth)', machine: m.name, nodes: choice.nodes, capacity: choice.capacity, lines, monthly: sum(lines) },
    choice,
  };
}

/**
 * Autopilot bills each pod's requests after rounding up to the general-purpose class's minimums (50m CPU, 52 MiB)
 * and its CPU:memory ratio (1 to 6.5 GiB per vCPU)
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-resource-requests) [E: simplified].
 */
export function autopilotRequests(cpuMilli: number, memoryMiB: number): { cpuMilli: number; memoryMiB: number } {
  let cpu = Math.max(cpuMilli, 50);
  let mem = Math.max(memoryMiB, 52);
  if (mem < (cpu / 1000) * 1024) mem = (cpu / 1000) * 1024;
  if (mem > (cpu / 1000) * 6.5 * 1024) cpu = Math.ceil((mem / 1024 / 6.5) * 1000);
  return { cpuMilli: cpu, memoryMiB: mem };
}

export function gkeAutopilotCost(items: readonly PodItem[], lb: LbFacts, prices: PriceTable, a: Assumptions): OptionCost {
  let vcpu = 0;
  let gib = 0;
  for (const item of items) {
    const r = autopilotRequests(item.cpuMilli, item.memoryMiB);
    vcpu += r.cpuMilli / 1000;
    gib += r.memoryMiB / 1024;
  }
  const lines = [
    line(
      'pod vCPU requests (rounded up)',
      vcpu,
      'vCPU',
      prices['autopilot.vcpuHour'].value,
      vcpu * prices['autopilot.vcpuHour'].value * a.hoursPerMonth,
      'autopilot.vcpuHour',
    ),
    line(
      'pod memory requests (rounded up)',
      gib,
      'GiB',
      prices['autopilot.gibHour'].value,
      gib * prices['autopilot.gibHour'].value * a.hoursPerMonth,
      'autopilot.gibHour',
    ),
    ...gkeSharedLines(lb, prices, a),
  ];
  return { id: 'gke-autopilot', label: 'GKE Autopilot', lines, monthly: sum(lines) };
}

/** ALBs needed for host routing: one per ≤ 95 target groups; none without public services. */
export function sharedAlbs(lb: LbFacts, a: Assumptions): number {
  return Math.ceil(lb.publicServices / a.targetGroupsPerAlb);
}

export function ecsEc2Cost(items: readonly PodItem[], lb: LbFacts, prices: PriceTable, a: Assumptions): { cost: OptionCost; choice: NodeChoice } {
  const choice = chooseNodes(
    items,
    EC2_INSTANCES,
    (m) => ecsInstanceCapacity(m, a),
    (m, n) => ec2Monthly(m, n, prices, a),
    a.minNodes,
  );
  const m = choice.machine;
  const lines = [
    line(`${m.name} instances`, choice.nodes, 'instance', prices[m.priceKey].value, choice.nodes * prices[m.priceKey].value * a.hoursPerMonth, m.priceKey),
    line(
      `EBS gp3 root volumes (${a.ecsEbsGb} GB each)`,
      choice.nodes * a.ecsEbsGb,
      'GB',
      prices['aws.ebsGp3GbMonth'].value,
      choice.nodes * a.ecsEbsGb * prices['aws.ebsGp3GbMonth'].value,
      'aws.ebsGp3GbMonth',
    ),
    line(
      'ECS control plane',
      1,
      'cluster',
      prices['ecs.controlPlaneHour'].value,
      prices['ecs.controlPlaneHour'].value * a.hoursPerMonth,
      'ecs.controlPlaneHour',
    ),
    albLine('shared Application Load Balancer(s), host rules', sharedAlbs(lb, a), prices, a),
  ];
  return { cost: { id: 'ecs-ec2', label: 'ECS on EC2', machine: m.name, nodes: choice.nodes, capacity: choice.capacity, lines, monthly: sum(lines) }, choice };
}

export function fargateCost(tasks: readonly EcsTaskSummary[], lb: LbFacts, prices: PriceTable, a: Assumptions): OptionCost {
  let vcpu = 0;
  let gb = 0;
  let wasteVcpu = 0;
  let wasteGb = 0;
  for (const t of tasks) {
    if (!t.fargate) throw new Error(`internal: the Fargate rendering has no task size for service "${t.service}"`);
    vcpu += (t.desiredCount * t.fargate.cpu) / 1024;
    gb += (t.desiredCount * t.fargate.memoryMiB) / 1024;
    wasteVcpu += (t.desiredCount * t.fargate.wasteCpu) / 1024;
    wasteGb += (t.desiredCount * t.fargate.wasteMemoryMiB) / 1024;
  }
  const wasteUsd = round2((wasteVcpu * prices['fargate.vcpuHour'].value + wasteGb * prices['fargate.gbHour'].value) * a.hoursPerMonth);
  const lines = [
    line(
      'task vCPU (valid Fargate sizes)',
      vcpu,
      'vCPU',
      prices['fargate.vcpuHour'].value,
      vcpu * prices['fargate.vcpuHour'].value * a.hoursPerMonth,
      'fargate.vcpuHour',
    ),
    line(
      'task memory (valid Fargate sizes)',
      gb,
      'GB',
      prices['fargate.gbHour'].value,
      gb * prices['fargate.gbHour'].value * a.hoursPerMonth,
      'fargate.gbHour',
    ),
    albLine('shared Application Load Balancer(s), host rules', sharedAlbs(lb, a), prices, a),
  ];
  const notes = [
    `rounding to valid task sizes: ${+wasteVcpu.toFixed(3)} vCPU and ${+wasteGb.toFixed(3)} GB paid but not requested/limited, ` +
      `$${wasteUsd.toFixed(2)} of the month`,
  ];
  return { id: 'ecs-fargate', label: 'ECS Fargate', lines, monthly: sum(lines), notes };
}

/** The legacy design: the same instances (one instance group for the environment), one ALB per public service. */
export function legacyCost(ec2: OptionCost, lb: LbFacts, prices: PriceTable, a: Assumptions): OptionCost {
  const lines = [
    ...ec2.lines.filter((l) => !l.item.startsWith('shared Application')),
    albLine('one Application Load Balancer per public service', lb.publicServices, prices, a),
  ];
  return { id: 'legacy', label: 'Legacy: one LB per service', machine: ec2.machine, nodes: ec2.nodes, capacity: ec2.capacity, lines, monthly: sum(lines) };
}
