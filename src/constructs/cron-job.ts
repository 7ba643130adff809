import type { CronJobSpec } from './k8s-types.js';
import { Construct } from 'constructs';
import type { ResolvedJob } from '../declaration/jobs.js';
import { jobPodTemplate, jobServiceAccount } from './job-pod.js';
import { kube } from './kube.js';
import { DEFAULT_BACKOFF_LIMIT } from './migration-job.js';
import { imageVersion, jobLabels } from './labels.js';

export interface CronJobProps {
  /** The job as it runs in this environment (overrides and `from` applied, validated, with a `schedule`). */
  readonly job: ResolvedJob;
  readonly namespace: string;
  readonly environment: string;
}

/** Default deadline of one scheduled run, retries included (activeDeadlineSeconds). */
export const DEFAULT_CRON_TIMEOUT_SECONDS = 3600;
/** Finished runs kept for `kubectl logs` (successful and failed alike). */
export const HISTORY_LIMIT = 3;

/** A scheduled job: its ServiceAccount and a batch/v1 CronJob (concurrencyPolicy Forbid unless declared). */
export class CronJob extends Construct {
  constructor(scope: Construct, id: string, props: CronJobProps) {
    super(scope, id);
    const j = props.job;
    const labels = jobLabels(j.name, props.environment, false);
    const metadata = { name: j.name, namespace: props.namespace, labels };
    jobServiceAccount(this, j, metadata);
    const versioned = { ...labels, 'app.kubernetes.io/version': imageVersion(j.image) };
    const spec: CronJobSpec = {
      schedule: j.schedule!,
      timeZone: j.timeZone,
      concurrencyPolicy: j.concurrencyPolicy ?? 'Forbid',
      startingDeadlineSeconds: j.startingDeadlineSeconds,
      successfulJobsHistoryLimit: HISTORY_LIMIT,
      failedJobsHistoryLimit: HISTORY_LIMIT,
      jobTemplate: {
        metadata: { labels: versioned },
        spec: {
          backoffLimit: j.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
          activeDeadlineSeconds: j.timeoutSeconds ?? DEFAULT_CRON_TIMEOUT_SECONDS,
          template: jobPodTemplate(j, versioned),
        },
      },
    };
    kube(this, 'CronJob', 'CronJob', { ...metadata, labels: versioned }, { spec });
  }
}
