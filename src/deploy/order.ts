/** Apply order by kind; ties by namespace then name. Pruning walks the same order backwards. */
import type { KubeObject } from '../render/types.js';

const RANKS: Readonly<Record<string, number>> = {
  Namespace: 0,
  CustomResourceDefinition: 0,
  BackendConfig: 1,
  FrontendConfig: 1,
  ManagedCertificate: 1,
  ServiceAccount: 2,
  Role: 2,
  ClusterRole: 2,
  RoleBinding: 2,
  ClusterRoleBinding: 2,
  NetworkPolicy: 2,
  ConfigMap: 3,
  Secret: 3,
  Service: 5,
  Deployment: 6,
  PodDisruptionBudget: 7,
  HorizontalPodAutoscaler: 8,
  Ingress: 9,
};

/** Kinds berth does not know go after ConfigMaps/Secrets and before Services. */
const UNKNOWN_RANK = 4;

export function kindRank(kind: string): number {
  return RANKS[kind] ?? UNKNOWN_RANK;
}

function compare(a: KubeObject, b: KubeObject): number {
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    a.kind.localeCompare(b.kind) ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

export function sortForApply(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort(compare);
}

/** Objects grouped into waves of equal rank, in apply order; within a wave objects are applied concurrently. */
export function applyWaves(objects: readonly KubeObject[]): KubeObject[][] {
  const waves: KubeObject[][] = [];
  let last = -1;
  for (const obj of sortForApply(objects)) {
    const rank = kindRank(obj.kind);
    if (rank !== last) waves.push([]);
    waves[waves.length - 1]!.push(obj);
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
        results[i] = await fn(items[i]!);
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
  return mapLimit(items, limit, (item) => fn(item).then(
    (value): PromiseSettledResult<R> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<R> => ({ status: 'rejected', reason }),
  ));
}
