/**
 * Removing the namespace a failed first deploy created, safely: only the namespace this run created (DELETE with a
 * uid precondition, so a namespace of the same name created by someone else meanwhile is never touched), and only
 * while it holds nothing berth did not create (every namespaced kind the cluster serves is listed). Otherwise the
 * namespace is left and the reason is given.
 */
import type { KubeObject } from '../render/types.js';
import { LABEL_ID, LABEL_PART_OF } from './applyset.js';
import { KubeApiError } from './client.js';
import type { DeployContext } from './context.js';
import { listObjects } from './live.js';
import type { ResourceInfo } from './resources.js';

interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs?: readonly string[];
}

/** Kinds the cluster itself writes in reaction to berth's objects, never a sign of another actor. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

/** Every namespaced, listable resource the cluster serves (preferred versions). */
export async function namespacedResources(ctx: DeployContext): Promise<ResourceInfo[]> {
  const docs: { group: string; version: string; path: string }[] = [{ group: '', version: 'v1', path: '/api/v1' }];
  const groups = await ctx.client.request<{ groups?: { name: string; preferredVersion?: { version?: string } }[] }>({ method: 'GET', path: '/apis' });
  for (const g of groups.groups ?? []) {
    const v = g.preferredVersion?.version;
    if (v) docs.push({ group: g.name, version: v, path: `/apis/${g.name}/${v}` });
  }
  const out: ResourceInfo[] = [];
  await Promise.all(
    docs.map(async (d) => {
      const list = await ctx.client.request<{ resources?: ApiResource[] }>({ method: 'GET', path: d.path });
      for (const r of list.resources ?? []) {
        if (!r.namespaced || r.name.includes('/') || !r.verbs?.includes('list') || IGNORED.has(`${d.group}/${r.name}`)) continue;
        out.push({ group: d.group, version: d.version, kind: r.kind, plural: r.name, namespaced: true });
      }
    }),
  );
  return out;
}

type Live = KubeObject & { metadata: KubeObject['metadata'] & { uid?: string; ownerReferences?: { uid: string }[] } };

/** Objects the control plane makes in every namespace. */
function isBuiltIn(o: Live): boolean {
  return (o.kind === 'ConfigMap' && o.metadata.name === 'kube-root-ca.crt') || (o.kind === 'ServiceAccount' && o.metadata.name === 'default');
}

/**
 * Objects in `namespace` berth did not create: not members of the ApplySet `id`, not its parent, not built in, not
 * owned (ownerReferences, transitively) by any of those, and not the Endpoints of a member Service.
 */
export function foreignIn(objects: readonly Live[], id: string): Live[] {
  const ours = new Set<string>();
  const memberServices = new Set<string>();
  for (const o of objects) {
    const l = o.metadata.labels ?? {};
    if (l[LABEL_PART_OF] === id || l[LABEL_ID] === id || isBuiltIn(o)) {
      if (o.metadata.uid) ours.add(o.metadata.uid);
      if (o.kind === 'Service' && l[LABEL_PART_OF] === id) memberServices.add(o.metadata.name);
    }
  }
  const isOurs = (o: Live): boolean =>
    (o.metadata.uid !== undefined && ours.has(o.metadata.uid)) || (o.kind === 'Endpoints' && memberServices.has(o.metadata.name));
  for (let grew = true; grew;) {
    grew = false;
    for (const o of objects) {
      if (!o.metadata.uid || isOurs(o) || !o.metadata.ownerReferences?.some((r) => ours.has(r.uid))) continue;
      ours.add(o.metadata.uid);
      grew = true;
    }
  }
  return objects.filter((o) => !isOurs(o));
}

export interface Cleanup {
  readonly deleted: boolean;
  /** Why the namespace was left (when not deleted). */
  readonly reason?: string;
}

/** Deletes the namespace this run created (uid `uid`) when it holds nothing berth did not create. */
export async function cleanupNewNamespace(ctx: DeployContext, namespace: string, uid: string | undefined, id: string): Promise<Cleanup> {
  if (!uid) return { deleted: false, reason: 'its uid is unknown, so it cannot be proven to be the one this run created' };
  let foreign: Live[];
  try {
    const resources = await namespacedResources(ctx);
    const lists = await Promise.all(resources.map((r) => listObjects(ctx, r, namespace)));
    foreign = foreignIn(lists.flat(), id);
  } catch (err) {
    return { deleted: false, reason: `it could not be checked for objects berth did not create (${(err as Error).message})` };
  }
  if (foreign.length) {
    const names =
      foreign
        .slice(0, 10)
        .map((o) => `${o.kind}/${o.metadata.name}`)
        .join(', ') + (foreign.length > 10 ? `, … (${foreign.length} in all)` : '');
    return { deleted: false, reason: `it now holds objects berth did not create: ${names}` };
  }
  try {
    await ctx.client.request({
      method: 'DELETE',
      path: `/api/v1/namespaces/${namespace}`,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } },
    });
    return { deleted: true };
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409)
      return { deleted: false, reason: 'it is no longer the namespace this run created (its uid changed: someone recreated it)' };
    if (err instanceof KubeApiError && err.status === 404) return { deleted: true };
    return { deleted: false, reason: `deleting it failed (${(err as Error).message})` };
  }
}
