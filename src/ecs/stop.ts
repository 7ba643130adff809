import { APP_SHUTDOWN_MARGIN_SECONDS, DEFAULT_DRAIN_SECONDS } from '../constructs/drain-budget.js';
import { MAX_STOP_TIMEOUT_SECONDS } from './defaults.js';

export const DEFAULT_DRAIN_SECONDS_ON_ECS_STOP = DEFAULT_DRAIN_SECONDS;

/** The container's `stopTimeout`: GKE's termination grace (drain + app margin), capped at ECS's 120 s. */
export function stopTimeoutOf(drainSeconds: number): number {
  return Math.min(MAX_STOP_TIMEOUT_SECONDS, drainSeconds + APP_SHUTDOWN_MARGIN_SECONDS);
}
