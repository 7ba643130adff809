/**
 * One DNS name points at one load balancer, and every environment has its own: a host routed by two environments
 * sends its traffic to one of them only, and with TLS the other's certificate never provisions. The usual cause is an
 * inherited host (`billing` keeps the base `host: api.example.com` in staging).
 */
import { effectiveServices, hostsOf } from './effective.js';
import type { DeclarationIssue } from './errors.js';
import type { PlatformDeclaration } from './types.js';

/** Where one environment routes a host: the services, and whether each declares it in the environment or inherits it. */
interface HostUse {
  readonly env: string;
  readonly services: { readonly name: string; readonly index: number; readonly inherited: boolean }[];
}

/**
 * Every host routed by more than one environment is an error in each environment but its owner: the environment where
 * most services route it (the first declared on a tie), e.g. production for a base host staging inherits.
 */
export function checkHostsAcrossEnvironments(p: PlatformDeclaration, issues: DeclarationIssue[]): void {
  for (const [host, uses] of hostUses(p)) {
    if (uses.length < 2) continue;
    const owner = uses.reduce((a, b) => (b.services.length > a.services.length ? b : a));
    for (const use of uses) if (use !== owner) report(host, owner, use, issues);
  }
}

function hostUses(p: PlatformDeclaration): Map<string, HostUse[]> {
  const byHost = new Map<string, HostUse[]>();
  for (const env of Object.keys(p.environments)) {
    const overrides = p.environments[env]?.services ?? {};
    for (const e of effectiveServices(p, env)) {
      const o = overrides[e.service.name] as Record<string, unknown> | undefined;
      const inherited = o?.host === undefined && o?.hosts === undefined;
      for (const host of new Set(hostsOf(e.service))) {
        const uses = byHost.get(host) ?? [];
        let use = uses.find((u) => u.env === env);
        if (!use) uses.push((use = { env, services: [] }));
        use.services.push({ name: e.service.name, index: e.index, inherited });
        byHost.set(host, uses);
      }
    }
  }
  return byHost;
}

function report(host: string, owner: HostUse, use: HostUse, issues: DeclarationIssue[]): void {
  const names = (u: HostUse): string => u.services.map((s) => `"${s.name}"`).join(', ');
  for (const s of use.services) {
    const path = s.inherited ? `environments.${use.env}.services.${s.name}` : `environments.${use.env}.services.${s.name}.host`;
    const from = s.inherited ? ` (inherited from services[${s.index}])` : '';
    issues.push({
      path,
      service: s.name,
      value: host,
      message:
        `is routed in environment "${use.env}" by service "${s.name}"${from} and in environment "${owner.env}" ` +
        `by ${owner.services.length > 1 ? 'services' : 'service'} ${names(owner)}; one DNS name points at one load balancer, ` +
        `so only one environment can serve it (and its certificate would never provision in the other)`,
      fix:
        `give service "${s.name}" its own host in environment "${use.env}" (environments.${use.env}.services.${s.name}.host, e.g. ` +
        `"${suggest(host, use.env)}"), or leave it out there with "enabled: false"`,
    });
  }
}

/** `api.example.com` in staging → `api.staging.example.com`. */
function suggest(host: string, env: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? `${env}.${host}` : `${host.slice(0, dot)}.${env}${host.slice(dot)}`;
}
