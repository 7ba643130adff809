/**
 * Ownership is proven, not assumed: berth writes over a live object only when it carries this environment's ApplySet
 * membership (`applyset.kubernetes.io/part-of=<id>`). Anything else with a declared name is foreign: an error with a
 * fix, unless `--adopt` takes it over (recorded in the `berth.dev/adopted-at` annotation, owned by the field manager
 * `berth-adopt` so later applies keep it). Field conflicts with other managers (a 409 from the dry run) are reported
 * per field and manager and forced only with `--force-conflicts`, as kubectl does.
 */
import type { KubeObject } from '../render/types.js';
import { isShared, LABEL_PART_OF } from './applyset.js';
import { KubeApiError } from './client.js';
import { type DeployContext, describe } from './context.js';

export const ANNOTATION_ADOPTED = 'berth.dev/adopted-at';
export const ADOPT_FIELD_MANAGER = 'berth-adopt';

export interface Foreign {
  readonly object: string;
  /** Who wrote it: another ApplySet, or the field managers of its managedFields. */
  readonly owner: string;
}

interface ManagedField {
  readonly manager?: string;
  readonly operation?: string;
}

function managers(live: KubeObject): string[] {
  const fields = (live.metadata as { managedFields?: ManagedField[] }).managedFields ?? [];
  return [...new Set(fields.map((f) => f.manager).filter((m): m is string => !!m))].sort();
}

/** Who owns a live object berth did not apply for this environment. */
export function ownerOf(live: KubeObject): string {
  const other = live.metadata.labels?.[LABEL_PART_OF];
  if (other) return `another ApplySet (${other}): a different berth environment or a kubectl --applyset`;
  const names = managers(live);
  return names.length ? `field manager(s) ${names.map((m) => `"${m}"`).join(', ')}` : 'an unknown writer';
}

/** Whether the live object carries this environment's ApplySet membership. */
export function isMember(live: KubeObject, id: string): boolean {
  return live.metadata.labels?.[LABEL_PART_OF] === id;
}

/**
 * Live objects with a declared name that are not members of this environment's ApplySet. Objects berth shares
 * across environments (the PriorityClasses, outside every ApplySet) belong to berth when the live one carries
 * berth's shared label too.
 */
export function foreignObjects(desired: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>, id: string, key: (o: KubeObject) => string): Foreign[] {
  const out: Foreign[] = [];
  for (const d of desired) {
    const l = live.get(key(d));
    const ours = l !== undefined && (isShared(d) ? isShared(l) : isMember(l, id));
    if (l && !ours) out.push({ object: describe(d), owner: ownerOf(l) });
  }
  return out;
}

/** Declared objects exist in the cluster but berth did not create them for this environment: nothing was written. */
export class OwnershipError extends Error {
  constructor(
    readonly foreign: readonly Foreign[],
    environment: string,
  ) {
    const lines = foreign.slice(0, 20).map((f) => `  ${f.object}: written by ${f.owner}`);
    if (foreign.length > 20) lines.push(`  ... and ${foreign.length - 20} more`);
    super(
      `${foreign.length} declared object(s) already exist and do not belong to environment "${environment}"; nothing was written:\n` +
        `${lines.join('\n')}\n` +
        'fix: rename the service (or environment namespace) so the names do not collide, remove the existing object, or rerun with ' +
        '--adopt to take it over (berth then owns, updates and prunes it; recorded in the berth.dev/adopted-at annotation)',
    );
    this.name = 'OwnershipError';
  }
}

export interface Conflict {
  readonly object: string;
  readonly field: string;
  readonly manager: string;
  /** Instead of "is owned by <manager>": what is wrong (an undeclared container or variable in the pod template). */
  readonly detail?: string;
}

/** Field managers other than berth's own, for naming who added something. */
export function otherManagers(live: KubeObject | undefined): string {
  const names = live ? managers(live).filter((m) => m !== 'berth' && !m.startsWith('berth-')) : [];
  return names.length ? names.map((m) => `"${m}"`).join(', ') : 'another writer';
}

/** `conflict with "kubectl-edit" using apps/v1` (field in `field`), older servers append `: .spec.replicas`. */
const CONFLICT_CAUSE = /conflict with "([^"]+)"(?:[^:]*: (\S+))?/;

/** Field conflicts of a 409 answer to an apply (from the Status details causes). */
export function conflictsOf(err: unknown, object: string): Conflict[] | undefined {
  if (!(err instanceof KubeApiError) || err.status !== 409) return undefined;
  const out = err.causes.map((c) => {
    const m = CONFLICT_CAUSE.exec(c.message ?? '');
    return { object, field: c.field ?? m?.[2] ?? '?', manager: m?.[1] ?? 'another field manager' };
  });
  return out.length ? out : [{ object, field: '?', manager: err.message }];
}

/** Fields berth would change are owned by other field managers: nothing was written. */
export class ConflictError extends Error {
  constructor(readonly conflicts: readonly Conflict[]) {
    const lines = conflicts
      .slice(0, 30)
      .map((c) => (c.detail ? `  ${c.object}: ${c.field}: ${c.detail} (added by ${c.manager})` : `  ${c.object}: ${c.field} is owned by "${c.manager}"`));
    if (conflicts.length > 30) lines.push(`  ... and ${conflicts.length - 30} more`);
    super(
      `${conflicts.length} field(s) berth would change are managed by someone else; nothing was written:\n${lines.join('\n')}\n` +
        'fix: change them back (or stop the other writer, e.g. remove the field from its own apply), declare what should stay, or rerun with ' +
        '--force-conflicts to take them over and remove what is not declared (as kubectl apply --server-side --force-conflicts does)',
    );
    this.name = 'ConflictError';
  }
}

/** Records an adoption on the object itself: `berth.dev/adopted-at`, owned by `berth-adopt` so berth's own applies keep it. */
export async function recordAdoption(ctx: DeployContext, obj: KubeObject, path: string, at: string): Promise<void> {
  const { name, namespace } = obj.metadata;
  await ctx.client.request({
    method: 'PATCH',
    path,
    query: { fieldManager: ADOPT_FIELD_MANAGER, force: 'true' },
    contentType: 'application/apply-patch+yaml',
    body: { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, ...(namespace ? { namespace } : {}), annotations: { [ANNOTATION_ADOPTED]: at } } },
  });
}
