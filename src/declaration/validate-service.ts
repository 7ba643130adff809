import type { DeclarationIssue } from './errors.js';
import * as r from './rules.js';
import { join } from './shape.js';
import type { ServiceDeclaration, ServiceOverride } from './types.js';
import { checkProtocolCombination, checkProtocolFields } from './validate-protocol.js';
import { checkSidecarCombination, checkSidecarFields } from './validate-sidecars.js';
import { checkPodCombination, checkPodFields } from './validate-pod.js';
import { checkKnobCombination, checkKnobFields } from './validate-knobs.js';
import { checkEnvKnobCombination, checkEnvKnobFields } from './validate-env-knobs.js';

type FieldRule = (value: never) => r.RuleResult;

/** Value rules per field; shape (types, unknown keys) has been checked already. */
const FIELD_RULES: Partial<Record<keyof ServiceDeclaration, FieldRule>> = {
  name: r.checkServiceName,
  image: r.checkImage,
  port: r.checkPort,
  host: r.checkHost,
  memory: r.checkMemory,
  memoryLimit: r.checkMemory,
  cpu: r.checkCpu,
  cpuLimit: r.checkCpu,
  replicas: (n: number) => r.checkIntRange(n, 0, 1000, 'replicas: 2'),
  drainSeconds: (n: number) => r.checkIntRange(n, 2, 3600, 'drainSeconds: 30'),
  timeoutSeconds: (n: number) => r.checkIntRange(n, 1, 86400, 'timeoutSeconds: 30'),
  gcpServiceAccount: r.checkGcpServiceAccount,
};

/** Checks every field present in a service or an override; `path` points at the service or override. */
export function checkServiceFields(s: ServiceOverride & { name?: string }, path: string, service: string, issues: DeclarationIssue[]): void {
  const push = (field: string, value: unknown, res: r.RuleResult): void => {
    if (res) issues.push({ path: join(path, field), service, value, message: res[0], fix: res[1] });
  };
  for (const [field, rule] of Object.entries<FieldRule>(FIELD_RULES)) {
    const value = (s as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) push(field, value, rule(value as never));
  }
  s.hosts?.forEach((h, i) => push(`hosts[${i}]`, h, r.checkHost(h)));
  s.paths?.forEach((p, i) => push(`paths[${i}]`, p, r.checkPath(p)));
  for (const [k, v] of Object.entries(s.env ?? {})) {
    if (v === null) continue; // an override deleting the key
    push(`env.${k}`, k, r.checkPlainEnvName(k, typeof v === 'string' ? v : undefined));
    // The value itself is not echoed: it may be the very secret.
    push(`env.${k}`, '(value hidden)', r.checkPlainEnvValue(v));
  }
  for (const [k, ref] of Object.entries(s.secretEnv ?? {})) {
    if (ref === null) continue; // an override deleting the key
    push(`secretEnv.${k}`, k, r.checkEnvName(k));
    push(`secretEnv.${k}.secret`, ref.secret, r.checkSecretName(ref.secret));
    push(`secretEnv.${k}.key`, ref.key, r.checkSecretKey(ref.key));
  }
  for (const field of ['command', 'args'] as const) {
    const list = s[field];
    const found = Array.isArray(list) ? r.checkCommandLine(list) : undefined;
    // the value is not echoed: it is the credential
    if (found) push(`${field}[${found.index}]`, '(value hidden)', found.result);
  }
  if (s.autoscaling) checkAutoscaling(s.autoscaling, join(path, 'autoscaling'), service, issues);
  checkProtocolFields(s, path, service, issues);
  checkSidecarFields(s, path, service, issues);
  checkPodFields(s, path, service, issues);
  checkKnobFields(s, path, service, issues);
  checkEnvKnobFields(s, path, service, issues);
}

function checkAutoscaling(a: NonNullable<ServiceDeclaration['autoscaling']>, path: string, service: string, issues: DeclarationIssue[]): void {
  const res = r.checkIntRange(a.min, 1, 1000, 'min: 2');
  if (res) issues.push({ path: `${path}.min`, service, value: a.min, message: res[0], fix: res[1] });
  if (a.max <= a.min || a.max > 1000) {
    issues.push({
      path: `${path}.max`,
      service,
      value: a.max,
      message: `must be greater than min (${a.min}) and at most 1000`,
      fix: `write e.g. max: ${Math.max(a.min * 3, a.min + 1)}`,
    });
  }
  const cpu = a.cpuPercent === undefined ? undefined : r.checkIntRange(a.cpuPercent, 10, 100, 'cpuPercent: 70');
  if (cpu) issues.push({ path: `${path}.cpuPercent`, service, value: a.cpuPercent, message: cpu[0], fix: cpu[1] });
}

/** Rules that relate fields to each other, checked on the service as it runs in one environment. */
export function checkServiceCombination(s: ServiceDeclaration, path: string, issues: DeclarationIssue[]): void {
  const at = (field: string, value: unknown, message: string, fix: string): void => {
    issues.push({ path: join(path, field), service: s.name, value, message, fix });
  };
  if ((s.host !== undefined || (s.hosts?.length ?? 0) > 0) && s.port === undefined) {
    at(
      'port',
      undefined,
      'is required for a service with a host (the load balancer needs a port to send traffic to)',
      'add "port", e.g. port: 8000, or remove the host',
    );
  }
  if (s.paths !== undefined && s.host === undefined && (s.hosts?.length ?? 0) === 0) {
    at('paths', s.paths, 'only apply to public services, and this one has no host', 'add "host" or remove "paths"');
  }
  if (s.hosts?.length && s.host === undefined) at('hosts', s.hosts, 'are extra hosts, but the service has no main host', 'set "host" first');
  compareQuantities(s.memory, s.memoryLimit, 'memoryLimit', at);
  compareQuantities(s.cpu, s.cpuLimit, 'cpuLimit', at);
  if (s.secretEnv && s.env) {
    for (const k of Object.keys(s.secretEnv)) if (k in s.env) at(`secretEnv.${k}`, k, 'is also set in env', `keep "${k}" in one of env or secretEnv`);
  }
  checkProtocolCombination(s, path, issues);
  checkSidecarCombination(s, path, issues);
  checkPodCombination(s, path, issues);
  checkKnobCombination(s, path, issues);
  checkEnvKnobCombination(s, path, issues);
}

function compareQuantities(request: string, limit: string | undefined, field: string, at: (f: string, v: unknown, m: string, x: string) => void): void {
  if (limit === undefined) return;
  const req = r.parseQuantity(request);
  const lim = r.parseQuantity(limit);
  if (req !== undefined && lim !== undefined && lim < req)
    at(field, limit, `must be at least the request (${request})`, `raise it to ${request} or more, or lower the request`);
}
