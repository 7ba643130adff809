import type { KubeObject } from './types.js';

/**
 * Apply order by kind: Namespace, the GKE config objects others reference, ServiceAccount,
 * ConfigMap/Secret, Service, Deployment, PDB, HPA, Ingress (the overlap of Argo CD, Flux and kapp).
 * Unknown kinds go after the known ones, before the Ingress.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace', 'BackendConfig', 'FrontendConfig', 'ManagedCertificate', 'ServiceAccount', 'ConfigMap', 'Secret',
  'Service', 'Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Ingress',
];

export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i >= 0 ? i : KIND_ORDER.length - 1.5;
}

/** Sorted copy: kind rank, then namespace, then name (stable, deterministic). */
export function sortForApply<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) =>
    kindRank(a.kind) - kindRank(b.kind)
    || compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '')
    || compare(a.metadata.name, b.metadata.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
