/**
 * The exit codes of deploy, diff, prune and status: the shared rows of exit-codes.ts plus one row per failure
 * class of the deploy stage. Classes, not message text: each condition is a class thrown where it arises.
 */
import { ApplyError, PreflightError } from '../deploy/apply.js';
import { KubeApiError } from '../deploy/client.js';
import { CredentialError, KubeconfigSettingError } from '../deploy/credential-errors.js';
import { PruneError } from '../deploy/errors.js';
import { GkeLookupError } from '../deploy/gke.js';
import { KubeconfigContextError, KubeconfigError } from '../deploy/kubeconfig.js';
import { LeaseHeldError } from '../deploy/lease.js';
import { MigrationError } from '../deploy/migrations.js';
import { ConflictError, OwnershipError } from '../deploy/ownership.js';
import { RolloutError } from '../deploy/wait.js';
import { COMMON_EXIT_RULES, EXIT, type ExitRule, exitCodeOf, rule } from './exit-codes.js';

export { EXIT } from './exit-codes.js';

/** KubeApiError status 0: no answer (refused, reset, timed out); 401/403: credentials rejected. */
const UNREACHABLE_STATUSES: readonly number[] = [0, 401, 403];

export const CLUSTER_EXIT_RULES: readonly ExitRule[] = [
  ...COMMON_EXIT_RULES,
  rule(KubeconfigError, EXIT.badInput),
  rule(KubeconfigContextError, EXIT.badInput),
  rule(KubeconfigSettingError, EXIT.badInput),
  rule(CredentialError, EXIT.unreachable),
  rule(PreflightError, (e) => (e.left ? EXIT.applyFailed : EXIT.rejected)),
  rule(OwnershipError, EXIT.refused),
  rule(ConflictError, EXIT.refused),
  rule(LeaseHeldError, EXIT.locked),
  rule(RolloutError, EXIT.rolloutFailed),
  rule(PruneError, EXIT.pruneFailed),
  rule(MigrationError, EXIT.migrationFailed),
  rule(ApplyError, (e) => (e.failures.some((f) => f.status === 0) ? EXIT.unreachable : EXIT.applyFailed)),
  rule(GkeLookupError, EXIT.unreachable),
  rule(KubeApiError, (e) => (UNREACHABLE_STATUSES.includes(e.status) ? EXIT.unreachable : undefined)),
];

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (err as { name?: string } | undefined)?.name === 'AbortError';
}

/** Maps an error to its exit code (CLUSTER_EXIT_RULES; anything else: a failed write, 4) and one human message. */
export function classify(err: unknown, signal?: AbortSignal): { code: number; message: string } {
  if (isAbort(err, signal)) {
    return { code: EXIT.interrupted, message: 'interrupted; objects already applied stay applied, and a rerun converges' };
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = exitCodeOf(err, CLUSTER_EXIT_RULES, EXIT.applyFailed);
  if (err instanceof RolloutError) return { code, message: `${err.timedOut ? 'timed out waiting' : 'rollout failed'}:\n${message}` };
  if (err instanceof KubeApiError && code === EXIT.unreachable && err.status !== 0) {
    return { code, message: `not allowed by the cluster (HTTP ${err.status}): ${message}` };
  }
  return { code, message };
}
