/**
 * What a reviewer cares about per service, read back from rendered manifests:
 * images, replicas, memory, cpu, public hosts; plus a fingerprint of everything else.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject, RenderedFile } from '../render/types.js';
import { isManifest } from './ownership.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const NAME_LABEL = 'app.kubernetes.io/name';
const VERSION_LABEL = 'app.kubernetes.io/version';

export interface ServiceFacts {
  /** Container name → image, init containers included. */
  readonly images: Readonly<Record<string, string>>;
  /** `2`, or `2–10` when autoscaled. */
  readonly replicas?: string;
  readonly memory?: string;
  readonly cpu?: string;
  readonly hosts: readonly string[];
  /** `Kind/name` → JSON of the object minus the facts above (detects "other" changes). */
  readonly rest: Readonly<Record<string, string>>;
}

export interface RenderingFacts {
  readonly services: ReadonlyMap<string, ServiceFacts>;
  /** Objects not owned by one service (Namespace, Ingress, ...): `Kind/name` → JSON minus hosts. */
  readonly shared: Readonly<Record<string, string>>;
}

/** Every Kubernetes object in the manifest files (not kustomization.yaml, not routes.md). */
export function objectsOf(files: readonly RenderedFile[]): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const file of files.filter((f) => isManifest(f.path))) {
    for (const doc of parseAllDocuments(file.content)) {
      const value: unknown = 'toJS' in doc ? doc.toJS() : undefined;
      if (isKubeObject(value)) objects.push(value);
    }
  }
  return objects;
}

function isKubeObject(value: unknown): value is KubeObject {
  const v = value as Partial<KubeObject> | null;
  return typeof v === 'object' && v !== null && typeof v.kind === 'string' && typeof v.metadata?.name === 'string';
}

/** The kinds that run a service's pods. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet']);

export function factsOf(objects: readonly KubeObject[]): RenderingFacts {
  const owners = new Set(
    objects
      .filter((o) => WORKLOADS.has(o.kind))
      .map((o) => serviceOf(o))
      .filter(isString),
  );
  const hosts = hostsByService(objects);
  const grouped = new Map<string, KubeObject[]>();
  const shared: Record<string, string> = {};
  for (const object of objects) {
    const service = serviceOf(object);
    if (service !== undefined && owners.has(service)) {
      grouped.set(service, [...(grouped.get(service) ?? []), object]);
    } else {
      shared[key(object)] = stableJson(withoutFacts(object));
    }
  }
  const services = new Map<string, ServiceFacts>();
  for (const [service, group] of [...grouped].sort(([a], [b]) => (a < b ? -1 : 1))) {
    services.set(service, serviceFacts(group, hosts.get(service) ?? []));
  }
  return { services, shared };
}

function serviceFacts(group: readonly KubeObject[], hosts: readonly string[]): ServiceFacts {
  const deployment = group.find((o) => WORKLOADS.has(o.kind));
  const hpa = group.find((o) => o.kind === 'HorizontalPodAutoscaler');
  const pod = (deployment?.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec ?? {};
  const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const main = pod.containers?.[0];
  const images: Record<string, string> = {};
  for (const container of containers) images[container.name ?? '?'] = container.image ?? '?';
  const hpaSpec = hpa?.spec as { minReplicas?: number; maxReplicas?: number } | undefined;
  const fixed = (deployment?.spec as { replicas?: number } | undefined)?.replicas;
  const replicas = hpaSpec ? `${hpaSpec.minReplicas ?? 1}–${hpaSpec.maxReplicas ?? '?'}` : fixed?.toString();
  const rest: Record<string, string> = {};
  for (const object of group) rest[key(object)] = stableJson(withoutFacts(object));
  return {
    images,
    replicas,
    memory: quantity(main?.resources, 'memory'),
    cpu: quantity(main?.resources, 'cpu'),
    hosts: [...new Set(hosts)].sort(),
    rest,
  };
}

interface Container {
  name?: string;
  image?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
}

/** `512Mi`, or `512Mi (limit 1Gi)` when the limit differs from the request. */
function quantity(resources: Container['resources'], name: string): string | undefined {
  const request = resources?.requests?.[name];
  const limit = resources?.limits?.[name];
  if (request === undefined) return limit === undefined ? undefined : `limit ${limit}`;
  return limit === undefined || String(limit) === String(request) ? String(request) : `${request} (limit ${limit})`;
}

/** Public hosts per service, from every Ingress rule's backend Service. */
function hostsByService(objects: readonly KubeObject[]): Map<string, string[]> {
  const serviceOfK8sService = new Map(objects.filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, serviceOf(o) ?? o.metadata.name]));
  const result = new Map<string, string[]>();
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    const rules = (ingress.spec as { rules?: IngressRule[] } | undefined)?.rules ?? [];
    for (const rule of rules) {
      for (const p of rule.http?.paths ?? []) {
        const backend = p.backend?.service?.name;
        if (rule.host === undefined || backend === undefined) continue;
        const service = serviceOfK8sService.get(backend) ?? backend;
        result.set(service, [...(result.get(service) ?? []), rule.host]);
      }
    }
  }
  return result;
}

interface IngressRule {
  host?: string;
  http?: { paths?: { backend?: { service?: { name?: string } } }[] };
}

/** A copy without the summarized facts, so "everything else" can be compared. */
function withoutFacts(object: KubeObject): unknown {
  const copy = JSON.parse(JSON.stringify(object)) as Json;
  // `app.kubernetes.io/version` restates the image tag: already summarized as the image change.
  delete copy.metadata?.labels?.[VERSION_LABEL];
  delete copy.spec?.template?.metadata?.labels?.[VERSION_LABEL];
  if (WORKLOADS.has(object.kind)) {
    delete copy.spec?.replicas;
    for (const c of [...(copy.spec?.template?.spec?.containers ?? []), ...(copy.spec?.template?.spec?.initContainers ?? [])]) {
      delete c.image;
      delete c.resources;
    }
  }
  if (object.kind === 'HorizontalPodAutoscaler') {
    delete copy.spec?.minReplicas;
    delete copy.spec?.maxReplicas;
  }
  if (object.kind === 'Ingress') {
    delete copy.spec?.rules;
    delete copy.spec?.tls;
  }
  if (object.kind === 'ManagedCertificate') delete copy.spec?.domains;
  return copy;
}

export function serviceOf(object: KubeObject): string | undefined {
  return object.metadata.labels?.[NAME_LABEL];
}

function key(object: KubeObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}

/** JSON with object keys sorted, so key order never counts as a change. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
