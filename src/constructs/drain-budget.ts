/**
 * One drain budget drives every shutdown timer, so they cannot disagree (no 502s on rollout):
 * - preStop sleep = half the budget: the pod keeps serving while GKE detaches it from the NEG;
 * - LB connection draining = the budget: in-flight requests finish;
 * - termination grace = budget + app shutdown margin, so sleep < grace and draining ≤ grace always hold.
 */
export interface DrainTimings {
  readonly preStopSleepSeconds: number;
  readonly connectionDrainingSeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

/** Seconds the app itself gets to shut down after the preStop sleep and draining. */
export const APP_SHUTDOWN_MARGIN_SECONDS = 30;
export const DEFAULT_DRAIN_SECONDS = 30;

export function drainTimings(drainSeconds: number = DEFAULT_DRAIN_SECONDS): DrainTimings {
  return {
    preStopSleepSeconds: Math.max(1, Math.ceil(drainSeconds / 2)),
    connectionDrainingSeconds: drainSeconds,
    terminationGracePeriodSeconds: drainSeconds + APP_SHUTDOWN_MARGIN_SECONDS,
  };
}
