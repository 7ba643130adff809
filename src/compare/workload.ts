/**
 * The pods an environment runs, read from its GKE rendering (never from the declaration again, so what is packed is
 * what berth deploys): one item per replica of each Deployment/StatefulSet (the HPA's minReplicas when one targets
 * it), with the pod's requests = app containers + native sidecars (initContainers with restartPolicy Always), or a
 * plain init container's request when larger. Jobs and CronJobs are transient and not packed (stated assumption).
 */
import { parseQuantity } from '../declaration/rules.js';
import type { KubeObject } from '../render/types.js';

/** One pod to place. */
export interface PodItem {
  /** Workload name (the service). */
  readonly service: string;
  readonly replica: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
}

/** Per service: replicas and per-pod requests. */
export interface WorkloadSummary {
  readonly service: string;
  readonly kind: string;
  readonly replicas: number;
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  readonly containers: number;
  readonly sidecars: number;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const POD_KINDS = new Set(['Deployment', 'StatefulSet']);

function requestsOf(c: Json): { cpuMilli: number; memoryMiB: number } {
  const r = (c.resources?.requests ?? {}) as Record<string, string>;
  return {
    cpuMilli: r.cpu === undefined ? 0 : Math.round((parseQuantity(String(r.cpu)) ?? 0) * 1000),
    memoryMiB: r.memory === undefined ? 0 : (parseQuantity(String(r.memory)) ?? 0) / 2 ** 20,
  };
}

/** A pod spec's effective requests (the scheduler's rule, KEP-753: sidecars add up, plain init containers take the max). */
export function podRequests(spec: Json): { cpuMilli: number; memoryMiB: number; containers: number; sidecars: number } {
  let cpu = 0;
  let mem = 0;
  let initCpu = 0;
  let initMem = 0;
  let sidecars = 0;
  for (const c of (spec.initContainers ?? []) as Json[]) {
    const r = requestsOf(c);
    if (c.restartPolicy === 'Always') {
      cpu += r.cpuMilli;
      mem += r.memoryMiB;
      sidecars += 1;
    } else {
      initCpu = Math.max(initCpu, cpu + r.cpuMilli);
      initMem = Math.max(initMem, mem + r.memoryMiB);
    }
  }
  const containers = (spec.containers ?? []) as Json[];
  for (const c of containers) {
    const r = requestsOf(c);
    cpu += r.cpuMilli;
    mem += r.memoryMiB;
  }
  return { cpuMilli: Math.max(cpu, initCpu), memoryMiB: Math.max(mem, initMem), containers: containers.length, sidecars };
}

/** Services (Deployments and StatefulSets) of one rendered environment, sorted by name. */
export function workloadsOf(objects: readonly KubeObject[]): WorkloadSummary[] {
  const hpaMin = new Map<string, number>();
  for (const o of objects as readonly Json[]) {
    if (o.kind === 'HorizontalPodAutoscaler') hpaMin.set(`${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`, o.spec.minReplicas ?? 1);
  }
  const out: WorkloadSummary[] = [];
  for (const o of objects as readonly Json[]) {
    if (!POD_KINDS.has(o.kind)) continue;
    const replicas = hpaMin.get(`${o.kind}/${o.metadata.name}`) ?? o.spec.replicas ?? 1;
    const r = podRequests(o.spec.template.spec);
    out.push({ service: o.metadata.name, kind: o.kind, replicas, ...r });
  }
  return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}

/** One item per replica. */
export function podItems(workloads: readonly WorkloadSummary[]): PodItem[] {
  return workloads.flatMap((w) =>
    Array.from({ length: w.replicas }, (_, replica) => ({ service: w.service, replica, cpuMilli: w.cpuMilli, memoryMiB: w.memoryMiB })),
  );
}
