import type { KubeObject } from './types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where each pod-bearing kind keeps its pod spec (dot path from the object's root). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Kinds that carry a pod template (or are a pod). */
export const POD_BEARING_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** The pod spec of a pod-bearing object and its field path (e.g. `spec.jobTemplate.spec.template.spec`). */
export interface PodSpecOf {
  readonly spec: Json;
  readonly path: string;
}

/**
 * The pod spec of any pod-bearing object, or undefined for other kinds. A pod-bearing object
 * without a pod spec yields an empty one, so the checks report its missing fields.
 */
export function podSpecOf(object: KubeObject): PodSpecOf | undefined {
  const keys = POD_SPEC_PATHS[object.kind];
  if (!keys) return undefined;
  let node: unknown = object;
  for (const key of keys) node = (node as Json | undefined)?.[key];
  return { spec: node ?? {}, path: keys.join('.') };
}
