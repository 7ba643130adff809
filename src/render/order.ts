import type { KubeObject } from './types.js';

/**
 * Apply order by kind, the overlap of Argo CD, Flux and kapp: Namespace (and CRDs), the GKE config
 * objects others reference, identity and policy, ConfigMap/Secret, Service, Deployment, PDB, HPA,
 * Ingress. Kinds of equal rank can be applied together; pruning walks the order backwards.
 * The one ordering used for rendered files and for deploy.
 */
const RANKS: Readonly<Record<string, number>> = {
  Namespace: 0,
  CustomResourceDefinition: 0,
  BackendConfig: 1,
  FrontendConfig: 1,
  ManagedCertificate: 1,
  // before any pod: a pod naming a missing PriorityClass, or created before its namespace's LimitRange, is refused or left without defaults
  PriorityClass: 1,
  ResourceQuota: 1,
  LimitRange: 1,
  ServiceAccount: 2,
  Role: 2,
  ClusterRole: 2,
  RoleBinding: 2,
  ClusterRoleBinding: 2,
  NetworkPolicy: 2,
  ConfigMap: 3,
  Secret: 3,
  Service: 5,
  Deployment: 6,
  StatefulSet: 6,
  Job: 6,
  CronJob: 6,
  PodDisruptionBudget: 7,
  HorizontalPodAutoscaler: 8,
  Ingress: 9,
};

/** Kinds berth does not know go after ConfigMaps/Secrets and before Services. */
const UNKNOWN_RANK = 4;

export function kindRank(kind: string): number {
  return RANKS[kind] ?? UNKNOWN_RANK;
}

/** Sorted copy: kind rank, kind, namespace, name (code-unit order, so the same on every machine). */
export function sortForApply<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort(
    (a, b) =>
      kindRank(a.kind) - kindRank(b.kind) ||
      compare(a.kind, b.kind) ||
      compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
      compare(a.metadata.name, b.metadata.name),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
