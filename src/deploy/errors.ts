/**
 * Deploy's own failure kinds that have no better home. Every failure of deploy is a class thrown where the
 * condition arises (apply.ts, client.ts, gke.ts, kubeconfig.ts, lease.ts, migrations.ts, ownership.ts, wait.ts);
 * the CLI maps classes to exit codes in one table (src/cli/cluster-exit-codes.ts), never by message text.
 */

/** Deleting objects that are no longer declared failed (the ApplySet parent keeps the superset; a rerun finishes it). */
export class PruneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PruneError';
  }
}
