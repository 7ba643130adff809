/**
 * The deploy pipeline for one rendered environment:
 * read live state (a few LISTs) → plan + dry run (nothing written on any rejection) → Namespace → ApplySet parent
 * (superset) → apply in kind order → wait → prune → shrink the parent.
 */
import type { KubeObject, RenderedEnvironment } from '../render/types.js';
import {
  type ParentRef,
  type ParentState,
  applySetId,
  checkTooling,
  membership,
  parentFor,
  parentObject,
  readParent,
  union,
  withMembership,
  PARENT_FIELD_MANAGER,
  ANNOTATION_GROUP_KINDS,
  ANNOTATION_NAMESPACES,
  ANNOTATION_REVISION,
  ANNOTATION_PREVIOUS_REVISION,
  LABEL_ID,
} from './applyset.js';
import { ApplyError, type PlannedObject, PreflightError, applyPlanned, plan, serverSideApply } from './apply.js';
import { withHash } from './compare.js';
import { type DeployContext, describe, keyOf } from './context.js';
import { type LiveState, readLive } from './live.js';
import { sortForApply } from './order.js';
import { PruneError } from './errors.js';
import { cleanupNewNamespace } from './namespace-cleanup.js';
import { type HeldLease, type LeaseOptions, withLease } from './lease.js';
import { ANNOTATION_ADOPTED, OwnershipError, foreignObjects, ownerOf, recordAdoption } from './ownership.js';
import { deleteObjects, pruneCandidates } from './prune.js';
import { isBeforeDeploy } from './job-status.js';
import { runMigrations } from './migrations.js';
import type { WaitRow } from './report.js';
import { type Snapshot, waitForReady } from './wait.js';
import { type Handover, deferredKeys, finishHandovers, withHandovers } from './certificate-handover-run.js';
import { pendingLine, withoutAttached } from './certificate-handover.js';

export interface DeployOptions {
  /** `berth/<version>` for the ApplySet tooling annotation. */
  readonly tooling: string;
  readonly wait: boolean;
  readonly waitLb: boolean;
  readonly timeoutMs: number;
  readonly prune: boolean;
  /** Plan and dry-run only (diff). */
  readonly dryRun?: boolean;
  /** Source revision recorded on the ApplySet parent (for `--revision previous`). */
  readonly revision?: string;
  /** Take over declared objects that exist but are not members of this environment's ApplySet (recorded). @default false */
  readonly adopt?: boolean;
  /** Take over fields other field managers own, as `kubectl apply --force-conflicts`. @default false */
  readonly forceConflicts?: boolean;
  /** The environment's deploy lease (lease.ts): holder shown to concurrent runs, validity. @default defaultHolder, 60 s */
  readonly lease?: LeaseOptions;
}

export interface DeployResult {
  readonly planned: readonly PlannedObject[];
  readonly applied: readonly string[];
  readonly toPrune: readonly string[];
  readonly pruned: readonly string[];
  readonly rows: readonly WaitRow[];
}

export interface Prepared {
  readonly parent: ParentRef;
  readonly id: string;
  readonly desired: KubeObject[];
}

/** The objects in their namespaces and ApplySet, without the config hash yet. */
async function placed(ctx: DeployContext, env: RenderedEnvironment): Promise<Prepared> {
  const parent = parentFor(env.name, env.namespace);
  const id = applySetId(parent);
  const desired: KubeObject[] = [];
  for (const obj of sortForApply(env.objects)) {
    const r = await ctx.resources.resolve(obj.apiVersion, obj.kind);
    const { namespace: _ns, ...md } = obj.metadata;
    const metadata = r.namespaced ? { ...md, namespace: obj.metadata.namespace ?? env.namespace } : md;
    desired.push(withMembership({ ...obj, metadata }, id));
  }
  return { parent, id, desired };
}

/**
 * The objects as deploy applies them (namespaced, ApplySet members, config-hash annotation; apply order) and the live
 * state, at once: the reads go out first, and the objects are hashed while the server answers (in slices, giving the
 * event loop a turn between them so the requests and answers move meanwhile).
 */
export async function prepareWithLive(ctx: DeployContext, env: RenderedEnvironment): Promise<{ prepared: Prepared; live: LiveState }> {
  const p = await placed(ctx, env);
  const liveP = readLive(ctx, p.desired, p.parent);
  liveP.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled while hashing
  const desired: KubeObject[] = [];
  for (let i = 0; i < p.desired.length; i += HASH_SLICE) {
    for (const obj of p.desired.slice(i, i + HASH_SLICE)) desired.push(withHash(obj));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { prepared: { ...p, desired }, live: await liveP };
}

const HASH_SLICE = 256;

function parentNeedsWrite(live: KubeObject | undefined, want: KubeObject): boolean {
  if (!live) return true;
  const have = live.metadata.annotations ?? {};
  const need = want.metadata.annotations ?? {};
  const keys = [ANNOTATION_GROUP_KINDS, ANNOTATION_NAMESPACES, ANNOTATION_REVISION, ANNOTATION_PREVIOUS_REVISION];
  return (
    keys.some((k) => (have[k] ?? '') !== (need[k] ?? '')) ||
    live.metadata.labels?.['applyset.kubernetes.io/id'] !== want.metadata.labels?.['applyset.kubernetes.io/id']
  );
}

function revisions(state: ParentState | undefined, changed: boolean, revision: string | undefined): { revision?: string; previousRevision?: string } {
  if (!changed || !revision || revision === state?.revision) return { revision: state?.revision, previousRevision: state?.previousRevision };
  return { revision, previousRevision: state?.revision };
}

async function writeParent(ctx: DeployContext, live: KubeObject | undefined, want: KubeObject): Promise<KubeObject> {
  if (live && !parentNeedsWrite(live, want)) return live;
  return serverSideApply(ctx, want, false, PARENT_FIELD_MANAGER, true);
}

interface Planned extends Prepared {
  readonly live: LiveState;
  readonly state: ParentState | undefined;
  readonly planned: PlannedObject[];
  readonly current: { groupKinds: string[]; namespaces: string[] };
  readonly scope: { id: string; namespace: string; groupKinds: string[]; additionalNamespaces: string[] };
  readonly stale: KubeObject[];
  /** Foreign objects taken over with --adopt (keyOf). */
  readonly adopted: ReadonlySet<string>;
  /** Certificate handovers in progress (certificate-handover.ts): the Ingress applied is a step, not the final one. */
  readonly handovers: readonly Handover[];
  /** Every stale member, ManagedCertificates a handover step still names included (`stale` leaves them out). */
  readonly staleAll: readonly KubeObject[];
  /** The desired objects as rendered (the final Ingress, not a handover step). */
  readonly rendered: readonly KubeObject[];
}

/** Declared objects (and the parent) that exist without this environment's membership: an error unless adopted. */
function checkOwnership(env: RenderedEnvironment, p: Prepared, live: LiveState, adopt: boolean): Set<string> {
  const foreign = foreignObjects(p.desired, live.objects, p.id, keyOf);
  if (live.parent && live.parent.metadata.labels?.[LABEL_ID] !== p.id) foreign.push({ object: describe(live.parent), owner: ownerOf(live.parent) });
  if (foreign.length && !adopt) throw new OwnershipError(foreign, env.name);
  const names = new Set(foreign.map((f) => f.object));
  return new Set(p.desired.filter((d) => names.has(describe(d))).map(keyOf));
}

/** Live state, dry run of everything that would change, and the stale ApplySet members. */
async function planDeploy(ctx: DeployContext, env: RenderedEnvironment, opts: Pick<DeployOptions, 'adopt' | 'forceConflicts'> = {}): Promise<Planned> {
  ctx.reporter.phase('preflight', `${env.objects.length} objects, OpenAPI schema check, server-side dry run where admission can decide`);
  const { prepared: rendered, live } = await prepareWithLive(ctx, env);
  const { desired, handovers } = withHandovers(ctx, rendered.desired, live);
  const p = { ...rendered, desired };
  const state = readParent(live.parent);
  checkTooling(state, p.parent);
  const adopted = checkOwnership(env, p, live, !!opts.adopt);
  const newNamespace = live.namespaceExists ? undefined : p.parent.namespace;
  const planned = await plan(ctx, p.desired, live, { forceConflicts: opts.forceConflicts, adopted, newNamespace });
  const current = membership(p.desired, p.parent);
  const scope = {
    id: p.id,
    namespace: p.parent.namespace,
    groupKinds: union(state?.groupKinds ?? [], current.groupKinds),
    additionalNamespaces: union(state?.namespaces ?? [], current.namespaces),
  };
  const staleAll = await pruneCandidates(ctx, scope, new Set(p.desired.map(keyOf)), live);
  const stale = withoutAttached(
    staleAll,
    handovers.map((h) => h.step.ingress),
  );
  return { ...p, live, state, planned, current, scope, stale, staleAll, adopted, handovers, rendered: rendered.desired };
}

/** Plans, and unless dryRun applies, waits and prunes. */
export async function deployEnvironment(ctx: DeployContext, env: RenderedEnvironment, opts: DeployOptions): Promise<DeployResult> {
  if (opts.dryRun) return deployHeld(ctx, env, opts, undefined);
  return withLease(ctx, env, 'deploy', opts.lease ?? {}, (lease) => deployHeld(ctx, env, opts, lease));
}

/** The deploy itself, under the environment's lease (planning and the prune set included); dry runs take none. */
async function deployHeld(ctx: DeployContext, env: RenderedEnvironment, opts: DeployOptions, lease: HeldLease | undefined): Promise<DeployResult> {
  const x = await planDeploy(ctx, env, opts);
  const toPrune = opts.prune ? x.stale.map(describe) : [];
  for (const o of x.planned.filter((q) => x.adopted.has(keyOf(q.desired)))) {
    ctx.reporter.warn(`${opts.dryRun ? 'would adopt' : 'adopting'} ${describe(o.desired)} (written by ${ownerOf(x.live.objects.get(keyOf(o.desired))!)})`);
  }
  if (opts.dryRun) {
    for (const o of x.planned) ctx.reporter.object({ action: actionOf(o), object: describe(o.desired), changes: o.changes, dryRun: true });
    for (const o of toPrune) ctx.reporter.object({ action: 'pruned', object: o, dryRun: true });
    return { planned: x.planned, applied: [], toPrune, pruned: [], rows: [] };
  }
  const changed = x.planned.some((o) => o.action !== 'unchanged') || toPrune.length > 0;
  const revs = revisions(x.state, changed, opts.revision);
  const { applied, parent } = await applyAll(ctx, x, x.planned, x.live, { ...x.scope, ...revs }, opts.tooling, opts.timeoutMs);
  await recordAdoptions(ctx, x);
  let rows: WaitRow[] = [];
  const waitStart = Date.now();
  if (opts.wait) {
    ctx.reporter.phase('wait', `rollout${opts.waitLb ? ' and load balancer' : ''} (timeout ${Math.round(opts.timeoutMs / 1000)}s)`);
    const first = applied.length ? undefined : snapshot(x.live, env.namespace);
    const deferred = deferredKeys(x.handovers);
    rows = await waitForReady(
      ctx,
      x.desired.filter((d) => !deferred.has(keyOf(d))),
      env.namespace,
      { timeoutMs: opts.timeoutMs, waitLb: opts.waitLb },
      first,
    ).catch((err: unknown) => {
      for (const h of x.handovers) ctx.reporter.warn(pendingLine(h.step));
      throw err;
    });
  }
  const stale = await handoverPhase(ctx, x, opts, waitStart);
  if (opts.prune && stale.length) await lease?.verify();
  const pruned = opts.prune ? await prunePhase(ctx, { ...x, stale }, parent, parentObject(x.parent, x.id, opts.tooling, x.current, revs)) : [];
  return { planned: x.planned, applied, toPrune, pruned, rows };
}

/**
 * Finishes (with the load-balancer wait) or leaves in place each certificate handover; the stale members to prune,
 * without the ManagedCertificates an Ingress still names.
 */
async function handoverPhase(ctx: DeployContext, x: Planned, opts: DeployOptions, start: number): Promise<KubeObject[]> {
  if (!x.handovers.length) return x.stale;
  const force = x.planned.some((p) => p.desired.kind === 'Ingress' && p.force);
  const ingresses = await finishHandovers(ctx, x.handovers, { wait: opts.wait && opts.waitLb, deadline: start + opts.timeoutMs, force, desired: x.rendered });
  return withoutAttached(x.staleAll, ingresses);
}

/** Marks every adopted object with `berth.dev/adopted-at` (one timestamp per deploy). */
async function recordAdoptions(ctx: DeployContext, x: Planned): Promise<void> {
  const at = new Date().toISOString();
  for (const o of x.desired.filter((d) => x.adopted.has(keyOf(d)))) {
    await recordAdoption(ctx, o, await ctx.resources.pathOf(o), at);
    ctx.reporter.info(`adopted ${describe(o)} at ${at} (recorded in its ${ANNOTATION_ADOPTED} annotation)`);
  }
}

/** Deletes stale members, then shrinks the parent to the current set (left as the superset if deleting fails). */
async function prunePhase(ctx: DeployContext, x: Planned, parent: KubeObject | undefined, want: KubeObject): Promise<string[]> {
  if (x.stale.length) ctx.reporter.phase('prune', `${x.stale.length} object(s) no longer declared`);
  let pruned: string[];
  try {
    pruned = await deleteObjects(ctx, x.stale);
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    throw new PruneError(`pruning failed (the next deploy finishes it): ${(err as Error).message}`);
  }
  await writeParent(ctx, parent, want);
  return pruned;
}

function actionOf(x: PlannedObject): 'created' | 'configured' | 'unchanged' {
  return x.action === 'create' ? 'created' : x.action === 'update' ? 'configured' : 'unchanged';
}

function snapshot(live: LiveState, namespace: string): Snapshot | undefined {
  const deployments = live.lists.get(`apps/deployments|${namespace}`);
  const ingresses = live.lists.get(`networking.k8s.io/ingresses|${namespace}`);
  const statefulSets = live.lists.get(`apps/statefulsets|${namespace}`);
  return deployments ? { deployments, ingresses: ingresses ?? [], statefulSets } : undefined;
}

/**
 * Namespace first (then validate what had to wait for it), the parent's superset, the migrations (applied and
 * waited for: `migrationTimeoutMs`), then every other wave.
 */
async function applyAll(
  ctx: DeployContext,
  p: Prepared,
  planned: readonly PlannedObject[],
  live: LiveState,
  scope: { groupKinds: readonly string[]; additionalNamespaces: readonly string[]; revision?: string; previousRevision?: string },
  tooling: string,
  migrationTimeoutMs: number,
): Promise<{ applied: string[]; parent: KubeObject | undefined }> {
  const todo = planned.filter((x) => x.action !== 'unchanged');
  const superset = parentObject(p.parent, p.id, tooling, { groupKinds: scope.groupKinds, namespaces: scope.additionalNamespaces }, scope);
  if (todo.length === 0 && live.parent && !parentNeedsWrite(live.parent, superset)) {
    // nothing to write; an unchanged migration still has to have completed (reads only, or a rerun of a failed one)
    return { applied: await runMigrations(ctx, planned, migrationTimeoutMs), parent: live.parent };
  }
  ctx.reporter.phase('apply', `${todo.length} of ${planned.length} objects need changes`);
  const first = todo.filter((x) => x.desired.kind === 'Namespace');
  const created = new Map<string, KubeObject>();
  const applied = await applyPlanned(ctx, first, [], created);
  const parent = await writeParent(ctx, live.parent, superset);
  try {
    await runMigrations(ctx, planned, migrationTimeoutMs, applied);
    await applyPlanned(
      ctx,
      todo.filter((x) => x.desired.kind !== 'Namespace' && !isBeforeDeploy(x.desired)),
      applied,
    );
  } catch (err) {
    if (!live.namespaceExists && err instanceof ApplyError && err.failures.every((f) => f.rejected)) {
      const ns = p.parent.namespace;
      const uid = (created.get(keyOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }))?.metadata as { uid?: string } | undefined)?.uid;
      const done = await cleanupNewNamespace(ctx, ns, uid, p.id);
      if (done.deleted)
        throw new PreflightError(
          err.failures,
          `that could only be checked once their new namespace existed; the namespace ${ns} created by this run was deleted again (uid ${uid}; ` +
            `it held nothing berth did not create)`,
        );
      throw new PreflightError(
        err.failures,
        `that could only be checked once their new namespace existed; the namespace ${ns} created by this run was LEFT in place: ${done.reason}. ` +
          `Check it, then delete it yourself (kubectl delete namespace ${ns}) or fix the declaration and deploy again`,
        true,
      );
    }
    throw err;
  }
  return { applied, parent };
}
