import { effectiveServices } from './effective.js';
import type { DeclarationIssue } from './errors.js';
import { effectiveJobs } from './jobs.js';
import { parseCaller } from './network.js';
import { didYouMean } from './shape.js';
import type { PlatformDeclaration } from './types.js';

/** `api`, or `staging/api`: RFC 1123 environment name, `/`, RFC 1035 service or job name. */
const CALLER = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The network fields of one environment: `egress` and every service's `callers` as the environment runs it. */
export function checkNetworkIn(p: PlatformDeclaration, env: string, issues: DeclarationIssue[]): void {
  checkEgress(p, env, issues);
  const override = p.environments[env]?.services ?? {};
  for (const e of effectiveServices(p, env)) {
    const callers = e.service.callers;
    if (callers === undefined) continue;
    const path = override[e.service.name]?.callers !== undefined ? `environments.${env}.services.${e.service.name}.callers` : `services[${e.index}].callers`;
    const service = e.service.name;
    if (e.service.port === undefined) {
      issues.push({
        path,
        service,
        value: callers,
        message: 'is set on a worker (no port), which nothing can call',
        fix: 'remove "callers", or give the service a port',
      });
      continue;
    }
    const seen = new Set<string>();
    callers.forEach((caller, i) => {
      const at = { path: `${path}[${i}]`, service, value: caller };
      const problem = callerProblem(p, env, service, caller, seen);
      if (problem) issues.push({ ...at, ...problem });
    });
  }
}

function callerProblem(p: PlatformDeclaration, env: string, service: string, caller: string, seen: Set<string>): { message: string; fix: string } | undefined {
  if (!CALLER.test(caller)) {
    return {
      message: 'is not a caller name',
      fix: 'write the name of a service or job of this environment, e.g. "web", or "environment/service" for another environment, e.g. "staging/api"',
    };
  }
  const target = parseCaller(caller, env);
  const key = `${target.environment}/${target.name}`;
  if (seen.has(key)) return { message: `is listed twice (both entries name ${key})`, fix: 'remove the duplicate entry' };
  seen.add(key);
  if (target.environment === env && target.name === service) {
    return {
      message: 'names the service itself',
      fix: "remove it: a service's own pods always reach each other; list only the services and jobs that connect to it",
    };
  }
  const environments = Object.keys(p.environments);
  if (!environments.includes(target.environment)) {
    const hint = didYouMean(target.environment, environments);
    return {
      message: `names environment "${target.environment}", which is not declared`,
      fix: hint ? `did you mean "${hint}/${target.name}"?` : `use one of the environments: ${environments.join(', ')}`,
    };
  }
  const running = [...effectiveServices(p, target.environment).map((e) => e.service.name), ...effectiveJobs(p, target.environment).map((j) => j.job.name)];
  if (running.includes(target.name)) return undefined;
  const declared = [...p.services.map((s) => s.name), ...(p.jobs ?? []).map((j) => j.name)].includes(target.name);
  if (declared) {
    return {
      message: `names "${target.name}", which does not run in environment "${target.environment}"`,
      fix: `enable it there, or remove the caller (override "callers" in environments.${env}.services.${service})`,
    };
  }
  const hint = didYouMean(target.name, running);
  const prefix = target.environment === env ? '' : `${target.environment}/`;
  return {
    message: `names no service or job of environment "${target.environment}"`,
    fix: hint ? `did you mean "${prefix}${hint}"?` : `use one of: ${running.join(', ')}`,
  };
}

/** `egress.allow`: IPv4 or IPv6 CIDRs, no duplicates; `egress` needs the NetworkPolicies it is part of. */
function checkEgress(p: PlatformDeclaration, env: string, issues: DeclarationIssue[]): void {
  const decl = p.environments[env];
  if (!decl?.egress) return;
  const path = `environments.${env}.egress`;
  if (decl.networkPolicy === false) {
    issues.push({
      path,
      value: decl.egress,
      message: 'restricts egress, but networkPolicy: false renders no NetworkPolicy to enforce it',
      fix: 'remove "egress", or remove "networkPolicy: false"',
    });
    return;
  }
  const seen = new Set<string>();
  decl.egress.allow?.forEach((cidr, i) => {
    const at = { path: `${path}.allow[${i}]`, value: cidr };
    if (!isCidr(cidr))
      issues.push({ ...at, message: 'is not a CIDR', fix: 'write an address range with its prefix length, e.g. "10.20.0.0/16" or "203.0.113.7/32"' });
    else if (seen.has(cidr)) issues.push({ ...at, message: 'is listed twice', fix: 'remove the duplicate entry' });
    seen.add(cidr);
  });
}

/** `a.b.c.d/n` (n ≤ 32, canonical octets) or an IPv6 address `/n` (n ≤ 128). */
export function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4) return v4.slice(1, 5).every((o) => String(Number(o)) === o && Number(o) <= 255) && Number(v4[5]) <= 32 && String(Number(v4[5])) === v4[5];
  const v6 = /^([0-9a-f:]+)\/(\d{1,3})$/.exec(value);
  if (!v6 || Number(v6[2]) > 128 || String(Number(v6[2])) !== v6[2]) return false;
  const groups = v6[1].split('::');
  if (groups.length > 2) return false;
  const parts = groups.flatMap((g) => (g === '' ? [] : g.split(':')));
  return parts.every((h) => /^[0-9a-f]{1,4}$/.test(h)) && (groups.length === 2 ? parts.length < 8 : parts.length === 8);
}
