import type { DeclarationIssue } from './errors.js';
import * as r from './rules.js';
import { join } from './shape.js';
import { CLOUD_SQL_HEALTH_PORT, CLOUD_SQL_PROXY_NAME, cloudSqlListeners } from './sidecar-defaults.js';
import type { CloudSqlDeclaration, ServiceDeclaration, ServiceOverride, SidecarDeclaration } from './types.js';

export type Push = (path: string, value: unknown, res: r.RuleResult) => void;

/**
 * Cloud SQL instance connection name `project:region:instance`. A domain-scoped project
 * (`example.com:project`) adds one more part in front. Project IDs: 6–30 characters, lowercase letters,
 * digits and "-", starting with a letter; regions like `europe-west1`; instance IDs start with a letter.
 */
const INSTANCE_CONNECTION_NAME = /^([a-z0-9-]+(\.[a-z0-9-]+)+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]:[a-z]+(-[a-z]+)+[0-9]+:[a-z]([-a-z0-9]{0,96}[a-z0-9])?$/;

/** Value rules for `sidecars` and `cloudSql` of a service or an override; shape has been checked already. */
export function checkSidecarFields(s: ServiceOverride, path: string, service: string, issues: DeclarationIssue[]): void {
  const push: Push = (p, value, res) => {
    if (res) issues.push({ path: p, service, value, message: res[0], fix: res[1] });
  };
  const names = new Map<string, number>();
  s.sidecars?.forEach((c, i) => {
    const at = join(path, `sidecars[${i}]`);
    const first = names.get(c.name);
    if (first !== undefined) push(`${at}.name`, c.name, [`is already the name of sidecars[${first}]`, 'give every sidecar of the service its own name']);
    else names.set(c.name, i);
    checkSidecar(c, at, push);
  });
  if (s.cloudSql) checkCloudSql(s.cloudSql, join(path, 'cloudSql'), push);
}

/** The rules of one sidecar (also an init step's: same fields, no port). */
export function checkSidecar(c: SidecarDeclaration, at: string, push: Push): void {
  push(`${at}.name`, c.name, checkContainerName(c.name));
  push(`${at}.image`, c.image, r.checkImage(c.image));
  push(`${at}.memory`, c.memory, r.checkMemory(c.memory));
  if (c.cpu !== undefined) push(`${at}.cpu`, c.cpu, r.checkCpu(c.cpu));
  if (c.port !== undefined) push(`${at}.port`, c.port, r.checkPort(c.port));
  for (const field of ['command', 'args'] as const) {
    const list = (c as { command?: readonly string[]; args?: readonly string[] })[field];
    const found = Array.isArray(list) ? r.checkCommandLine(list) : undefined;
    if (found) push(`${at}.${field}[${found.index}]`, '(value hidden)', found.result);
  }
  for (const [k, v] of Object.entries(c.env ?? {})) {
    push(`${at}.env.${k}`, k, r.checkPlainEnvName(k, typeof v === 'string' ? v : undefined));
    // The value itself is not echoed: it may be the very secret.
    push(`${at}.env.${k}`, '(value hidden)', r.checkPlainEnvValue(v));
  }
  for (const [k, ref] of Object.entries(c.secretEnv ?? {})) {
    push(`${at}.secretEnv.${k}`, k, r.checkEnvName(k));
    push(`${at}.secretEnv.${k}.secret`, ref.secret, r.checkSecretName(ref.secret));
    push(`${at}.secretEnv.${k}.key`, ref.key, r.checkSecretKey(ref.key));
    if (c.env && k in c.env) push(`${at}.secretEnv.${k}`, k, ['is also set in env', `keep "${k}" in one of env or secretEnv`]);
  }
}

/** A container name: an RFC 1123 label of at most 63 characters (apiserver rule). */
function checkContainerName(name: string): r.RuleResult {
  if (name.length > 63 || !r.RFC1123_LABEL.test(name)) {
    return ['must be an RFC 1123 label (lowercase letters, digits and "-", at most 63 characters)', 'use e.g. "log-shipper"'];
  }
  return undefined;
}

function checkCloudSql(c: CloudSqlDeclaration, at: string, push: Push): void {
  if (c.instances.length === 0)
    push(`${at}.instances`, [], ['lists no instance', 'add the instance connection name, e.g. "acme-prod:europe-west1:main-db", or remove cloudSql']);
  const seen = new Set<string>();
  c.instances.forEach((instance, i) => {
    push(`${at}.instances[${i}]`, instance, checkInstanceName(instance));
    if (seen.has(instance)) push(`${at}.instances[${i}]`, instance, ['is listed twice', 'list every instance once']);
    seen.add(instance);
  });
}

export function checkInstanceName(name: string): r.RuleResult {
  if (INSTANCE_CONNECTION_NAME.test(name)) return undefined;
  const fix =
    'write the instance connection name "<project>:<region>:<instance>", e.g. "acme-prod:europe-west1:main-db" (gcloud sql instances describe ' +
    '<instance> --format="value(connectionName)")';
  if (name.includes('?') || name.includes('=')) return ["must be a bare instance connection name: berth sets the proxy's ports itself", fix];
  const parts = name.split(':').length;
  if (parts < 3) return [`is not an instance connection name: it has ${parts} part${parts === 1 ? '' : 's'}, expected project:region:instance`, fix];
  return [
    'is not an instance connection name (project ID: 6–30 lowercase letters, digits, "-"; region like "europe-west1"; instance ID: lowercase, ' +
      'starting with a letter)',
    fix,
  ];
}

/** Rules relating sidecars to the rest of the service, on the service as it runs in one environment. */
export function checkSidecarCombination(s: ServiceDeclaration, path: string, issues: DeclarationIssue[]): void {
  const at = (field: string, value: unknown, message: string, fix: string): void => {
    issues.push({ path: join(path, field), service: s.name, value, message, fix });
  };
  if (s.cloudSql && s.gcpServiceAccount === undefined) {
    at(
      'cloudSql',
      undefined,
      'needs "gcpServiceAccount": the Cloud SQL Auth Proxy authenticates with Workload Identity',
      'add gcpServiceAccount: <name>@<project>.iam.gserviceaccount.com, a Google service account with roles/cloudsql.client that lets the KSA ' +
        'impersonate it (roles/iam.workloadIdentityUser)',
    );
  }
  s.sidecars?.forEach((c, i) => {
    if (c.name === s.name)
      at(`sidecars[${i}].name`, c.name, 'is the name of the service, which names the app container', 'give the sidecar another name, e.g. "log-shipper"');
    if (s.cloudSql && c.name === CLOUD_SQL_PROXY_NAME)
      at(
        `sidecars[${i}].name`,
        c.name,
        'is the name of the Cloud SQL Auth Proxy that cloudSql adds',
        'give the sidecar another name, or drop it and keep cloudSql',
      );
  });
  checkPorts(s, at);
}

/** Every container of a pod shares one network namespace: two listeners on one port cannot both start. */
function checkPorts(s: ServiceDeclaration, at: (field: string, value: unknown, message: string, fix: string) => void): void {
  const owners = new Map<number, string>();
  if (s.port !== undefined) owners.set(s.port, 'the app');
  s.sidecars?.forEach((c, i) => {
    if (c.port === undefined) return;
    const owner = owners.get(c.port);
    if (owner)
      at(`sidecars[${i}].port`, c.port, `is already used by ${owner}; the containers of a pod share one network`, 'choose another port for the sidecar');
    else owners.set(c.port, `sidecar "${c.name}"`);
  });
  if (!s.cloudSql) return;
  const proxyPorts: [number, string][] = [
    ...cloudSqlListeners(s.cloudSql).map(([i, p]): [number, string] => [p, `instance ${i}`]),
    [CLOUD_SQL_HEALTH_PORT, 'its health checks'],
  ];
  for (const [port, what] of proxyPorts) {
    const owner = owners.get(port);
    if (owner) {
      at(
        'cloudSql',
        port,
        `makes the Cloud SQL Auth Proxy listen on ${port} (${what}), which ${owner} already uses; the containers of a pod share one network`,
        `move ${owner} to another port (the proxy uses ${proxyPorts.map(([p]) => p).join(', ')})`,
      );
    }
  }
}
