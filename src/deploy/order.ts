/** Apply waves and bounded concurrency; the kind order itself is the renderer's (one ordering for files and deploy). */
import { kindRank, sortForApply } from '../render/order.js';
import type { KubeObject } from '../render/types.js';

export { kindRank, sortForApply };

/** Objects grouped into waves of equal rank, in apply order; within a wave objects are applied concurrently. */
export function applyWaves(objects: readonly KubeObject[]): KubeObject[][] {
  const waves: KubeObject[][] = [];
  let last = -1;
  for (const obj of sortForApply(objects)) {
    const rank = kindRank(obj.kind);
    if (rank !== last) waves.push([]);
    waves[waves.length - 1].push(obj);
    last = rank;
  }
  return waves;
}

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first error after all started ones settle. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw failed.error;
  return results;
}

/** Like mapLimit but runs every item and collects all failures. */
export async function settleLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  return mapLimit(items, limit, (item) =>
    fn(item).then(
      (value): PromiseSettledResult<R> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<R> => ({ status: 'rejected', reason }),
    ),
  );
}
