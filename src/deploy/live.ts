/** Reading live state with a few LIST requests (one per kind in the environment's namespace), not one GET per object. */
import type { KubeObject } from '../render/types.js';
import { KubeApiError } from './client.js';
import { type DeployContext, keyOf } from './context.js';
import type { ParentRef } from './applyset.js';
import { type ResourceInfo, collectionPath, objectPath } from './resources.js';

export interface LiveState {
  readonly namespaceExists: boolean;
  /** Live objects by keyOf(). */
  readonly objects: Map<string, KubeObject>;
  /** Full LIST results by `<group>/<plural>|<namespace>` (reused by prune). */
  readonly lists: Map<string, KubeObject[]>;
  readonly parent: KubeObject | undefined;
}

export function listKey(r: ResourceInfo, namespace: string | undefined): string {
  return `${r.group}/${r.plural}|${r.namespaced ? (namespace ?? '') : ''}`;
}

/** GET that maps 404 to undefined. */
export async function getOptional(ctx: DeployContext, path: string): Promise<KubeObject | undefined> {
  try {
    return await ctx.client.request<KubeObject>({ method: 'GET', path });
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** LIST a collection (optionally by label selector), filling in apiVersion/kind on items. */
export async function listObjects(ctx: DeployContext, r: ResourceInfo, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  const items: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const page = await ctx.client.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>({
      method: 'GET',
      path: collectionPath(r, namespace),
      query: { labelSelector, limit: '2000', continue: cont },
    });
    for (const it of page.items ?? []) items.push({ ...it, apiVersion, kind: r.kind });
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return items;
}

/**
 * Live state for the desired objects and the ApplySet parent, in as few requests as possible, all sent at once: the
 * namespace, one LIST per kind and namespace, the parent, and a GET per cluster-scoped object. When the environment's
 * namespace does not exist, the lists are not used (nothing of berth's can be live there).
 */
export async function readLive(ctx: DeployContext, desired: readonly KubeObject[], parent: ParentRef): Promise<LiveState> {
  const nsPath = `/api/v1/namespaces/${parent.namespace}`;
  const nsP = getOptional(ctx, nsPath);
  const resources = new Map<string, ResourceInfo>();
  const clusterScoped: { obj: KubeObject; r: ResourceInfo }[] = [];
  for (const obj of desired) {
    const r = await ctx.resources.resolve(obj.apiVersion, obj.kind);
    if (r.namespaced) resources.set(listKey(r, obj.metadata.namespace), r);
    else if (!(obj.kind === 'Namespace' && obj.metadata.name === parent.namespace)) clusterScoped.push({ obj, r });
  }
  const listed = [...resources].map(async ([key, r]) => [key, await listObjects(ctx, r, key.split('|')[1])] as const);
  const parentP = getOptional(ctx, `${nsPath}/secrets/${parent.name}`);
  const scoped = clusterScoped.map(async ({ obj, r }) => [obj, await getOptional(ctx, objectPath(r, obj.metadata.name))] as const);
  const [ns, lists, parentLive, cluster] = await Promise.all([nsP, Promise.all(listed), parentP, Promise.all(scoped)]);
  const objects = new Map<string, KubeObject>();
  if (ns) objects.set(keyOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: parent.namespace } }), { ...ns, apiVersion: 'v1', kind: 'Namespace' });
  for (const [obj, live] of cluster) if (live) objects.set(keyOf(obj), { ...live, apiVersion: obj.apiVersion, kind: obj.kind });
  if (!ns) return { namespaceExists: false, objects, lists: new Map(), parent: undefined };
  for (const [, items] of lists) for (const it of items) objects.set(keyOf(it), it);
  return { namespaceExists: true, objects, lists: new Map(lists), parent: parentLive };
}
