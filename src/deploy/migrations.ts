/**
 * Migrations (jobs declared `beforeDeploy: true`): after the preflight and before any workload change, apply each
 * migration's ServiceAccount and Job, and wait until every Job is Complete. A failed or overdue migration stops the
 * deploy with the pod's reason and its last log lines; nothing else is applied.
 */
import type { KubeObject } from '../render/types.js';
import { type PlannedObject, applyPlanned } from './apply.js';
import { KubeApiError } from './client.js';
import { type DeployContext, describe } from './context.js';
import { getOptional, listObjects } from './live.js';
import { isBeforeDeploy, jobPodReason, jobVerdict, podForLogs } from './job-status.js';
import { knownResource, objectPath } from './resources.js';
import { sleep } from './retry.js';

/** Log lines shown from a failed migration's pod. */
export const LOG_LINES = 20;
const LOG_TIMEOUT_MS = 5000;
const PODS = knownResource('v1', 'Pod')!;

/** A migration failed or did not finish in time; nothing but the migration itself was changed. */
export class MigrationError extends Error {
  constructor(
    readonly job: string,
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

const isMigrationJob = (o: KubeObject): boolean => o.kind === 'Job' && isBeforeDeploy(o);

/**
 * Runs the migrations among `planned` (changed ones are applied; a same-named Job that failed before is deleted and
 * run again) and waits for all of them; returns what was written. Without migrations it does nothing.
 */
export async function runMigrations(ctx: DeployContext, planned: readonly PlannedObject[], timeoutMs: number, applied: string[] = []): Promise<string[]> {
  const mine = planned.filter((p) => isBeforeDeploy(p.desired));
  const jobs = mine.filter((p) => isMigrationJob(p.desired));
  if (jobs.length === 0) return applied;
  ctx.reporter.phase('migrate', `${jobs.length} job(s) before any workload change (timeout ${Math.round(timeoutMs / 1000)}s)`);
  const todo = await Promise.all(mine.map((p) => retryIfFailed(ctx, p)));
  await applyPlanned(ctx, todo, applied);
  await waitForJobs(
    ctx,
    jobs.map((p) => p.desired),
    timeoutMs,
  );
  return applied;
}

/** A Job that already ran under this name and failed is deleted, so that applying it runs the migration again. */
async function retryIfFailed(ctx: DeployContext, p: PlannedObject): Promise<PlannedObject> {
  if (!isMigrationJob(p.desired) || !p.live || jobVerdict(p.live).state !== 'failed') return p;
  ctx.reporter.info(`${describe(p.desired)} failed in an earlier deploy: deleting it to run it again`);
  const path = await ctx.resources.pathOf(p.desired);
  const uid = (p.live.metadata as { uid?: string }).uid;
  await ctx.client
    .request({
      method: 'DELETE',
      path,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) },
    })
    .catch((err: unknown) => {
      if (!(err instanceof KubeApiError && err.status === 404)) throw err;
    });
  for (let i = 0; i < 60 && (await getOptional(ctx, path)); i++) await sleep(500, ctx.signal);
  return { ...p, live: undefined, action: 'create', changes: [] };
}

/** Polls the Jobs until all are Complete; throws MigrationError on the first failure or when the time is up. */
async function waitForJobs(ctx: DeployContext, jobs: readonly KubeObject[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let interval = 500;
  for (;;) {
    const live = await Promise.all(jobs.map(async (j) => [j, await getOptional(ctx, await ctx.resources.pathOf(j))] as const));
    const rows = live.map(([j, l]) => ({ object: describe(j), ...(l ? jobVerdict(l) : { state: 'running' as const, message: 'not found yet' }) }));
    ctx.reporter.progress(rows.map((r) => ({ object: r.object, ready: r.state === 'complete', message: r.message })));
    const failed = live.find(([, l]) => l && jobVerdict(l).state === 'failed');
    if (failed) throw await migrationError(ctx, failed[0], jobVerdict(failed[1]!).message);
    if (rows.every((r) => r.state === 'complete')) return;
    const left = deadline - Date.now();
    if (left <= 0) {
      const pending = live.find(([, l]) => !l || jobVerdict(l).state !== 'complete')!;
      throw await migrationError(ctx, pending[0], `did not finish within ${Math.round(timeoutMs / 1000)}s (it keeps running until its activeDeadlineSeconds)`);
    }
    await sleep(Math.min(interval, left), ctx.signal);
    interval = Math.min(interval * 1.5, 3000);
  }
}

/** The error for one Job: its verdict, why its pods failed, and the last log lines of the latest pod. */
async function migrationError(ctx: DeployContext, job: KubeObject, verdict: string): Promise<MigrationError> {
  const ns = job.metadata.namespace;
  const pods = await listObjects(ctx, PODS, ns, `batch.kubernetes.io/job-name=${job.metadata.name}`).catch(() => []);
  const reasons = pods.map(jobPodReason).filter((r): r is string => r !== undefined);
  const lines = [`migration ${describe(job)} ${verdict}; nothing else was applied`];
  lines.push(...(reasons.length ? reasons : ['no pod reported a reason']).map((r) => `  ${r}`));
  const pod = podForLogs(pods);
  if (pod) lines.push(await lastLogLines(ctx, pod));
  return new MigrationError(job.metadata.name, lines.join('\n'));
}

async function lastLogLines(ctx: DeployContext, pod: KubeObject): Promise<string> {
  const container = (pod as { spec?: { containers?: { name: string }[] } }).spec?.containers?.[0]?.name;
  try {
    const text = await ctx.client.request<string>({
      method: 'GET',
      path: `${objectPath(PODS, pod.metadata.name, pod.metadata.namespace)}/log`,
      query: { container, tailLines: String(LOG_LINES), limitBytes: '65536' },
      raw: true,
      timeoutMs: LOG_TIMEOUT_MS,
      maxAttempts: 1,
    });
    const body = text.trimEnd();
    return body
      ? `  last log lines of pod ${pod.metadata.name}:\n${body
          .split('\n')
          .map((l) => `    | ${l}`)
          .join('\n')}`
      : `  pod ${pod.metadata.name} wrote no log lines`;
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    const why =
      err instanceof KubeApiError && err.status === 0
        ? `no answer within ${LOG_TIMEOUT_MS / 1000}s: the API server reads logs from the node's kubelet`
        : (err as Error).message.split('\n')[0];
    return `  logs of pod ${pod.metadata.name} unavailable (${why}); try: kubectl logs -n ${pod.metadata.namespace} ${pod.metadata.name}`;
  }
}
