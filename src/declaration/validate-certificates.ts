/** Validation of an environment's certificates: per-host sources, wildcards, the 15-certificate and 100-domain limits. */
import { DOMAINS_PER_MANAGED_CERTIFICATE, MAX_CERTIFICATES, entrySource, hostSource, planCertificates } from './certificates.js';
import type { DeclarationIssue } from './errors.js';
import * as r from './rules.js';
import { didYouMean } from './shape.js';
import type { TlsDeclaration } from './types.js';

const ONE_SOURCE = 'set exactly one of "managed: true", "preShared: <GCP SSL certificate name>" or "secret: <TLS Secret name>"';

/** Every issue of `tls` for the environment's hosts ([host, service] pairs; a host may repeat). */
export function checkEnvironmentCertificates(
  tls: TlsDeclaration,
  env: string,
  hosts: readonly (readonly [string, string])[],
  issues: DeclarationIssue[],
): void {
  const path = `environments.${env}.tls`;
  checkEntries(tls, path, [...new Set(hosts.map(([h]) => h))], issues);
  const reported = new Set<string>();
  for (const [host, service] of hosts) {
    if (reported.has(host) || tls.certificates?.[host]) continue;
    reported.add(host);
    if (hostSource(host, tls).kind !== 'none') continue;
    const fix = `add "certificates: { \\"${host}\\": { preShared: <GCP SSL certificate name> } }" (or "secret: <TLS Secret name>") under ${path}`;
    if (host.startsWith('*.'))
      issues.push({
        path,
        service,
        value: host,
        message: 'is a wildcard host, which Google-managed certificates cannot cover',
        fix: `${fix}, or list the wildcard certificate in preSharedCerts`,
      });
    else if (tls.managed ?? true)
      issues.push({ path, service, value: host, message: 'is longer than the 63 characters a Google-managed certificate domain allows', fix });
    else
      issues.push({
        path,
        service,
        value: host,
        message: 'has no certificate: managed is false, the host has no "certificates" entry and the environment lists no preSharedCerts',
        fix,
      });
  }
  checkLimits(
    tls,
    path,
    hosts.map(([h]) => h),
    issues,
  );
}

function checkEntries(tls: TlsDeclaration, path: string, hosts: readonly string[], issues: DeclarationIssue[]): void {
  for (const [host, entry] of Object.entries(tls.certificates ?? {})) {
    const at = `${path}.certificates.${host}`;
    if (!hosts.includes(host)) {
      const hint = didYouMean(host, hosts);
      issues.push({
        path: at,
        value: host,
        message: 'names a host that no service of this environment routes',
        fix: hint ? `did you mean "${hint}"?` : 'use a host of the environment or remove the entry',
      });
      continue;
    }
    const source = entrySource(entry);
    if (!source) {
      issues.push({ path: at, value: entry, message: 'must name exactly one certificate source', fix: ONE_SOURCE });
    } else if (source.kind === 'managed' && host.startsWith('*.')) {
      issues.push({
        path: `${at}.managed`,
        value: host,
        message: 'is a wildcard host, which Google-managed certificates cannot cover',
        fix: 'use "preShared: <name>" for an uploaded wildcard certificate or "secret: <name>" for one issued with DNS-01 (cert-manager)',
      });
    } else if (source.kind === 'managed' && host.length > 63) {
      issues.push({
        path: `${at}.managed`,
        value: host,
        message: 'is longer than the 63 characters a Google-managed certificate domain allows',
        fix: 'use "preShared" or "secret" for this host',
      });
    } else if (source.kind === 'preShared') {
      const res = r.checkGcpName(source.name);
      if (res) issues.push({ path: `${at}.preShared`, value: source.name, message: res[0], fix: res[1] });
    } else if (source.kind === 'secret') {
      const res = r.checkSecretName(source.name);
      if (res) issues.push({ path: `${at}.secret`, value: source.name, message: res[0], fix: res[1] });
    }
  }
}

function checkLimits(tls: TlsDeclaration, path: string, hosts: readonly string[], issues: DeclarationIssue[]): void {
  const plan = planCertificates('check', hosts, tls);
  if (plan.count > MAX_CERTIFICATES) {
    issues.push({
      path,
      value: plan.count,
      message:
        `needs ${plan.count} certificates, over the ${MAX_CERTIFICATES} a GKE Ingress (one target HTTPS proxy) can hold ` +
        `(${plan.managed.length} Google-managed, ${plan.preShared.length} pre-shared, ${plan.secrets.length} TLS Secrets)`,
      fix:
        'serve several hosts from one certificate: a wildcard "preShared" certificate or a TLS Secret covering them (tls.certificates), ' +
        'or fewer pre-shared certificates',
    });
  }
  for (const cert of plan.managed) {
    if (cert.domains.length <= DOMAINS_PER_MANAGED_CERTIFICATE) continue;
    issues.push({
      path,
      value: `${cert.domains.length} hosts`,
      message: `puts ${cert.domains.length} hosts into one Google-managed certificate bucket, over the ${DOMAINS_PER_MANAGED_CERTIFICATE} domains it can hold`,
      fix: 'serve some hosts from a wildcard "preShared" certificate or a TLS Secret (tls.certificates), or split them across environments',
    });
  }
}
