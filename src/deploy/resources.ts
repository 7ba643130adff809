/** Mapping from apiVersion/kind to REST paths; a static table for berth's kinds, discovery for anything else. */
import type { KubeObject } from '../render/types.js';

export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

const KNOWN: readonly ResourceInfo[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true },
  { group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true },
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false },
  { group: 'cloud.google.com', version: 'v1', kind: 'BackendConfig', plural: 'backendconfigs', namespaced: true },
  { group: 'networking.gke.io', version: 'v1beta1', kind: 'FrontendConfig', plural: 'frontendconfigs', namespaced: true },
  { group: 'networking.gke.io', version: 'v1', kind: 'ManagedCertificate', plural: 'managedcertificates', namespaced: true },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
];

/** `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → { group: '', version: 'v1' }. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** `Kind.group`, or just `Kind` for the core group (ApplySet's group-kind spelling). */
export function groupKind(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const { group } = splitApiVersion(obj.apiVersion);
  return group ? `${obj.kind}.${group}` : obj.kind;
}

export function knownResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return KNOWN.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** Preferred known version for a `Kind.group` (used when pruning kinds no longer in the declaration). */
export function knownGroupKind(gk: string): ResourceInfo | undefined {
  const dot = gk.indexOf('.');
  const kind = dot < 0 ? gk : gk.slice(0, dot);
  const group = dot < 0 ? '' : gk.slice(dot + 1);
  return KNOWN.find((r) => r.group === group && r.kind === kind);
}

function prefix(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

/** Collection path: `/apis/apps/v1/namespaces/ns/deployments` (or cluster-wide for cluster-scoped kinds / no namespace). */
export function collectionPath(r: ResourceInfo, namespace?: string): string {
  return r.namespaced && namespace ? `${prefix(r)}/namespaces/${namespace}/${r.plural}` : `${prefix(r)}/${r.plural}`;
}

export function objectPath(r: ResourceInfo, name: string, namespace?: string): string {
  return `${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
}

/** Group-version discovery document path (`/api/v1` or `/apis/g/v`). */
export function discoveryPath(apiVersion: string): string {
  return prefix(splitApiVersion(apiVersion));
}

/** Parse an APIResourceList into ResourceInfo for one kind. */
export function fromDiscovery(apiVersion: string, kind: string, doc: unknown): ResourceInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const list = (doc as { resources?: { name: string; kind: string; namespaced: boolean }[] }).resources ?? [];
  const hit = list.find((r) => r.kind === kind && !r.name.includes('/'));
  return hit ? { group, version, kind, plural: hit.name, namespaced: hit.namespaced } : undefined;
}

/** `Deployment production/api` for messages. */
export function describe(obj: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = obj.metadata.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name}`;
}
