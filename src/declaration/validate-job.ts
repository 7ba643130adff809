import { checkCron, checkTimeZone } from './cron.js';
import type { DeclarationIssue } from './errors.js';
import { effectiveJobs, resolveJob } from './jobs.js';
import * as r from './rules.js';
import { checkShape, didYouMean, JOB_OVERRIDE_SHAPE, join } from './shape.js';
import type { JobDeclaration, JobOverride, PlatformDeclaration } from './types.js';
import { checkServiceFields } from './validate-service.js';
import { checkPullSecrets } from './validate-knobs.js';

type FieldRule = (value: never) => r.RuleResult;

const CONCURRENCY_POLICIES = ['Forbid', 'Allow', 'Replace'];

/** Value rules per job field (shape checked already); image, quantities and names reuse the services' rules. */
const JOB_RULES: Partial<Record<keyof JobDeclaration, FieldRule>> = {
  name: r.checkServiceName,
  image: r.checkImage,
  memory: r.checkMemory,
  cpu: r.checkCpu,
  gcpServiceAccount: r.checkGcpServiceAccount,
  timeoutSeconds: (n: number) => r.checkIntRange(n, 1, 604800, 'timeoutSeconds: 600'),
  backoffLimit: (n: number) => r.checkIntRange(n, 0, 100, 'backoffLimit: 1'),
  startingDeadlineSeconds: (n: number) => r.checkIntRange(n, 10, 86400, 'startingDeadlineSeconds: 300 (the controller looks every 10 s)'),
  schedule: checkCron,
  timeZone: checkTimeZone,
  concurrencyPolicy: (p: string) =>
    CONCURRENCY_POLICIES.includes(p) ? undefined : ['is not a concurrency policy', `use one of ${CONCURRENCY_POLICIES.join(', ')} (default Forbid)`],
};

/** Checks every field present in a job or a job override; `path` points at the job or override. */
function checkJobFields(j: JobOverride & { name?: string }, path: string, job: string, issues: DeclarationIssue[]): void {
  for (const [field, rule] of Object.entries<FieldRule>(JOB_RULES)) {
    const value = (j as Record<string, unknown>)[field];
    const res = value === undefined || value === null ? undefined : rule(value as never);
    if (res) issues.push({ path: join(path, field), job, value, message: res[0], fix: res[1] });
  }
  // env, secretEnv, command and args follow the services' rules exactly (secret-looking names, credentials in values…)
  const envIssues: DeclarationIssue[] = [];
  checkServiceFields(
    { env: j.env ?? undefined, secretEnv: j.secretEnv ?? undefined, command: j.command ?? undefined, args: j.args ?? undefined },
    path,
    job,
    envIssues,
  );
  issues.push(...envIssues.map(({ service: _s, ...i }) => ({ ...i, job })));
  if (j.imagePullSecrets)
    checkPullSecrets(
      j.imagePullSecrets,
      join(path, 'imagePullSecrets'),
      (p, value, res) => res && issues.push({ path: p, job, value, message: res[0], fix: res[1] }),
    );
}

/** Names (unique across jobs and services), field values, `from` references and overrides. */
export function checkJobs(p: PlatformDeclaration, issues: DeclarationIssue[]): void {
  const services = p.services.map((s) => s.name);
  const names = new Map<string, number>();
  (p.jobs ?? []).forEach((j, i) => {
    const path = `jobs[${i}]`;
    const first = names.get(j.name);
    if (first !== undefined)
      issues.push({ path: `${path}.name`, job: j.name, value: j.name, message: `is already used by jobs[${first}]`, fix: 'give every job a unique name' });
    else names.set(j.name, i);
    if (services.includes(j.name))
      issues.push({
        path: `${path}.name`,
        job: j.name,
        value: j.name,
        message: 'is also the name of a service',
        fix: `name the job after what it does, e.g. "${j.name}-migrate"`,
      });
    checkJobFields(j, path, j.name, issues);
    if (j.from !== undefined && !services.includes(j.from)) {
      const hint = didYouMean(j.from, services);
      issues.push({
        path: `${path}.from`,
        job: j.name,
        value: j.from,
        message: 'names a service that is not declared',
        fix: hint ? `did you mean "${hint}"?` : `use one of: ${services.join(', ')}`,
      });
    }
  });
  for (const [env, decl] of Object.entries(p.environments)) {
    for (const [name, override] of Object.entries(decl.jobs ?? {})) {
      const path = `environments.${env}.jobs.${name}`;
      if (!names.has(name)) {
        const hint = didYouMean(name, [...names.keys()]);
        issues.push({
          path,
          value: name,
          message: 'overrides a job that is not declared',
          fix: hint ? `did you mean "${hint}"?` : 'declare the job under "jobs" or remove the override',
        });
      } else if (checkShape(override, JOB_OVERRIDE_SHAPE, path, issues)) checkJobFields(override, path, name, issues);
    }
  }
}

/** Rules on each job as it runs in one environment: kind (migration xor schedule), image source, schedule-only fields. */
export function checkJobsIn(p: PlatformDeclaration, env: string, issues: DeclarationIssue[]): void {
  for (const e of effectiveJobs(p, env)) {
    const j = e.job;
    const path = e.overridden ? `environments.${env}.jobs.${j.name}` : `jobs[${e.index}]`;
    const at = (field: string, value: unknown, message: string, fix: string): void => {
      issues.push({ path: join(path, field), job: j.name, value, message, fix });
    };
    const scheduled = j.schedule !== undefined;
    if (j.beforeDeploy === true && scheduled)
      at(
        'schedule',
        j.schedule,
        'is set on a job that also runs beforeDeploy; a job is either a migration or a CronJob',
        'split it into two jobs, or remove "schedule" or "beforeDeploy"',
      );
    if (j.beforeDeploy !== true && !scheduled)
      at(
        'beforeDeploy',
        j.beforeDeploy,
        'is not set and neither is "schedule", so the job would never run',
        'add "beforeDeploy: true" (a migration run by each deploy) or "schedule", e.g. schedule: "0 3 * * *"',
      );
    const max = j.beforeDeploy === true ? 54 : 52;
    if (j.name.length > max) {
      const kind = j.beforeDeploy === true ? 'migration (its Job name adds a 9-character hash)' : 'CronJob (its Jobs add an 11-character suffix)';
      at('name', j.name, `is longer than ${max} characters, the most a ${kind} allows`, `shorten it to ${max} characters or fewer`);
    }
    if (!scheduled) {
      for (const field of ['timeZone', 'concurrencyPolicy', 'startingDeadlineSeconds'] as const) {
        if (j[field] !== undefined)
          at(field, j[field], 'only applies to a scheduled job, and this one has no "schedule"', `remove "${field}" or add "schedule"`);
      }
    }
    if (j.from !== undefined && !e.from && p.services.some((s) => s.name === j.from)) {
      at(
        'from',
        j.from,
        `names service "${j.from}", which is not enabled in environment "${env}"`,
        `enable the service in "${env}", disable the job there (enabled: false), or give the job its own "image"`,
      );
    }
    if (j.from === undefined && j.image === undefined)
      at(
        'image',
        undefined,
        'is required (or "from")',
        'add "image", e.g. "registry.example.com/api:1.4.2", or "from: <service>" to run with a service\'s image and env',
      );
    const resolved = resolveJob(j, e.from);
    for (const k of Object.keys(resolved.secretEnv ?? {})) {
      if (k in (resolved.env ?? {}))
        at(`secretEnv.${k}`, k, 'is also set in env (the job\'s own or its "from" service\'s)', `keep "${k}" in one of env or secretEnv`);
    }
  }
}
