/** The node and instance types berth chooses from, and the model's assumptions with their defaults and sources. */
import type { PriceKey } from './prices.js';

export interface MachineType {
  readonly name: string;
  readonly priceKey: PriceKey;
  readonly vcpu: number;
  readonly memoryMiB: number;
}

/** GKE Standard node types (nameplate vCPU / memory). */
export const GKE_MACHINES: readonly MachineType[] = [
  { name: 'e2-standard-2', priceKey: 'gce.e2-standard-2', vcpu: 2, memoryMiB: 8192 },
  { name: 'e2-standard-4', priceKey: 'gce.e2-standard-4', vcpu: 4, memoryMiB: 16384 },
  { name: 'e2-standard-8', priceKey: 'gce.e2-standard-8', vcpu: 8, memoryMiB: 32768 },
  { name: 'n2-standard-4', priceKey: 'gce.n2-standard-4', vcpu: 4, memoryMiB: 16384 },
];

/** ECS container instance types. */
export const EC2_INSTANCES: readonly MachineType[] = [
  { name: 't3.medium', priceKey: 'ec2.t3.medium', vcpu: 2, memoryMiB: 4096 },
  { name: 'm5.large', priceKey: 'ec2.m5.large', vcpu: 2, memoryMiB: 8192 },
  { name: 'm6i.large', priceKey: 'ec2.m6i.large', vcpu: 2, memoryMiB: 8192 },
  { name: 'm5.xlarge', priceKey: 'ec2.m5.xlarge', vcpu: 4, memoryMiB: 16384 },
];

/** Everything the model assumes; printed on the report with its source. */
export interface Assumptions {
  /** Hours in a billed month. @default 730 */
  readonly hoursPerMonth: number;
  /** DaemonSet overhead per GKE node [E] (fluentbit-gke, gke-metadata-server, ip-masq-agent…). @default 300 m */
  readonly gkeDaemonSetCpuMilli: number;
  /** @default 461 MiB (0.45 GiB) */
  readonly gkeDaemonSetMemoryMiB: number;
  /** Pods per GKE node. @default 110 */
  readonly gkeMaxPods: number;
  /** Boot disk per GKE node (pd-balanced). @default 100 GB */
  readonly gkeBootDiskGb: number;
  /** ECS_RESERVED_MEMORY per instance. @default 256 MiB */
  readonly ecsReservedMemoryMiB: number;
  /** EBS gp3 root volume per instance. @default 30 GB */
  readonly ecsEbsGb: number;
  /** LCUs per ALB-hour (placeholder, traffic-dependent). @default 1 */
  readonly lcuPerAlb: number;
  /** LB data processed per month (placeholder). @default 0 GiB */
  readonly lbDataGib: number;
  /** Minimum nodes/instances per option. @default 1 (one zone) */
  readonly minNodes: number;
  /** Target groups per ALB before sharding (hard quota 100). @default 95 */
  readonly targetGroupsPerAlb: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  hoursPerMonth: 730,
  gkeDaemonSetCpuMilli: 300,
  gkeDaemonSetMemoryMiB: 461,
  gkeMaxPods: 110,
  gkeBootDiskGb: 100,
  ecsReservedMemoryMiB: 256,
  ecsEbsGb: 30,
  lcuPerAlb: 1,
  lbDataGib: 0,
  minNodes: 1,
  targetGroupsPerAlb: 95,
};

/** The assumptions in words, with sources (tag E = berth's estimate). */
export function assumptionNotes(a: Assumptions): string[] {
  return [
    `Requests are costed, not usage; both renderings use the same requests/reservations (memory request → MemoryReservation, cpu × 1024 → Cpu).`,
    `GKE allocatable per node from GKE's reservation formula (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes) [E: nameplate memory].`,
    `DaemonSet overhead per GKE node: ${a.gkeDaemonSetCpuMilli}m CPU + ${a.gkeDaemonSetMemoryMiB} MiB [E] (GKE 1.29 system DaemonSets, https://github.com/cryptnono/cryptnono/issues/34); at most ${a.gkeMaxPods} pods per node.`,
    `ECS registered memory = nameplate − (nameplate/64 + 16 MiB + 64 MiB above 3 GiB) − ECS_RESERVED_MEMORY ${a.ecsReservedMemoryMiB} MiB [E]; ` +
      `CPU reserved (cpu units counted); bridge networking (no ENI cap).`,
    `Packing: first-fit-decreasing by memory request then CPU [E]; at least ${a.minNodes} node(s); no surge or N+1 headroom added, on every option alike.`,
    `One zonal cluster; the GKE free tier credit ($74.40/month) offsets one cluster's management fee.`,
    `No NAT gateway, egress, logs/metrics, public IPv4 addresses, registry, DNS or certificate charges on any option.`,
    `Load balancers: ${a.lcuPerAlb} LCU per ALB-hour, ${a.lbDataGib} GiB processed (placeholders: traffic-dependent); ` +
      `≤ ${a.targetGroupsPerAlb} target groups per ALB.`,
    `Jobs and CronJobs are transient and not packed.`,
    `Legacy design: the same EC2 instances as ECS on EC2 (one instance group for this environment) plus one Application Load Balancer per public service.`,
    `Fargate: each task rounded up to a valid Fargate size (as the ECS rendering reports it) and billed whole; ECS on EC2 uses bridge networking, ` +
      `so no ENI limit per instance.`,
    `Prices: list, on-demand, ${a.hoursPerMonth} h/month; no committed-use discounts, Savings Plans, Spot or sustained-use discounts.`,
  ];
}
