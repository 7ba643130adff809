import type { PodTemplateSpec, ServiceSpec } from './k8s-types.js';
import type { Construct } from 'constructs';
import type { ServiceDeclaration, StorageDeclaration } from '../declaration/types.js';
import { int, kube, qty, type Metadata } from './kube.js';
import { selectorLabels } from './labels.js';
import { HTTP_PORT_NAME } from './pod-template.js';
import { STORAGE_VOLUME } from './volumes.js';

/** GKE's default StorageClass: balanced persistent disk, ReadWriteOnce, zonal. */
export const DEFAULT_STORAGE_CLASS = 'standard-rwo';

export interface StatefulSetInput {
  readonly service: ServiceDeclaration & { readonly storage: StorageDeclaration };
  /** Metadata of the workload (versioned labels, annotations). */
  readonly metadata: Metadata;
  /** Labels of the service's other objects (no version: the headless Service and the claim template keep them forever). */
  readonly labels: Record<string, string>;
  readonly template: PodTemplateSpec;
  /** Fixed replica count; undefined when an HPA owns it. */
  readonly replicas: number | undefined;
}

/** `<service>-headless`: the StatefulSet's governing Service (per-pod DNS `<service>-<n>.<service>-headless`). */
export function headlessServiceName(service: string): string {
  return `${service}-headless`;
}

/**
 * A service with `storage`: a StatefulSet with one PersistentVolumeClaim per pod (`data-<service>-<n>`,
 * ReadWriteOnce), governed by a headless Service. `podManagementPolicy: Parallel` starts and scales pods
 * together (and avoids OrderedReady's "forced rollback" trap, where a broken pod blocks the rollout until
 * deleted by hand); rolling updates still replace one pod at a time, highest ordinal first, each waiting
 * for readiness. Claims are retained when the set is scaled down or deleted: data is never deleted by berth.
 */
export function addStatefulSet(scope: Construct, input: StatefulSetInput): void {
  const s = input.service;
  const selector = selectorLabels(s.name);
  const headless = headlessServiceName(s.name);
  const spec: ServiceSpec = {
    selector,
    publishNotReadyAddresses: true,
    ports: s.port === undefined ? undefined : [{ name: HTTP_PORT_NAME, port: s.port, targetPort: int(HTTP_PORT_NAME), protocol: 'TCP' }],
  };
  // The 1.27 structs spell it `clusterIp` (their toJson renames it); berth writes the JSON directly.
  kube(
    scope,
    'HeadlessService',
    'Service',
    { name: headless, namespace: input.metadata.namespace, labels: input.labels },
    { spec: Object.assign(spec, { clusterIP: 'None' }) },
  );
  kube(scope, 'StatefulSet', 'StatefulSet', input.metadata, {
    spec: {
      serviceName: headless,
      replicas: input.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: input.template,
      volumeClaimTemplates: [claimTemplate(s.storage, selector)],
    },
  });
}

function claimTemplate(storage: StorageDeclaration, labels: Record<string, string>) {
  return {
    metadata: { name: STORAGE_VOLUME, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.class ?? DEFAULT_STORAGE_CLASS,
      resources: { requests: { storage: qty(storage.size) } },
    },
  };
}
