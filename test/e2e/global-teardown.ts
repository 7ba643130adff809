// Jest global teardown of the "e2e" project: stops the cluster only if global-setup started it.
import type * as Harness from '../cluster/cluster.js';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const harness = g.__BERTH_E2E_HARNESS__ as typeof Harness | undefined;
  if (harness && g.__BERTH_E2E_OWNS_CLUSTER__ === true) {
    await harness.down();
  } else if (harness) {
    process.stderr.write('[cluster] e2e: leaving the reused cluster running (npm run cluster:down stops it)\n');
  }
}
