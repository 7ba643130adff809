/** Validation of the production knobs: quota, priority, per-route settings, memory and external autoscaling. */
import type { DeclarationIssue } from './errors.js';
import { environmentNeeds, formatCpu, formatMemory, isUnder, LAYOUT_NAMES, PRIORITY_NAMES, routeBackendName } from './env-knobs.js';
import { normalizePath } from './routing.js';
import * as r from './rules.js';
import * as p from './rules-pod.js';
import { join } from './shape.js';
import type { EnvironmentDeclaration, ExternalMetricDeclaration, ServiceDeclaration, ServiceOverride } from './types.js';

type At = (field: string, value: unknown, res: r.RuleResult) => void;

function reporter(path: string, service: string | undefined, issues: DeclarationIssue[]): At {
  return (field, value, res) => {
    if (res) issues.push({ path: join(path, field), ...(service === undefined ? {} : { service }), value, message: res[0], fix: res[1] });
  };
}

/** External metric names as the GKE metrics adapter serves them: `/` is spelled `|`. */
const METRIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_.|-]*$/;

/** Field rules of a service or an override (`path` points at it); shape has been checked. */
export function checkEnvKnobFields(s: ServiceOverride, path: string, service: string, issues: DeclarationIssue[]): void {
  const at = reporter(path, service, issues);
  if (typeof s.priority === 'string') at('priority', s.priority, p.checkOneOf(s.priority, PRIORITY_NAMES));
  const seen = new Map<string, number>();
  s.routes?.forEach((route, i) => {
    at(`routes[${i}].path`, route.path, r.checkPath(route.path));
    if (route.timeoutSeconds !== undefined)
      at(`routes[${i}].timeoutSeconds`, route.timeoutSeconds, r.checkIntRange(route.timeoutSeconds, 1, 86400, 'timeoutSeconds: 900'));
    const first = seen.get(normalizePath(route.path));
    if (first !== undefined)
      at(`routes[${i}].path`, route.path, [
        `is already declared by routes[${first}]` +
          (s.routes![first].path === route.path ? '' : ` ("${s.routes![first].path}": GKE matches a Prefix path with and without its trailing slash)`),
        'declare each route path once',
      ]);
    else seen.set(normalizePath(route.path), i);
  });
  const a = s.autoscaling;
  if (!a) return;
  if (a.memoryPercent !== undefined) at('autoscaling.memoryPercent', a.memoryPercent, r.checkIntRange(a.memoryPercent, 10, 100, 'memoryPercent: 80'));
  if (a.external) checkExternal(a.external, at);
}

function checkExternal(e: ExternalMetricDeclaration, at: At): void {
  const path = 'autoscaling.external';
  if (!METRIC_NAME.test(e.metric) || e.metric.length > 253) {
    at(`${path}.metric`, e.metric, [
      'is not an external metric name (letters, digits, ".", "_", "-" and "|"; the GKE metrics adapter writes "/" as "|")',
      'write e.g. "pubsub.googleapis.com|subscription|num_undelivered_messages"',
    ]);
  }
  for (const [k, v] of Object.entries(e.selector ?? {})) {
    at(`${path}.selector.${k}`, k, p.checkQualifiedKey(k, 'label'));
    at(`${path}.selector.${k}`, v, p.checkLabelValue(v));
  }
  const targets = (['targetAverageValue', 'targetValue'] as const).filter((t) => e[t] !== undefined);
  if (targets.length !== 1) {
    at(path, e, [
      `needs exactly one of targetAverageValue (per pod) or targetValue (in total), got ${targets.length === 0 ? 'none' : 'both'}`,
      'write e.g. targetAverageValue: "100" (100 undelivered messages per pod)',
    ]);
  }
  for (const t of targets) {
    const n = r.parseQuantity(e[t]!);
    if (n === undefined || n <= 0) at(`${path}.${t}`, e[t], ['is not a positive quantity', 'write a number as a string, e.g. "100" or "500m"']);
  }
}

/** Rules on the service as it runs in one environment: routes belong to a public service and sit under its paths. */
export function checkEnvKnobCombination(s: ServiceDeclaration, path: string, issues: DeclarationIssue[]): void {
  const at = reporter(path, s.name, issues);
  if (!s.routes?.length) return;
  if (s.host === undefined || s.port === undefined) {
    at('routes', s.routes, ['only apply to a public service (a host and a port), and this one has none', 'add "host" and "port", or remove "routes"']);
    return;
  }
  const paths = s.paths ?? ['/'];
  s.routes.forEach((route, i) => {
    if (!paths.some((base) => isUnder(route.path, base))) {
      at(`routes[${i}].path`, route.path, [
        `is not one of the service's paths (${paths.join(', ')}) nor under one of them`,
        `use a path under ${paths[0]}, or add "${route.path}" to paths`,
      ]);
    }
  });
}

/** Field rules of an environment's `quota`, `defaultPriority` and `layout`. */
export function checkEnvironmentKnobs(decl: EnvironmentDeclaration, env: string, issues: DeclarationIssue[]): void {
  const at = reporter(`environments.${env}`, undefined, issues);
  if (decl.defaultPriority !== undefined) at('defaultPriority', decl.defaultPriority, p.checkOneOf(decl.defaultPriority, PRIORITY_NAMES));
  if (decl.layout !== undefined) at('layout', decl.layout, p.checkOneOf(decl.layout, LAYOUT_NAMES));
  const q = decl.quota;
  if (!q) return;
  if (q.cpu === undefined && q.memory === undefined && q.pods === undefined)
    at('quota', q, ['declares no limit', 'set at least one of cpu, memory or pods, e.g. quota: { cpu: "8", memory: 16Gi, pods: 50 }']);
  if (q.cpu !== undefined) at('quota.cpu', q.cpu, r.checkCpu(q.cpu));
  if (q.memory !== undefined) at('quota.memory', q.memory, r.checkMemory(q.memory));
  if (q.pods !== undefined) at('quota.pods', q.pods, r.checkIntRange(q.pods, 1, 100000, 'pods: 50'));
}

/**
 * The environment's quota must hold its own services at their minimum replicas plus one surge pod per rolling
 * Deployment (requests of the app container, sidecars and Cloud SQL proxy); route backend names must be free.
 */
export function checkEnvironmentFits(decl: EnvironmentDeclaration, env: string, services: readonly ServiceDeclaration[], issues: DeclarationIssue[]): void {
  const at = reporter(`environments.${env}`, undefined, issues);
  checkRouteNames(services, env, issues);
  const q = decl.quota;
  if (!q) return;
  const needs = environmentNeeds(services);
  const detail = `the environment's services need at their minimum replicas plus one rollout surge pod per Deployment (${needs.breakdown.join('; ')})`;
  const fix = (field: string, min: string) => `raise quota.${field} to at least ${min}, or lower the services' requests or replicas in this environment`;
  const cpu = q.cpu === undefined ? undefined : r.parseQuantity(q.cpu);
  if (cpu !== undefined && cpu + 1e-9 < needs.cpu)
    at('quota.cpu', q.cpu, [`is less than the ${formatCpu(needs.cpu)} of CPU requests ${detail}`, fix('cpu', formatCpu(needs.cpu))]);
  const memory = q.memory === undefined ? undefined : r.parseQuantity(q.memory);
  const memoryNeed = Math.max(needs.memory, needs.memoryLimit);
  if (memory !== undefined && memory < memoryNeed) {
    at('quota.memory', q.memory, [
      `is less than the ${formatMemory(memoryNeed)} of memory ${needs.memoryLimit > needs.memory ? 'limits' : 'requests'} ${detail}`,
      fix('memory', formatMemory(memoryNeed)),
    ]);
  }
  if (q.pods !== undefined && q.pods < needs.pods) at('quota.pods', q.pods, [`is less than the ${needs.pods} pods ${detail}`, fix('pods', String(needs.pods))]);
}

function checkRouteNames(services: readonly ServiceDeclaration[], env: string, issues: DeclarationIssue[]): void {
  const owners = new Map(services.map((s) => [s.name, `service "${s.name}"`]));
  for (const s of services) {
    s.routes?.forEach((_, i) => {
      const name = routeBackendName(s.name, i);
      const other = owners.get(name);
      if (other)
        issues.push({
          path: `environments.${env}`,
          service: s.name,
          value: name,
          message: `routes[${i}] needs a Service named "${name}", which ${other} already uses`,
          fix: `rename service "${s.name}" or the other one`,
        });
      else owners.set(name, `routes[${i}] of service "${s.name}"`);
    });
  }
}
