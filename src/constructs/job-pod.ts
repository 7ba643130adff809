/** What a job's two constructs (MigrationJob, CronJob) share: its pod template and its ServiceAccount. */
import type { PodTemplateSpec } from './k8s-types.js';
import type { Construct } from 'constructs';
import type { ResolvedJob } from '../declaration/jobs.js';
import type { ServiceDeclaration } from '../declaration/types.js';
import { drainTimings } from './drain-budget.js';
import { kube, type Metadata } from './kube.js';
import { podTemplate } from './pod-template.js';
import { pullSecrets } from './pod-options.js';

/** Job fields with no meaning for a pod (or another one: a service's `timeoutSeconds` is the load balancer's). */
const JOB_ONLY = new Set([
  'imagePullSecrets',
  'from',
  'timeoutSeconds',
  'backoffLimit',
  'beforeDeploy',
  'schedule',
  'timeZone',
  'concurrencyPolicy',
  'startingDeadlineSeconds',
  'enabled',
]);

/** The job as the service-shaped input of `podTemplate`: no port, so no probes, no ports and no preStop hook. */
function podInput(job: ResolvedJob): ServiceDeclaration {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(job)) if (!JOB_ONLY.has(k)) out[k] = v;
  return out as unknown as ServiceDeclaration;
}

/**
 * The services' pod template (restricted Pod Security, memory request = limit, read-only root, /tmp emptyDir),
 * run to completion: `restartPolicy: Never` (the Job retries with new pods, `backoffLimit`), no zone/node
 * spreading (one pod), and nothing a service pod has only for traffic (probes, ports, preStop).
 */
export function jobPodTemplate(job: ResolvedJob, labels: Record<string, string>): PodTemplateSpec {
  const template = podTemplate({ service: podInput(job), labels, drain: drainTimings() });
  const { topologySpreadConstraints: _t, affinity: _a, ...spec } = template.spec!;
  const containers = spec.containers.map(({ readinessProbe: _r, livenessProbe: _l, startupProbe: _s, ports: _p, lifecycle: _c, ...c }) => c);
  return { metadata: template.metadata, spec: { ...spec, containers, restartPolicy: 'Never' } };
}

/** The job's own ServiceAccount (named after it; annotated for Workload Identity when it has a Google service account; with its pull secrets). */
export function jobServiceAccount(scope: Construct, job: ResolvedJob, metadata: Metadata): void {
  const annotations = { ...metadata.annotations, ...(job.gcpServiceAccount ? { 'iam.gke.io/gcp-service-account': job.gcpServiceAccount } : {}) };
  kube(
    scope,
    'ServiceAccount',
    'ServiceAccount',
    { ...metadata, annotations },
    { automountServiceAccountToken: false, imagePullSecrets: pullSecrets(job.imagePullSecrets) },
  );
}
