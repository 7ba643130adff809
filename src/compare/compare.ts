/**
 * The comparison of one environment: GKE rendering + ECS rendering (as input) + prices → CompareData, the single
 * source of the page, the Markdown report and data.json. Pure: no files, no process state.
 */
import { DeclarationError } from '../declaration/errors.js';
import type { RenderedEnvironment } from '../render/types.js';
import type { NodeCapacity } from './capacity.js';
import { ecsEc2Cost, fargateCost, gkeAutopilotCost, gkeStandardCost, legacyCost, type LbFacts, type OptionCost } from './cost.js';
import type { EcsInput } from './ecs-input.js';
import { compareFeatures, type FeatureRow } from './features.js';
import { assumptionNotes, DEFAULT_ASSUMPTIONS, type Assumptions } from './machines.js';
import type { PackedNode } from './packing.js';
import { PRICE_KEYS, type PriceInfo, type PriceKey, type PriceTable } from './prices.js';
import { podItems, workloadsOf, type WorkloadSummary } from './workload.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A packed node as the report shows it. */
export interface NodeView {
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  readonly pods: readonly { readonly service: string; readonly replica: number; readonly cpuMilli: number; readonly memoryMiB: number }[];
}

export interface PackingView {
  readonly option: string;
  readonly machine: string;
  readonly capacity: NodeCapacity;
  readonly nodes: readonly NodeView[];
}

export interface CompareData {
  readonly environment: string;
  readonly generatedFrom: string;
  readonly estimate: true;
  readonly workloads: readonly WorkloadSummary[];
  readonly totals: { readonly pods: number; readonly cpuMilli: number; readonly memoryMiB: number };
  readonly loadBalancing: LbFacts;
  readonly options: readonly OptionCost[];
  readonly packings: readonly PackingView[];
  readonly features: readonly FeatureRow[];
  readonly assumptions: Assumptions;
  readonly notes: readonly string[];
  /** Mismatches between the two renderings' requests (the comparison is void where they differ). */
  readonly consistency: readonly string[];
  /** The prices used; `{ "prices": … }` of this file is a valid --prices file. */
  readonly prices: Readonly<Record<PriceKey, number>>;
  readonly priceSources: Readonly<Record<PriceKey, Omit<PriceInfo, 'value'>>>;
}

export interface CompareInput {
  readonly environment: RenderedEnvironment;
  readonly ecs: EcsInput;
  readonly prices: PriceTable;
  /** Where the declaration came from (shown on the page). */
  readonly source: string;
  /** @default DEFAULT_ASSUMPTIONS */
  readonly assumptions?: Assumptions;
}

/** Public services (Ingress backends) and forwarding rules of the environment's one Ingress. */
export function lbFacts(env: RenderedEnvironment): LbFacts {
  const ingresses = env.objects.filter((o) => o.kind === 'Ingress') as Json[];
  const backends = new Set(
    ingresses.flatMap((i) => ((i.spec.rules ?? []) as Json[]).flatMap((r) => ((r.http?.paths ?? []) as Json[]).map((p) => p.backend.service.name as string))),
  );
  const tls =
    env.objects.some((o) => o.kind === 'ManagedCertificate') ||
    ingresses.some((i) => i.spec.tls || i.metadata.annotations?.['ingress.gcp.kubernetes.io/pre-shared-cert']);
  return { publicServices: backends.size, forwardingRules: ingresses.length * (tls ? 2 : 1) };
}

const view = (option: string, machine: string, capacity: NodeCapacity, nodes: readonly PackedNode[]): PackingView => ({
  option,
  machine,
  capacity,
  nodes: nodes.map((n) => ({ cpuMilli: n.cpuMilli, memoryMiB: n.memoryMiB, pods: n.pods.map((p) => ({ ...p })) })),
});

/** Same requests on both sides, or the comparison is void: every difference is listed. */
export function consistency(workloads: readonly WorkloadSummary[], ecs: EcsInput): string[] {
  const out: string[] = [];
  for (const w of workloads) {
    const t = ecs.ec2Tasks.find((x) => x.service === w.service);
    if (!t) {
      out.push(`service "${w.service}" is in the GKE rendering but has no ECS task`);
      continue;
    }
    if (Math.abs(t.cpuUnits - (w.cpuMilli * 1024) / 1000) > 1)
      out.push(`service "${w.service}": GKE requests ${w.cpuMilli}m CPU, ECS reserves ${t.cpuUnits} CPU units`);
    if (Math.abs(t.memoryReservationMiB - w.memoryMiB) > 1)
      out.push(`service "${w.service}": GKE requests ${w.memoryMiB} MiB, ECS reserves ${t.memoryReservationMiB} MiB`);
    if (t.desiredCount !== w.replicas) out.push(`service "${w.service}": GKE runs ${w.replicas} pods, ECS desires ${t.desiredCount} tasks`);
  }
  return out;
}

/** The environment's services; none is bad input (a DeclarationError naming the environment). */
export function requireServices(env: RenderedEnvironment): WorkloadSummary[] {
  const workloads = workloadsOf(env.objects);
  if (workloads.length === 0) {
    throw new DeclarationError([
      {
        path: `environments.${env.name}`,
        value: env.name,
        message: 'runs no services (every service is disabled there), so there is nothing to compare',
        fix: `enable a service in "${env.name}" (enabled: true) or compare another environment`,
      },
    ]);
  }
  return workloads;
}

export function buildComparison(input: CompareInput): CompareData {
  const a = input.assumptions ?? DEFAULT_ASSUMPTIONS;
  const workloads = requireServices(input.environment);
  const items = podItems(workloads);
  const lb = lbFacts(input.environment);
  const standard = gkeStandardCost(items, lb, input.prices, a);
  const ec2 = ecsEc2Cost(items, lb, input.prices, a);
  const options = [
    standard.cost,
    gkeAutopilotCost(items, lb, input.prices, a),
    ec2.cost,
    fargateCost(input.ecs.fargateTasks, lb, input.prices, a),
    legacyCost(ec2.cost, lb, input.prices, a),
  ];
  return {
    environment: input.environment.name,
    generatedFrom: input.source,
    estimate: true,
    workloads,
    totals: { pods: items.length, cpuMilli: items.reduce((s, i) => s + i.cpuMilli, 0), memoryMiB: items.reduce((s, i) => s + i.memoryMiB, 0) },
    loadBalancing: lb,
    options,
    packings: [
      view('GKE Standard', standard.choice.machine.name, standard.choice.capacity, standard.choice.packing.nodes),
      view('ECS on EC2', ec2.choice.machine.name, ec2.choice.capacity, ec2.choice.packing.nodes),
    ],
    features: compareFeatures(input.environment.objects, input.ecs.mapping),
    assumptions: a,
    notes: assumptionNotes(a),
    consistency: consistency(workloads, input.ecs),
    prices: Object.fromEntries(PRICE_KEYS.map((k) => [k, input.prices[k].value])) as Record<PriceKey, number>,
    priceSources: Object.fromEntries(
      PRICE_KEYS.map((k) => {
        const { value: _v, ...rest } = input.prices[k];
        return [k, rest];
      }),
    ) as Record<PriceKey, Omit<PriceInfo, 'value'>>,
  };
}
