/** Validation of the production knobs (issue 13): pull secrets, scratch and writable space, rollout, disruption, init steps, shutdown. */
import type { DeclarationIssue } from './errors.js';
import { APP_SHUTDOWN_MARGIN_SECONDS, DEFAULT_DRAIN_SECONDS, isZero, rolloutOf } from './knobs.js';
import * as r from './rules.js';
import * as p from './rules-pod.js';
import { join } from './shape.js';
import { CLOUD_SQL_PROXY_NAME } from './sidecar-defaults.js';
import type { ServiceDeclaration, ServiceOverride } from './types.js';
import { checkSidecar, type Push } from './validate-sidecars.js';

const PERCENT = /^(\d{1,3})%$/;
const DISRUPTION_VALUES = ['never'];

/** Field rules of the knobs of a service or an override (`path` points at it); shape has been checked. */
export function checkKnobFields(s: ServiceOverride, path: string, service: string, issues: DeclarationIssue[]): void {
  const push: Push = (field, value, res) => {
    if (res) issues.push({ path: join(path, field), service, value, message: res[0], fix: res[1] });
  };
  if (s.imagePullSecrets) checkPullSecrets(s.imagePullSecrets, 'imagePullSecrets', push);
  if (s.scratch != null) push('scratch', s.scratch, p.checkSize(s.scratch));
  for (const [dir, size] of Object.entries(s.writable ?? {})) {
    push(`writable.${dir}`, dir, checkWritablePath(dir));
    push(`writable.${dir}`, size, p.checkSize(size));
  }
  for (const field of ['maxSurge', 'maxUnavailable'] as const) {
    const v = s.rollout?.[field];
    if (v !== undefined) push(`rollout.${field}`, v, checkPace(v));
  }
  if (s.disruption != null && !DISRUPTION_VALUES.includes(s.disruption)) {
    push('disruption', s.disruption, [
      'is not a disruption setting',
      'write disruption: never (the pods must not be evicted), or remove it for the default budget',
    ]);
  }
  if (s.preStop?.length === 0)
    push('preStop', [], ['is an empty command', 'write the command as a list, e.g. ["bundle", "exec", "sidekiqctl", "quiet"], or remove preStop']);
  s.preStop?.forEach((arg, i) =>
    push(
      `preStop[${i}]`,
      arg,
      i === 0 && arg.trim() === '' ? ['is an empty program name', 'start the command with the program, e.g. "sidekiqctl"'] : undefined,
    ),
  );
  if (s.drainSleepSeconds != null) push('drainSleepSeconds', s.drainSleepSeconds, r.checkIntRange(s.drainSleepSeconds, 0, 3600, 'drainSleepSeconds: 15'));
  const names = new Map<string, number>();
  s.init?.forEach((c, i) => {
    const at = `init[${i}]`;
    const first = names.get(c.name);
    if (first !== undefined) push(`${at}.name`, c.name, [`is already the name of init[${first}]`, 'give every init step of the service its own name']);
    else names.set(c.name, i);
    checkSidecar(c, join(path, at), (f, v, res) => res && issues.push({ path: f, service, value: v, message: res[0], fix: res[1] }));
  });
}

/** A list of Secret names: DNS-1123 subdomains, each once (shared with environments and jobs). */
export function checkPullSecrets(names: readonly string[], field: string, push: Push): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    push(`${field}[${i}]`, name, p.checkObjectName(name, 'Secret'));
    const first = seen.get(name);
    if (first !== undefined) push(`${field}[${i}]`, name, [`is already listed at ${field}[${first}]`, 'list every pull secret once']);
    else seen.set(name, i);
  });
}

function checkWritablePath(dir: string): r.RuleResult {
  if (dir === '/tmp' || dir.startsWith('/tmp/')) return ['is inside /tmp, which every pod already has writable', 'size /tmp with scratch: <size> instead'];
  return p.checkMountPath(dir);
}

/** A rollout value: an integer number of pods (0–1000) or a percentage "0%"–"100%". */
function checkPace(v: number | string): r.RuleResult {
  const fix = 'write a whole number of pods, e.g. 1, or a percentage in quotes, e.g. "25%"';
  if (typeof v === 'number') return v < 0 || v > 1000 ? ['must be between 0 and 1000 pods', fix] : undefined;
  const m = PERCENT.exec(v);
  if (!m) return ['is neither a number of pods nor a percentage', fix];
  return Number(m[1]) > 100 ? ['must be a percentage between 0% and 100%', fix] : undefined;
}

/** Rules on the service as it runs in one environment (overrides applied). */
export function checkKnobCombination(s: ServiceDeclaration, path: string, issues: DeclarationIssue[]): void {
  const at: Push = (field, value, res) => {
    if (res) issues.push({ path: join(path, field), service: s.name, value, message: res[0], fix: res[1] });
  };
  if (s.rollout && s.singleton)
    at('rollout', s.rollout, [
      'does not apply to a singleton, which is replaced with the Recreate strategy (the old pod stops before the new one starts)',
      'remove rollout, or remove singleton',
    ]);
  else if (s.rollout && s.storage)
    at('rollout', s.rollout, ['does not apply to a service with storage: its StatefulSet replaces one pod at a time, highest ordinal first', 'remove rollout']);
  else if (s.rollout) {
    const pace = rolloutOf(s);
    if (isZero(pace.maxSurge) && isZero(pace.maxUnavailable))
      at('rollout', s.rollout, [
        `has maxSurge ${JSON.stringify(pace.maxSurge)} and maxUnavailable ${JSON.stringify(pace.maxUnavailable)}: a rollout could never replace a pod`,
        'allow at least one: e.g. maxSurge: 1 (extra pods) or maxUnavailable: 1 (fewer pods)',
      ]);
  }
  checkWritableClashes(s, at);
  const drain = s.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
  if (s.drainSleepSeconds !== undefined && s.port === undefined)
    at('drainSleepSeconds', s.drainSleepSeconds, ['only applies to a service with a port (a worker receives no traffic to drain)', 'remove drainSleepSeconds']);
  else if (s.drainSleepSeconds !== undefined && s.drainSleepSeconds > drain) {
    at('drainSleepSeconds', s.drainSleepSeconds, [
      `is longer than drainSeconds (${drain}): the termination grace period (drainSeconds ` +
        `+ ${APP_SHUTDOWN_MARGIN_SECONDS} = ${drain + APP_SHUTDOWN_MARGIN_SECONDS} s) would leave the app less than ` +
        `its ${APP_SHUTDOWN_MARGIN_SECONDS} s to shut down`,
      `lower it to at most ${drain}, or raise drainSeconds`,
    ]);
  }
  const taken = new Map<string, string>([[s.name, 'the app container'], ...(s.sidecars ?? []).map((c, i): [string, string] => [c.name, `sidecars[${i}]`])]);
  if (s.cloudSql) taken.set(CLOUD_SQL_PROXY_NAME, 'the Cloud SQL Auth Proxy that cloudSql adds');
  s.init?.forEach((c, i) => {
    const owner = taken.get(c.name);
    if (owner) at(`init[${i}].name`, c.name, [`is already the name of ${owner}`, 'give the init step a name of its own, e.g. "wait-for-db"']);
  });
}

/** A writable path must not be mounted twice: not a declared mount, not the storage path. */
function checkWritableClashes(s: ServiceDeclaration, at: Push): void {
  const others = new Map<string, string>((s.mounts ?? []).map((m, i) => [m.path, `mounts[${i}]`]));
  if (s.storage) others.set(s.storage.path, 'storage.path');
  for (const dir of Object.keys(s.writable ?? {})) {
    const other = others.get(dir);
    if (other)
      at(`writable.${dir}`, dir, [
        `is also mounted by ${other}`,
        `mount every volume at its own path (an emptyDir in mounts is writable already: drop one of them)`,
      ]);
  }
}
