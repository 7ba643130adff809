import { Construct } from 'constructs';
import { PRIORITY_CLASSES, priorityClassName } from '../declaration/env-knobs.js';
import type { PriorityName } from '../declaration/types.js';
import { kube } from './kube.js';
import { sharedLabels } from './labels.js';

/** GitOps tools apply every environment's folder too: neither Flux nor Argo CD may garbage-collect a shared class. */
export const NEVER_PRUNE = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false' };

export interface PriorityClassesProps {
  /** The priorities the environment's services use (one PriorityClass each). */
  readonly priorities: readonly PriorityName[];
}

/**
 * berth's cluster-scoped PriorityClasses (`berth-high`, `berth-normal`, `berth-low`) that the environment's
 * pods name. Every environment that uses one renders the same object (same value, preemption policy and
 * description), labelled as shared: deploy applies it but keeps it out of the environment's ApplySet, so no
 * environment ever prunes a class another one uses (under GitOps, the annotations tell Flux and Argo CD the
 * same). None is `globalDefault`: pods berth does not render keep
 * the cluster's default priority.
 */
export class PriorityClasses extends Construct {
  constructor(scope: Construct, id: string, props: PriorityClassesProps) {
    super(scope, id);
    for (const p of props.priorities) {
      const spec = PRIORITY_CLASSES[p];
      kube(
        this,
        p,
        'PriorityClass',
        { name: priorityClassName(p), labels: sharedLabels(), annotations: NEVER_PRUNE },
        {
          // `globalDefault` stays unset (false): the API server omits a false value, so writing it would look like drift.
          value: spec.value,
          preemptionPolicy: spec.preemptionPolicy,
          description: spec.description,
        },
      );
    }
  }
}
