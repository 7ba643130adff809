/**
 * Production knobs of an environment, resolved once: priorities (PriorityClasses berth owns), per-route
 * backends, autoscaling metrics, and what a quota must at least hold (requests of the declared services).
 * Validation and the constructs both read these; nothing else decides the defaults.
 */
import { rolloutOf } from './knobs.js';
import { DEFAULT_CPU_PERCENT } from './defaults.js';
import { fixedReplicas } from './effective.js';
import { parseQuantity } from './rules.js';
import { CLOUD_SQL_PROXY_RESOURCES, SIDECAR_DEFAULT_CPU } from './sidecar-defaults.js';
import type { AutoscalingDeclaration, EnvironmentDeclaration, LayoutName, PriorityName, ServiceDeclaration } from './types.js';

export const PRIORITY_NAMES: readonly PriorityName[] = ['high', 'normal', 'low'];
/** The priority of a service in an environment without `defaultPriority`. */
export const DEFAULT_PRIORITY: PriorityName = 'normal';

export const LAYOUT_NAMES: readonly LayoutName[] = ['per-service', 'single-file'];
/** The file layout of an environment without `layout`. */
export const DEFAULT_LAYOUT: LayoutName = 'single-file';

/** An environment's file layout: its own, else `single-file` (what cdk8s writes by default: a file per chart). */
export function layoutOf(env: EnvironmentDeclaration): LayoutName {
  return env.layout ?? DEFAULT_LAYOUT;
}

/** The three cluster-scoped PriorityClasses berth owns; values stay far below the system classes (2 000 000 000). */
export const PRIORITY_CLASSES: Readonly<Record<PriorityName, { value: number; preemptionPolicy: 'PreemptLowerPriority' | 'Never'; description: string }>> = {
  high: {
    value: 100000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'berth: priority "high" (e.g. production); may preempt normal and low pods when the cluster is full',
  },
  normal: {
    value: 10000,
    preemptionPolicy: 'PreemptLowerPriority',
    description: 'berth: priority "normal" (the default); may preempt low pods when the cluster is full',
  },
  low: { value: 1000, preemptionPolicy: 'Never', description: 'berth: priority "low" (batch, load tests); waits for room and never preempts' },
};

/** `berth-high`, `berth-normal`, `berth-low`. */
export function priorityClassName(priority: PriorityName): string {
  return `berth-${priority}`;
}

/** A service's priority in an environment: its own, else the environment's `defaultPriority`, else `normal`. */
export function priorityOf(s: ServiceDeclaration, env: EnvironmentDeclaration): PriorityName {
  return s.priority ?? env.defaultPriority ?? DEFAULT_PRIORITY;
}

/** The priorities the environment's services use, in PRIORITY_NAMES order. */
export function prioritiesUsed(services: readonly ServiceDeclaration[], env: EnvironmentDeclaration): PriorityName[] {
  const used = new Set(services.map((s) => priorityOf(s, env)));
  return PRIORITY_NAMES.filter((p) => used.has(p));
}

/** Name of the Service + BackendConfig of a service's i-th route: `<service>-r<i+1>`, cut to 63 characters. */
export function routeBackendName(service: string, index: number): string {
  const suffix = `-r${index + 1}`;
  return `${service.slice(0, 63 - suffix.length)}${suffix}`;
}

/** Whether `path` is `base` or under it (`/v1/uploads` is under `/v1` and `/`; `/v10` is not under `/v1`). */
export function isUnder(path: string, base: string): boolean {
  // Trailing slashes do not count: GKE reads a Prefix path `/v1/` as `/v1` (see normalizePath in routing.ts).
  const [p, b] = [path, base].map((x) => (x.length > 1 ? x.replace(/\/+$/, '') || '/' : x));
  if (b === '/' || p === b) return true;
  return p.startsWith(`${b}/`);
}

export { DEFAULT_CPU_PERCENT };

/** The CPU utilisation target: declared, else 70 when neither memory nor an external metric is declared, else none. */
export function cpuTargetOf(a: AutoscalingDeclaration): number | undefined {
  if (a.cpuPercent !== undefined) return a.cpuPercent;
  return a.memoryPercent === undefined && a.external === undefined ? DEFAULT_CPU_PERCENT : undefined;
}

/** Requests (and memory limits) of one pod of a service: the app container plus its sidecars and Cloud SQL proxy. */
export interface PodNeeds {
  /** Cores. */
  readonly cpu: number;
  /** Bytes of memory requests. */
  readonly memory: number;
  /** Bytes of memory limits. */
  readonly memoryLimit: number;
}

export function podNeeds(s: ServiceDeclaration): PodNeeds {
  const q = (v: string): number => parseQuantity(v) ?? 0;
  const extra = [
    ...(s.sidecars ?? []).map((c) => ({ cpu: c.cpu ?? SIDECAR_DEFAULT_CPU, memory: c.memory })),
    ...(s.cloudSql ? [CLOUD_SQL_PROXY_RESOURCES] : []),
  ];
  const cpu = q(s.cpu) + extra.reduce((n, c) => n + q(c.cpu), 0);
  const sidecarMemory = extra.reduce((n, c) => n + q(c.memory), 0);
  return { cpu, memory: q(s.memory) + sidecarMemory, memoryLimit: q(s.memoryLimit ?? s.memory) + sidecarMemory };
}

/**
 * Pods a service runs at its minimum plus its rollout headroom: a rolling Deployment surges `rollout.maxSurge`
 * extra pods while it rolls (a percentage of the minimum, rounded up, as Kubernetes does), and berth rolls every
 * Deployment of the environment at once; a singleton (Recreate) and a StatefulSet (one pod at a time, replaced
 * in place) add none.
 */
export function podsDuringRollout(s: ServiceDeclaration): { min: number; surge: number } {
  const min = s.autoscaling?.min ?? fixedReplicas(s) ?? 0;
  if (min === 0 || s.singleton || s.storage) return { min, surge: 0 };
  const { maxSurge } = rolloutOf(s);
  const surge = typeof maxSurge === 'number' ? maxSurge : Math.ceil((min * Number.parseInt(maxSurge, 10)) / 100);
  return { min, surge };
}

/** What the environment's services need from a quota at their minimum replica counts during a rollout. */
export interface EnvironmentNeeds {
  readonly cpu: number;
  readonly memory: number;
  readonly memoryLimit: number;
  readonly pods: number;
  /** Per service, e.g. `api 3 × (250m, 512Mi)`, for the error message. */
  readonly breakdown: readonly string[];
}

export function environmentNeeds(services: readonly ServiceDeclaration[]): EnvironmentNeeds {
  let cpu = 0,
    memory = 0,
    memoryLimit = 0,
    pods = 0;
  const breakdown: string[] = [];
  for (const s of services) {
    const { min, surge } = podsDuringRollout(s);
    const n = min + surge;
    if (n === 0) continue;
    const per = podNeeds(s);
    cpu += n * per.cpu;
    memory += n * per.memory;
    memoryLimit += n * per.memoryLimit;
    pods += n;
    breakdown.push(`${s.name} ${min}${surge ? `+${surge} surge` : ''} × (${formatCpu(per.cpu)}, ${formatMemory(per.memory)})`);
  }
  return { cpu, memory, memoryLimit, pods, breakdown };
}

/** Cores as millicores, e.g. `750m`. */
export function formatCpu(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** Bytes as mebibytes, rounded up, e.g. `1536Mi`. */
export function formatMemory(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}
