/** Exit codes of deploy/diff/prune/status (documented in the README) and the mapping from errors. */
import { DeclarationError } from '../declaration/errors.js';
import { RenderCheckError } from '../render/checks.js';
import { SourceError } from '../render/source-error.js';
import { ApplyError, PreflightError } from './apply.js';
import { KubeApiError } from './client.js';
import { CredentialError, KubeconfigSettingError } from './credential-errors.js';
import { KubeconfigError } from './kubeconfig.js';
import { LeaseHeldError } from './lease.js';
import { MigrationError } from './migrations.js';
import { ConflictError, OwnershipError } from './ownership.js';
import { RolloutError } from './wait.js';

export const EXIT = {
  ok: 0,
  /** diff: differences found; status: not in sync or not ready. */
  differences: 1,
  /** Bad flags, invalid declaration or kubeconfig, unknown environment or revision. */
  badInput: 2,
  /** The API server rejected the set in the dry run: nothing was written. */
  rejected: 3,
  /** A write failed part-way (rerun converges). */
  applyFailed: 4,
  /** Rollout failed, or the wait timed out. */
  rolloutFailed: 5,
  /** Cluster unreachable, authentication/authorization failure, GKE lookup failed. */
  unreachable: 6,
  /** Pruning failed (the ApplySet parent keeps the superset; rerun finishes it). */
  pruneFailed: 7,
  /** A migration (job with beforeDeploy) failed or did not finish in time: no workload was changed. */
  migrationFailed: 8,
  /** Refused before any write: a declared object belongs to someone else, or fields conflict with another manager. */
  refused: 9,
  /** Another deploy or prune of the environment holds its lease: nothing was done (retry later). */
  locked: 10,
  interrupted: 130,
} as const;

export class UsageError extends Error {}
export class PruneError extends Error {}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (err as { name?: string } | undefined)?.name === 'AbortError';
}

/** Maps an error to its exit code and one human message. */
export function classify(err: unknown, signal?: AbortSignal): { code: number; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (isAbort(err, signal)) {
    return { code: EXIT.interrupted, message: 'interrupted; objects already applied stay applied, and a rerun converges' };
  }
  if (err instanceof KubeconfigError) return { code: EXIT.badInput, message };
  if (err instanceof KubeconfigSettingError) return { code: EXIT.badInput, message };
  if (err instanceof CredentialError) return { code: EXIT.unreachable, message };
  if (err instanceof UsageError || err instanceof DeclarationError || err instanceof SourceError || err instanceof RenderCheckError) return { code: EXIT.badInput, message };
  if (err instanceof PreflightError) return { code: err.left ? EXIT.applyFailed : EXIT.rejected, message };
  if (err instanceof OwnershipError || err instanceof ConflictError) return { code: EXIT.refused, message };
  if (err instanceof LeaseHeldError) return { code: EXIT.locked, message };
  if (err instanceof RolloutError) return { code: EXIT.rolloutFailed, message: `${err.timedOut ? 'timed out waiting' : 'rollout failed'}:\n${message}` };
  if (err instanceof PruneError) return { code: EXIT.pruneFailed, message };
  if (err instanceof MigrationError) return { code: EXIT.migrationFailed, message };
  if (err instanceof ApplyError) {
    const unreachable = err.failures.some((f) => f.message.includes('cannot reach the Kubernetes API'));
    return { code: unreachable ? EXIT.unreachable : EXIT.applyFailed, message };
  }
  if (err instanceof KubeApiError && (err.status === 0 || err.status === 401 || err.status === 403)) {
    return { code: EXIT.unreachable, message: err.status === 0 ? message : `not allowed by the cluster (HTTP ${err.status}): ${message}` };
  }
  if (/cannot get GKE cluster|kubeconfig|context "/.test(message)) return { code: EXIT.unreachable, message };
  if (/environment ".*" is not declared|git revision|does not exist at revision/.test(message)) return { code: EXIT.badInput, message };
  return { code: EXIT.applyFailed, message };
}
