/**
 * One drain budget drives every shutdown timer, so they cannot disagree (no 502s on rollout):
 * - preStop sleep = half the budget (or `drainSleepSeconds`): the pod keeps serving while GKE detaches it from the NEG;
 * - LB connection draining = the budget: in-flight requests finish;
 * - termination grace = budget + app shutdown margin, so sleep < grace and draining ≤ grace always hold.
 */
export interface DrainTimings {
  readonly preStopSleepSeconds: number;
  readonly connectionDrainingSeconds: number;
  readonly terminationGracePeriodSeconds: number;
}

import { APP_SHUTDOWN_MARGIN_SECONDS, DEFAULT_DRAIN_SECONDS } from '../declaration/knobs.js';

export { APP_SHUTDOWN_MARGIN_SECONDS, DEFAULT_DRAIN_SECONDS };

/**
 * `drainSleepSeconds` decouples the preStop sleep from the budget (validated: 0 ≤ sleep ≤ budget, so the app
 * keeps its shutdown margin inside the grace period); 0 means no sleep.
 */
export function drainTimings(drainSeconds: number = DEFAULT_DRAIN_SECONDS, drainSleepSeconds?: number): DrainTimings {
  return {
    preStopSleepSeconds: drainSleepSeconds ?? defaultDrainSleep(drainSeconds),
    connectionDrainingSeconds: drainSeconds,
    terminationGracePeriodSeconds: drainSeconds + APP_SHUTDOWN_MARGIN_SECONDS,
  };
}

/** The default preStop sleep: half the drain budget, rounded up, at least 1 s. */
export function defaultDrainSleep(drainSeconds: number = DEFAULT_DRAIN_SECONDS): number {
  return Math.max(1, Math.ceil(drainSeconds / 2));
}
