/** What every deploy step shares: the API client, resource resolution (with cached discovery), reporting, cancellation. */
import type { KubeObject } from '../render/types.js';
import { KubeApiError, type KubeClient } from './client.js';
import type { Reporter } from './report.js';
import { type ResourceInfo, describe, discoveryPath, fromDiscovery, knownGroupKind, knownResource, objectPath } from './resources.js';

export interface DeployContext {
  readonly client: KubeClient;
  readonly resources: ResourceResolver;
  readonly reporter: Reporter;
  /** Requests in flight within one kind. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
}

export class ResourceResolver {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly client: KubeClient) {}

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const known = knownResource(apiVersion, kind);
    if (known) return known;
    const path = discoveryPath(apiVersion);
    let doc = this.cache.get(path);
    if (!doc) {
      doc = this.client.request({ method: 'GET', path }).catch((err: unknown) => {
        if (err instanceof KubeApiError && err.status === 404) return { resources: [] };
        throw err;
      });
      this.cache.set(path, doc);
    }
    const info = fromDiscovery(apiVersion, kind, await doc);
    if (!info) throw new Error(`the cluster does not serve ${kind} in ${apiVersion} (is its CRD installed?)`);
    return info;
  }

  /** Resolve a `Kind.group` from an ApplySet parent (berth's known kinds only, else discovery of the preferred version). */
  async resolveGroupKind(gk: string): Promise<ResourceInfo | undefined> {
    const known = knownGroupKind(gk);
    if (known) return known;
    const dot = gk.indexOf('.');
    if (dot < 0) return this.resolve('v1', gk).catch(() => undefined);
    const group = gk.slice(dot + 1);
    const groupDoc = await this.client.request<{ preferredVersion?: { version?: string } }>({ method: 'GET', path: `/apis/${group}` }).catch(() => undefined);
    const version = groupDoc?.preferredVersion?.version;
    return version ? this.resolve(`${group}/${version}`, gk.slice(0, dot)).catch(() => undefined) : undefined;
  }

  async pathOf(obj: KubeObject): Promise<string> {
    const r = await this.resolve(obj.apiVersion, obj.kind);
    return objectPath(r, obj.metadata.name, r.namespaced ? obj.metadata.namespace : undefined);
  }
}

/** `kind/namespace/name` identity used for maps (apiVersion left out: one object, several versions). */
export function keyOf(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return `${obj.kind}.${group}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

export { describe };
