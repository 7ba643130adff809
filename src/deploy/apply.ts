/**
 * Server-side apply: plan (skip up-to-date objects, check the rest against the server's OpenAPI schemas, dry-run
 * what only the server can decide: preflight.ts), then apply in kind order with bounded concurrency. Every check
 * runs before the first real write.
 */
import type { KubeObject } from '../render/types.js';
import { FIELD_MANAGER } from './applyset.js';
import { KubeApiError } from './client.js';
import { ANNOTATION_HASH, type FieldChange, isUpToDate, liveChanges } from './compare.js';
import { type DeployContext, describe, keyOf } from './context.js';
import type { LiveState } from './live.js';
import { applyWaves, settleLimit } from './order.js';
import { type Conflict, ConflictError, conflictsOf, otherManagers } from './ownership.js';
import { type Extra, removalPatch, templateExtras } from './template-drift.js';
import { applyHandover, handoverReplicas, isReplicasTakeBack } from './replicas-handover.js';
import { type SchemaVerdict, checkSchemas, skipsServerDryRun } from './preflight.js';

export type PlanAction = 'create' | 'update' | 'unchanged';

export interface PlannedObject {
  readonly desired: KubeObject;
  readonly live: KubeObject | undefined;
  readonly action: PlanAction;
  readonly changes: readonly FieldChange[];
  /**
   * Its namespace does not exist yet: only its schema and fields could be checked before writing (client-side against
   * the OpenAPI schema, or by a dry run that stops at the missing namespace); any rejection of the real write (value
   * validation, admission) rolls the new namespace back.
   */
  readonly deferred?: boolean;
  /** Apply with force (take fields other managers own): `--force-conflicts`, or an object adopted with `--adopt`. */
  readonly force?: boolean;
  /** Live `spec.replicas` handed to the `berth-handover` manager before this apply drops it (replicas-handover.ts). */
  readonly handover?: number;
  /** Undeclared containers/volumes/env vars in the live pod template (template-drift.ts); removed when forced. */
  readonly extras?: readonly Extra[];
}

/** How the plan treats other writers: see ownership.ts. */
export interface PlanOptions {
  /** Take over fields other field managers own (`--force-conflicts`). @default false */
  readonly forceConflicts?: boolean;
  /** Keys (keyOf) of foreign objects adopted with `--adopt` (applied with force). @default none */
  readonly adopted?: ReadonlySet<string>;
  /**
   * The environment's namespace when this run creates it (and deletes it again if a write is rejected): its objects
   * are checked against the OpenAPI schemas only, no server dry run (preflight.ts). @default none (dry-run everything)
   */
  readonly newNamespace?: string;
}

export interface Rejection {
  readonly object: string;
  readonly message: string;
  /** HTTP status of the answer (0: unreachable). */
  readonly status?: number;
  /** The server refused the object itself (as opposed to being unreachable or overloaded). */
  readonly rejected?: boolean;
}

function listRejections(list: readonly Rejection[], max = 20): string {
  const shown = list.slice(0, max).map((r) => `  ${r.object}: ${r.message}`);
  if (list.length > max) shown.push(`  ... and ${list.length - max} more`);
  return shown.join('\n');
}

/** The API server would reject part of the set; nothing was written (or, for a new namespace, it was removed again). */
export class PreflightError extends Error {
  /** `left`: objects this run wrote were left in place (a new namespace that could not be removed safely). */
  constructor(
    readonly rejections: readonly Rejection[],
    what = 'in a dry run; nothing was written',
    readonly left = false,
  ) {
    super(`the API server rejected ${rejections.length} object(s) ${what}:\n${listRejections(rejections)}`);
    this.name = 'PreflightError';
  }
}

/** A real write failed part-way. */
export class ApplyError extends Error {
  constructor(
    readonly applied: readonly string[],
    readonly failures: readonly Rejection[],
  ) {
    super(`apply failed after ${applied.length} object(s) were written (rerun to converge):\n${listRejections(failures)}`);
    this.name = 'ApplyError';
  }
}

/**
 * One server-side apply PATCH (field manager `berth`, strict field validation). Not forced unless `force`: a field
 * another manager owns with another value is a 409 conflict (ownership.ts reports it).
 */
export async function serverSideApply(ctx: DeployContext, obj: KubeObject, dryRun: boolean, fieldManager = FIELD_MANAGER, force = false): Promise<KubeObject> {
  return ctx.client.request<KubeObject>({
    method: 'PATCH',
    path: await ctx.resources.pathOf(obj),
    query: { fieldManager, force: force ? 'true' : undefined, fieldValidation: 'Strict', dryRun: dryRun ? 'All' : undefined },
    body: obj,
    contentType: 'application/apply-patch+yaml',
  });
}

function isMissingNamespace(err: unknown, namespace: string | undefined): boolean {
  return !!namespace && err instanceof KubeApiError && err.status === 404 && err.message.includes(`namespaces "${namespace}" not found`);
}

export function errorMessage(err: unknown): string {
  if (err instanceof KubeApiError && err.causes.length > 0) {
    const causes = err.causes
      .map((c) => c.message ?? c.reason)
      .filter(Boolean)
      .join('; ');
    return causes && !err.message.includes(causes) ? `${err.message} (${causes})` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * A 403 from admission (ResourceQuota, a ValidatingAdmissionPolicy, a webhook, Pod Security) refuses the object
 * itself; a 403 from authorization (RBAC: `User "…" cannot patch resource …`) does not.
 */
const ADMISSION_DENIAL = /exceeded quota|ValidatingAdmissionPolicy .* denied|admission webhook .* denied|violates PodSecurity/;

/** The server refused the object itself (schema, value validation, admission): retrying or other credentials cannot help. */
export function isRejection(err: unknown): boolean {
  return err instanceof KubeApiError && (err.rejected || (err.status === 403 && ADMISSION_DENIAL.test(err.message)));
}

/** Anything but a rejection of the object itself (unreachable, auth, overload after retries) aborts at once. */
function rethrowFatal(err: unknown): void {
  if (!isRejection(err)) throw err;
}

function needsWrite(desired: KubeObject, live: LiveState, opts: PlanOptions): boolean {
  return !isUpToDate(desired, live.objects.get(keyOf(desired))) || !!opts.adopted?.has(keyOf(desired));
}

async function planOne(
  ctx: DeployContext,
  desired: KubeObject,
  live: LiveState,
  newNamespaces: Set<string>,
  opts: PlanOptions,
  schema: SchemaVerdict,
): Promise<PlannedObject> {
  const current = live.objects.get(keyOf(desired));
  const force = !!opts.forceConflicts || !!opts.adopted?.has(keyOf(desired));
  if (!needsWrite(desired, live, opts)) return { desired, live: current, action: 'unchanged', changes: [], force };
  if (!current && opts.newNamespace && skipsServerDryRun(desired, schema, new Set([opts.newNamespace]))) {
    return { desired, live: undefined, action: 'create', changes: [], deferred: true, force };
  }
  try {
    const { result, forced } = await dryRunApply(ctx, desired, force);
    if (!current) return { desired, live: undefined, action: 'create', changes: [], force: forced };
    const handover = handoverReplicas(desired, current);
    // with a handover the field keeps its live value: the dry run (without it) would show a scale-down that never happens
    const changes = liveChanges(current, result).filter((c) => handover === undefined || c.path !== 'spec.replicas');
    const extras = templateExtras(desired, result);
    const shown = [
      ...changes.filter((c) => !c.path.endsWith(ANNOTATION_HASH)),
      ...extras.map((e) => ({ path: e.path, before: '(not declared)', after: '(removed)' })),
    ];
    const adopting = !!opts.adopted?.has(keyOf(desired));
    const action = changes.length || adopting || extras.length ? 'update' : 'unchanged';
    return { desired, live: current, action, changes: shown, force: forced, handover, extras };
  } catch (err) {
    if (isMissingNamespace(err, desired.metadata.namespace) && newNamespaces.has(desired.metadata.namespace ?? '')) {
      return { desired, live: undefined, action: 'create', changes: [], deferred: true, force };
    }
    throw err;
  }
}

/** A dry-run apply; a conflict only over `spec.replicas` with the handover manager or an HPA is taken back (forced). */
async function dryRunApply(ctx: DeployContext, desired: KubeObject, force: boolean): Promise<{ result: KubeObject; forced: boolean }> {
  try {
    return { result: await serverSideApply(ctx, desired, true, FIELD_MANAGER, force), forced: force };
  } catch (err) {
    const conflicts = conflictsOf(err, describe(desired));
    if (force || !conflicts || !isReplicasTakeBack(desired, conflicts)) throw err;
    return { result: await serverSideApply(ctx, desired, true, FIELD_MANAGER, true), forced: true };
  }
}

/** Removes what the live pod template holds beyond the declaration (a JSON patch guarded by resourceVersion). */
async function removeExtras(ctx: DeployContext, obj: KubeObject, applied: KubeObject): Promise<KubeObject> {
  const extras = templateExtras(obj, applied);
  if (!extras.length) return applied;
  const patch = removalPatch(extras, (applied.metadata as { resourceVersion?: string }).resourceVersion);
  return ctx.client.request<KubeObject>({ method: 'PATCH', path: await ctx.resources.pathOf(obj), contentType: 'application/json-patch+json', body: patch });
}

/**
 * Plans every object; any rejection by the schema check (no request sent) or the dry run throws PreflightError
 * (nothing written).
 */
export async function plan(ctx: DeployContext, desired: readonly KubeObject[], live: LiveState, opts: PlanOptions = {}): Promise<PlannedObject[]> {
  const newNamespaces = new Set(desired.filter((o) => o.kind === 'Namespace' && !live.objects.has(keyOf(o))).map((o) => o.metadata.name));
  // the schema check stands in for the dry run where the dry run could not check more (a namespace this run creates);
  // everywhere else the server's dry run is stricter, and compiling schemas would only add time
  const inNewNamespace = (d: KubeObject) => !!opts.newNamespace && d.metadata.namespace === opts.newNamespace && !live.objects.has(keyOf(d));
  const schema = await checkSchemas(
    ctx,
    desired.filter((d) => inNewNamespace(d) && needsWrite(d, live, opts)),
  );
  if (schema.rejections.length)
    throw new PreflightError(schema.rejections, 'by its OpenAPI schema (checked client-side, before any write or dry run); nothing was written');
  // dry runs touch no storage and wake no controller: twice the write concurrency
  const settled = await settleLimit(desired, ctx.concurrency * 2, (d) => planOne(ctx, d, live, newNamespaces, opts, schema));
  const planned = collect(desired, settled);
  const drift: Conflict[] = planned
    .filter((p) => !p.force)
    .flatMap((p) =>
      (p.extras ?? []).map((e) => ({
        object: describe(p.desired),
        field: e.path,
        manager: otherManagers(p.live),
        detail: e.what,
      })),
    );
  if (drift.length) throw new ConflictError(drift);
  return planned;
}

function collect<R>(objects: readonly KubeObject[], settled: PromiseSettledResult<R>[]): R[] {
  const rejections: Rejection[] = [];
  const conflicts: Conflict[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'rejected') {
      rethrowFatal(s.reason);
      const found = conflictsOf(s.reason, describe(objects[i]));
      if (found) conflicts.push(...found);
      else rejections.push({ object: describe(objects[i]), message: errorMessage(s.reason) });
    }
  });
  if (rejections.length) throw new PreflightError(rejections);
  if (conflicts.length) throw new ConflictError(conflicts);
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

/** Applies the objects that need it, wave by wave (kind order); stops at the first failing wave. */
export async function applyPlanned(
  ctx: DeployContext,
  planned: readonly PlannedObject[],
  applied: string[] = [],
  results?: Map<string, KubeObject>,
): Promise<string[]> {
  const todo = planned.filter((p) => p.action !== 'unchanged');
  const byKey = new Map(todo.map((p) => [keyOf(p.desired), p]));
  for (const wave of applyWaves(todo.map((p) => p.desired))) {
    const settled = await settleLimit(wave, ctx.concurrency, async (obj) => {
      const p = byKey.get(keyOf(obj))!;
      if (p.handover !== undefined) {
        await applyHandover(ctx, obj, p.handover, false);
        ctx.reporter.info(
          `${describe(obj)}: spec.replicas (${p.handover}) handed to the field manager berth-handover until its HorizontalPodAutoscaler scales it`,
        );
      }
      const result = await serverSideApply(ctx, obj, false, FIELD_MANAGER, p.force);
      return p.extras?.length ? removeExtras(ctx, obj, result) : result;
    });
    const failures: Rejection[] = [];
    settled.forEach((s, i) => {
      const obj = wave[i];
      const p = byKey.get(keyOf(obj))!;
      if (s.status === 'fulfilled') {
        applied.push(describe(obj));
        results?.set(keyOf(obj), s.value);
        ctx.reporter.object({ action: p.action === 'create' ? 'created' : 'configured', object: describe(obj), changes: p.changes });
      } else {
        if (ctx.signal?.aborted) throw s.reason;
        const rejected = isRejection(s.reason);
        failures.push({
          object: describe(obj),
          message: errorMessage(s.reason),
          status: s.reason instanceof KubeApiError ? s.reason.status : undefined,
          rejected,
        });
      }
    });
    if (failures.length) throw new ApplyError(applied, failures);
  }
  return applied;
}
