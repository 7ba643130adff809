import { createHash } from 'node:crypto';
import type { JobSpec } from './k8s-types.js';
import { Construct } from 'constructs';
import { DEFAULT_BACKOFF_LIMIT } from '../declaration/defaults.js';
import type { ResolvedJob } from '../declaration/jobs.js';
import { jobPodTemplate, jobServiceAccount } from './job-pod.js';
import { kube, sortedJson } from './kube.js';
import { imageVersion, jobLabels } from './labels.js';

export interface MigrationJobProps {
  /** The job as it runs in this environment (overrides and `from` applied, validated, `beforeDeploy: true`). */
  readonly job: ResolvedJob;
  readonly namespace: string;
  readonly environment: string;
}

/** Finished migration Jobs are deleted a day later (ttlSecondsAfterFinished): long enough to read their logs. */
export const MIGRATION_TTL_SECONDS = 86400;
/** Default deadline of a migration run, retries included (activeDeadlineSeconds). */
export const DEFAULT_MIGRATION_TIMEOUT_SECONDS = 600;
/** Default retries of a failed migration pod. */
export { DEFAULT_BACKOFF_LIMIT };
/** Hex digits of the content hash in a migration Job's name. */
export const HASH_LENGTH = 8;

/** Argo CD runs these before the sync, deleting the previous run first; other tools ignore them. */
const ARGO_PRE_SYNC = { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' };

/**
 * A migration: a batch/v1 Job run by `deploy` before any workload changes. Its pod template is immutable, so its
 * name carries a short hash of everything that defines it (`migrate-3f2a9c1b`): a changed image, command or env is
 * a new Job, an unchanged one is the Job that already ran. Plus the job's own ServiceAccount (an Argo CD PreSync
 * hook too, created just before the Job).
 */
export class MigrationJob extends Construct {
  /** The Job's name: `<job>-<hash>`. */
  readonly jobName: string;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const j = props.job;
    const labels = jobLabels(j.name, props.environment, true);
    jobServiceAccount(this, j, { name: j.name, namespace: props.namespace, labels, annotations: { ...ARGO_PRE_SYNC, 'argocd.argoproj.io/hook-weight': '-1' } });
    const versioned = { ...labels, 'app.kubernetes.io/version': imageVersion(j.image) };
    const spec: JobSpec = {
      backoffLimit: j.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
      activeDeadlineSeconds: j.timeoutSeconds ?? DEFAULT_MIGRATION_TIMEOUT_SECONDS,
      ttlSecondsAfterFinished: MIGRATION_TTL_SECONDS,
      template: jobPodTemplate(j, versioned),
    };
    const metadata = { namespace: props.namespace, labels: versioned, annotations: ARGO_PRE_SYNC };
    this.jobName = `${j.name}-${contentHash({ metadata, spec })}`;
    kube(this, 'Job', 'Job', { ...metadata, name: this.jobName }, { spec });
  }
}

/** The first HASH_LENGTH hex digits of a SHA-256 over the canonical JSON (sorted keys) of what defines the Job. */
export function contentHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortedJson(value)))
    .digest('hex')
    .slice(0, HASH_LENGTH);
}
