/**
 * Defaults of the production knobs (issue 13), resolved once, here: rollout pace, disruption budget,
 * `/tmp` size and the drain sleep. Constructs and validation both read them from this file.
 */
import { fixedReplicas } from './effective.js';
import type { RolloutDeclaration, ServiceDeclaration } from './types.js';

export { APP_SHUTDOWN_MARGIN_SECONDS, DEFAULT_DRAIN_SECONDS } from './defaults.js';

/** Size of the `/tmp` emptyDir every pod gets unless `scratch` says otherwise. */
export const DEFAULT_SCRATCH = '256Mi';

/** Rolling-update pace of a fixed-size Deployment: one extra pod at a time, never one fewer. */
export const DEFAULT_ROLLOUT = { maxSurge: 1, maxUnavailable: 0 } as const;
/** Rolling-update pace of an autoscaled Deployment: a quarter of the pods at a time (30 pods → 8), never fewer. */
export const DEFAULT_AUTOSCALED_ROLLOUT = { maxSurge: '25%', maxUnavailable: 0 } as const;

/** The Deployment's rollingUpdate values: declared ones, the others from the default for the service's kind. */
export function rolloutOf(s: Pick<ServiceDeclaration, 'rollout' | 'autoscaling'>): Required<RolloutDeclaration> {
  const base = s.autoscaling ? DEFAULT_AUTOSCALED_ROLLOUT : DEFAULT_ROLLOUT;
  return { maxSurge: s.rollout?.maxSurge ?? base.maxSurge, maxUnavailable: s.rollout?.maxUnavailable ?? base.maxUnavailable };
}

/** `0`, `"0%"` and `"00%"` all mean "no pod". */
export function isZero(v: number | string): boolean {
  return typeof v === 'number' ? v === 0 : /^0+%$/.test(v);
}

/** The most pods the service can run at once: the HPA's max, else the fixed count (1 for a singleton). */
export function maxPods(s: Pick<ServiceDeclaration, 'autoscaling' | 'replicas' | 'singleton'>): number {
  return s.autoscaling ? s.autoscaling.max : fixedReplicas(s)!;
}

/**
 * The PodDisruptionBudget's `maxUnavailable`: 0 with `disruption: never` (no voluntary eviction at all),
 * 1 when the service can run more than one pod (a drain takes one pod at a time), none otherwise (a single
 * pod with a budget of 1 gains nothing, with 0 it would block every drain).
 */
export function disruptionBudget(s: Pick<ServiceDeclaration, 'autoscaling' | 'replicas' | 'singleton' | 'disruption'>): number | undefined {
  if (s.disruption === 'never') return 0;
  return maxPods(s) > 1 && !s.singleton ? 1 : undefined;
}

/** Pod annotation telling the cluster autoscaler not to remove the node of a pod that must not be evicted. */
export const SAFE_TO_EVICT = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
