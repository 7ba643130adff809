/**
 * Duplicate entries in the declaration's lists. A repeated entry is never what was meant: it is an error wherever the
 * list is a set (paths, hosts, tolerations, preSharedCerts; routes, callers, imagePullSecrets, ports, mounts, sidecars,
 * init, cloudSql.instances and egress.allow are checked by their own rules). `command`, `args` and `preStop` are
 * argument vectors, where a value may legitimately repeat (`-v -v`), so they are not checked.
 */
import type { DeclarationIssue } from './errors.js';
import { normalizePath } from './routing.js';
import { join } from './shape.js';
import type { EnvironmentDeclaration, ServiceDeclaration, ServiceOverride, TolerationDeclaration } from './types.js';

type Push = (field: string, value: unknown, message: string, fix: string) => void;

/** Duplicates within the lists of a service or an override (`path` points at it); shape has been checked. */
export function checkServiceLists(s: ServiceOverride, path: string, service: string, issues: DeclarationIssue[]): void {
  const push: Push = (field, value, message, fix) => issues.push({ path: join(path, field), service, value, message, fix });
  duplicates(s.paths ?? [], normalizePath).forEach(([i, first]) => {
    const p = s.paths!;
    const how =
      p[i] === p[first]
        ? `is already listed at paths[${first}]`
        : `is the same route as paths[${first}] ("${p[first]}"): GKE matches a Prefix path with and without its trailing slash`;
    push(`paths[${i}]`, p[i], how, 'list every path once');
  });
  duplicates(s.hosts ?? [], (h) => h).forEach(([i, first]) => push(`hosts[${i}]`, s.hosts![i], `is already listed at hosts[${first}]`, 'list every host once'));
  duplicates(s.tolerations ?? [], tolerationKey).forEach(([i, first]) =>
    push(`tolerations[${i}]`, s.tolerations![i], `is the same toleration as tolerations[${first}]`, 'remove the duplicate entry'),
  );
}

/** The service as it runs in one environment: its main `host` must not reappear in `hosts`. */
export function checkEffectiveHosts(s: ServiceDeclaration, hostsPath: string, issues: DeclarationIssue[]): void {
  if (s.host === undefined) return;
  const i = (s.hosts ?? []).indexOf(s.host);
  if (i >= 0)
    issues.push({
      path: `${hostsPath}[${i}]`,
      service: s.name,
      value: s.host,
      message: 'is already the service\'s main "host"',
      fix: `remove it from hosts (the main host is routed already)`,
    });
}

/** Duplicates within an environment's own lists. */
export function checkEnvironmentLists(decl: EnvironmentDeclaration, env: string, issues: DeclarationIssue[]): void {
  const certs = decl.tls?.preSharedCerts ?? [];
  duplicates(certs, (c) => c).forEach(([i, first]) => {
    issues.push({
      path: `environments.${env}.tls.preSharedCerts[${i}]`,
      value: certs[i],
      message: `is already listed at preSharedCerts[${first}]`,
      fix: 'list every pre-shared certificate once',
    });
  });
}

/** `[index, index of the first equal entry]` for every entry equal (by `key`) to an earlier one. */
export function duplicates<T>(list: readonly T[], key: (item: T) => string): [number, number][] {
  const seen = new Map<string, number>();
  const out: [number, number][] = [];
  list.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) out.push([i, first]);
    else seen.set(k, i);
  });
  return out;
}

function tolerationKey(t: TolerationDeclaration): string {
  return JSON.stringify([t.key, t.operator ?? 'Equal', t.value ?? '', t.effect ?? '']);
}
