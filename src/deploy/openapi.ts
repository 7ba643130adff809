/**
 * The API server's OpenAPI v3 schemas, fetched once per group-version and run: `GET /openapi/v3` (the index, whose
 * URLs carry a content hash), then `GET /openapi/v3/<api/v1|apis/group/version>?hash=…` for each group-version the
 * objects use. Built-in kinds and CRDs alike (a CRD's structural schema is published under its group-version).
 * A server without `/openapi/v3` gives `undefined`: the caller falls back to server-side dry runs.
 */
import { KubeApiError, type KubeClient } from './client.js';
import { GroupVersionValidator, type SchemaDocument } from './openapi-validate.js';
import { splitApiVersion } from './resources.js';

interface Index {
  readonly paths?: Record<string, { readonly serverRelativeURL?: string }>;
}

/** Per-client schema cache (one deploy run uses one client). */
export class OpenApiSchemas {
  private index: Promise<Index | undefined> | undefined;
  private readonly validators = new Map<string, Promise<GroupVersionValidator | undefined>>();

  constructor(private readonly client: KubeClient) {}

  /** The validator for `apiVersion`, or undefined when the server publishes no OpenAPI v3 for it. */
  validator(apiVersion: string): Promise<GroupVersionValidator | undefined> {
    let v = this.validators.get(apiVersion);
    if (!v) {
      v = this.load(apiVersion);
      this.validators.set(apiVersion, v);
    }
    return v;
  }

  private async load(apiVersion: string): Promise<GroupVersionValidator | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    const index = await this.readIndex();
    const url = index?.paths?.[key]?.serverRelativeURL;
    if (!url) return undefined;
    const [path, query] = url.split('?', 2) as [string, string | undefined];
    const doc = await this.client.request<SchemaDocument>({ method: 'GET', path, query: Object.fromEntries(new URLSearchParams(query ?? '')) });
    return new GroupVersionValidator(doc, key);
  }

  private readIndex(): Promise<Index | undefined> {
    this.index ??= this.client.request<Index>({ method: 'GET', path: '/openapi/v3' }).catch((err: unknown) => {
      if (err instanceof KubeApiError && (err.status === 404 || err.status === 403)) return undefined;
      throw err;
    });
    return this.index;
  }
}

const perClient = new WeakMap<KubeClient, OpenApiSchemas>();

/** The schema cache of one client (so a run fetches each group-version once). */
export function schemasOf(client: KubeClient): OpenApiSchemas {
  let s = perClient.get(client);
  if (!s) {
    s = new OpenApiSchemas(client);
    perClient.set(client, s);
  }
  return s;
}
