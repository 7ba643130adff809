/**
 * Pruning with ApplySet semantics: only objects labelled `applyset.kubernetes.io/part-of=<id>` in the group-kinds and
 * namespaces the parent records are candidates; anything else (even in berth's namespace) is never touched.
 */
import type { KubeObject } from '../render/types.js';
import { isShared, LABEL_PART_OF } from './applyset.js';
import { KubeApiError } from './client.js';
import { type DeployContext, describe, keyOf } from './context.js';
import { type LiveState, listKey, listObjects } from './live.js';
import { kindRank, settleLimit } from './order.js';
import { isActiveJob } from './job-status.js';
import { objectPath } from './resources.js';

export interface PruneScope {
  readonly id: string;
  /** Namespace of the parent (always included). */
  readonly namespace: string;
  readonly groupKinds: readonly string[];
  readonly additionalNamespaces: readonly string[];
}

/** Members of the ApplySet that are not in `keep`, in reverse apply order. */
export async function pruneCandidates(ctx: DeployContext, scope: PruneScope, keep: ReadonlySet<string>, live?: LiveState): Promise<KubeObject[]> {
  const namespaces = [scope.namespace, ...scope.additionalNamespaces.filter((n) => n !== scope.namespace)];
  const found: KubeObject[] = [];
  await Promise.all(
    scope.groupKinds.map(async (gk) => {
      const r = await ctx.resources.resolveGroupKind(gk);
      if (!r) {
        ctx.reporter.warn(`cannot prune ${gk}: the cluster does not serve it any more`);
        return;
      }
      for (const ns of r.namespaced ? namespaces : [undefined]) {
        const cached = live?.lists.get(listKey(r, ns));
        const items = cached ?? (await listObjects(ctx, r, ns, `${LABEL_PART_OF}=${scope.id}`));
        found.push(...items.filter((o) => o.metadata.labels?.[LABEL_PART_OF] === scope.id && !keep.has(keyOf(o))));
      }
    }),
  );
  for (const job of found.filter(isActiveJob))
    ctx.reporter.warn(`not pruning ${describe(job)}: it is still running (a later deploy prunes it once it has finished)`);
  return found
    .filter((o) => !(o.kind === 'Namespace' && o.metadata.name === scope.namespace))
    .filter((o) => !isShared(o))
    .filter((o) => !isActiveJob(o))
    .sort((a, b) => kindRank(b.kind) - kindRank(a.kind) || keyOf(a).localeCompare(keyOf(b)));
}

async function deleteOne(ctx: DeployContext, obj: KubeObject): Promise<boolean> {
  const r = await ctx.resources.resolve(obj.apiVersion, obj.kind);
  const uid = (obj.metadata as { uid?: string }).uid;
  try {
    await ctx.client.request({
      method: 'DELETE',
      path: objectPath(r, obj.metadata.name, r.namespaced ? obj.metadata.namespace : undefined),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) },
    });
    return true;
  } catch (err) {
    if (err instanceof KubeApiError && (err.status === 404 || err.status === 409)) return false;
    throw err;
  }
}

/** Deletes candidates kind by kind (reverse apply order); returns what was deleted. */
export async function deleteObjects(ctx: DeployContext, candidates: readonly KubeObject[]): Promise<string[]> {
  const pruned: string[] = [];
  const ranks = [...new Set(candidates.map((o) => kindRank(o.kind)))].sort((a, b) => b - a);
  for (const rank of ranks) {
    const wave = candidates.filter((o) => kindRank(o.kind) === rank);
    const settled = await settleLimit(wave, ctx.concurrency, (o) => deleteOne(ctx, o));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled' && s.value) {
        pruned.push(describe(wave[i]));
        ctx.reporter.object({ action: 'pruned', object: describe(wave[i]) });
      }
    });
    if (failed) throw failed.reason;
  }
  return pruned;
}
