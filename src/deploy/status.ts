/** Read-only status (drift + readiness) and stand-alone pruning of an environment. */
import type { RenderedEnvironment } from '../render/types.js';
import { checkTooling, membership, parentObject, readParent, PARENT_FIELD_MANAGER } from './applyset.js';
import { serverSideApply } from './apply.js';
import { type LeaseOptions, withLease } from './lease.js';
import { isUpToDate } from './compare.js';
import { type DeployContext, describe, keyOf } from './context.js';
import { prepareWithLive } from './deploy.js';
import { deleteObjects, pruneCandidates } from './prune.js';
import { withoutAttached } from './certificate-handover.js';
import type { WaitRow } from './report.js';
import { evaluate } from './wait.js';
import { isBeforeDeploy, jobVerdict } from './job-status.js';

export interface ObjectStatus {
  readonly object: string;
  readonly state: 'in sync' | 'drifted' | 'missing';
}

export interface StatusResult {
  readonly objects: readonly ObjectStatus[];
  readonly rows: readonly WaitRow[];
  readonly stale: readonly string[];
  readonly healthy: boolean;
}

/** One look at the cluster: which objects drifted or are missing, rollout/LB readiness, stale ApplySet members. */
export async function statusEnvironment(ctx: DeployContext, env: RenderedEnvironment, waitLb: boolean): Promise<StatusResult> {
  const { prepared: p, live } = await prepareWithLive(ctx, env);
  const objects: ObjectStatus[] = p.desired.map((d) => {
    const l = live.objects.get(keyOf(d));
    return { object: describe(d), state: !l ? 'missing' : isUpToDate(d, l) ? 'in sync' : 'drifted' };
  });
  const deployments = live.lists.get(`apps/deployments|${env.namespace}`) ?? [];
  const ingresses = live.lists.get(`networking.k8s.io/ingresses|${env.namespace}`) ?? [];
  const statefulSets = live.lists.get(`apps/statefulsets|${env.namespace}`) ?? [];
  const { rows } = await evaluate(ctx, p.desired, env.namespace, waitLb, { deployments, ingresses, statefulSets });
  // a migration's verdict (a missing Job is already reported above)
  for (const d of p.desired.filter((o) => o.kind === 'Job' && isBeforeDeploy(o))) {
    const l = live.objects.get(keyOf(d));
    if (l) rows.push({ object: `job/${d.metadata.name}`, ready: jobVerdict(l).state === 'complete', message: jobVerdict(l).message });
  }
  const state = readParent(live.parent);
  const current = membership(p.desired, p.parent);
  const scope = {
    id: p.id,
    namespace: p.parent.namespace,
    groupKinds: [...new Set([...(state?.groupKinds ?? []), ...current.groupKinds])],
    additionalNamespaces: state?.namespaces ?? [],
  };
  const stale = live.parent ? withoutAttached(await pruneCandidates(ctx, scope, new Set(p.desired.map(keyOf)), live), live.objects.values()).map(describe) : [];
  const healthy = objects.every((o) => o.state === 'in sync') && rows.every((r) => r.ready) && stale.length === 0;
  return { objects, rows, stale, healthy };
}

/** Deletes ApplySet members no longer declared (nothing is applied), then shrinks the parent. */
export async function pruneEnvironment(
  ctx: DeployContext,
  env: RenderedEnvironment,
  tooling: string,
  dryRun: boolean,
  lease: LeaseOptions = {},
): Promise<string[]> {
  if (dryRun) return pruneHeld(ctx, env, tooling, true);
  return withLease(ctx, env, 'prune', lease, () => pruneHeld(ctx, env, tooling, false));
}

/** The prune set is computed and deleted while the environment's lease is held. */
async function pruneHeld(ctx: DeployContext, env: RenderedEnvironment, tooling: string, dryRun: boolean): Promise<string[]> {
  const { prepared: p, live } = await prepareWithLive(ctx, env);
  if (!live.parent) return [];
  const state = readParent(live.parent);
  checkTooling(state, p.parent);
  const current = membership(p.desired, p.parent);
  const scope = {
    id: p.id,
    namespace: p.parent.namespace,
    groupKinds: [...new Set([...(state?.groupKinds ?? []), ...current.groupKinds])],
    additionalNamespaces: state?.namespaces ?? [],
  };
  // a ManagedCertificate the live Ingress still names (a certificate handover in progress) stays
  const stale = withoutAttached(await pruneCandidates(ctx, scope, new Set(p.desired.map(keyOf)), live), live.objects.values());
  if (dryRun) {
    for (const o of stale) ctx.reporter.object({ action: 'pruned', object: describe(o), dryRun: true });
    return stale.map(describe);
  }
  const pruned = await deleteObjects(ctx, stale);
  const want = parentObject(p.parent, p.id, tooling, current, { revision: state?.revision, previousRevision: state?.previousRevision });
  const have = live.parent.metadata.annotations ?? {};
  const differs = Object.entries(want.metadata.annotations ?? {}).some(([k, v]) => have[k] !== v);
  if (differs) await serverSideApply(ctx, want, false, PARENT_FIELD_MANAGER, true);
  return pruned;
}
