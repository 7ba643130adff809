import { fixedReplicas, hostsOf } from '../declaration/effective.js';
import { describeCheck, readinessOf, servicePortOf } from '../declaration/probes.js';
import { parseQuantity } from '../declaration/rules.js';
import { routesOf } from '../declaration/routing.js';
import { cpuTargetOf } from '../declaration/env-knobs.js';
import type { EnvironmentDeclaration, ServiceDeclaration } from '../declaration/types.js';

/**
 * `routes.md`: what a reviewer needs next to the manifests — host → path → service → port →
 * health path → memory/cpu × replicas — plus internal services, workers and the memory total.
 */
export function routesSummary(environment: string, namespace: string, env: EnvironmentDeclaration, services: readonly ServiceDeclaration[]): string {
  const byName = new Map(services.map((s) => [s.name, s]));
  const lines = [`# ${environment}`, '', `Namespace \`${namespace}\`. ${loadBalancerLine(environment, env, services)}`, ''];
  const routes = routesOf(services);
  if (routes.length > 0) {
    lines.push('| Host | Path | Service | Port | Health | Memory / CPU | Replicas |', '|---|---|---|---|---|---|---|');
    for (const r of routes) {
      const s = byName.get(r.service)!;
      lines.push(
        `| ${r.host} | ${r.path} | ${r.backend ? `${s.name} (via ${r.backend})` : s.name} | ${portOf(s)} | ${describeCheck(s, readinessOf(s))} | ` +
          `${sizing(s)} | ${replicasOf(s)} |`,
      );
    }
    lines.push('');
  }
  const internal = services.filter((s) => s.port !== undefined && hostsOf(s).length === 0);
  const workers = services.filter((s) => s.port === undefined);
  if (internal.length > 0) lines.push('Internal services (no route):', '', ...table(internal, true), '');
  if (workers.length > 0) lines.push('Workers (no Service):', '', ...table(workers, false), '');
  lines.push(`Memory reserved at minimum scale: ${formatMiB(services.reduce((sum, s) => sum + memoryMiB(s) * minReplicas(s), 0))}.`, '');
  return lines.join('\n');
}

function loadBalancerLine(environment: string, env: EnvironmentDeclaration, services: readonly ServiceDeclaration[]): string {
  if (routesOf(services).length === 0) return 'No public service, so no Ingress and no load balancer.';
  const certificates = env.tls ? [(env.tls.managed ?? true) ? 'Google-managed certificate' : '', ...(env.tls.preSharedCerts ?? [])] : [];
  const redirect = (env.tls?.redirectHttps ?? true) ? ', HTTP redirects to HTTPS' : '';
  const tls = env.tls ? `TLS: ${certificates.filter(Boolean).join(', ')}${redirect}.` : 'HTTP only (no TLS declared).';
  return `One Ingress \`${environment}\` (one load balancer${env.staticIp ? `, static IP \`${env.staticIp}\`` : ''}). ${tls}`;
}

function table(services: readonly ServiceDeclaration[], withPort: boolean): string[] {
  const head = withPort
    ? ['| Service | Port | Health | Memory / CPU | Replicas |', '|---|---|---|---|---|']
    : ['| Service | Memory / CPU | Replicas |', '|---|---|---|'];
  return [
    ...head,
    ...services.map((s) =>
      withPort
        ? `| ${s.name} | ${portOf(s)} | ${describeCheck(s, readinessOf(s))} | ${sizing(s)} | ${replicasOf(s)} |`
        : `| ${s.name} | ${sizing(s)} | ${replicasOf(s)} |`,
    ),
  ];
}

/** The Service port, `80 → 8080` when it differs from the container port, then the protocol unless http, then extra ports. */
function portOf(s: ServiceDeclaration): string {
  const servicePort = servicePortOf(s);
  const main = servicePort === s.port ? `${s.port}` : `${servicePort} → ${s.port}`;
  const protocol = s.protocol && s.protocol !== 'http' ? ` ${s.protocol}${s.backendTls ? '+TLS' : ''}` : s.backendTls ? ' https' : '';
  const extras = (s.ports ?? []).map((p) => `, ${p.name} ${p.port}${p.protocol === 'UDP' ? '/UDP' : ''}`).join('');
  return `${main}${protocol}${extras}`;
}

function sizing(s: ServiceDeclaration): string {
  const mem = s.memoryLimit && s.memoryLimit !== s.memory ? `${s.memory} (limit ${s.memoryLimit})` : s.memory;
  return `${mem} / ${s.cpu}${s.cpuLimit ? ` (limit ${s.cpuLimit})` : ''}`;
}

function replicasOf(s: ServiceDeclaration): string {
  return s.autoscaling ? `${s.autoscaling.min}–${s.autoscaling.max} (HPA at ${hpaTargets(s.autoscaling)})` : `${fixedReplicas(s)}`;
}

/** `70% CPU`, `80% memory`, `100/pod pubsub…` — the HPA's targets, joined. */
function hpaTargets(a: NonNullable<ServiceDeclaration['autoscaling']>): string {
  const cpu = cpuTargetOf(a);
  const external =
    a.external && `${a.external.targetAverageValue !== undefined ? `${a.external.targetAverageValue}/pod` : a.external.targetValue} ${a.external.metric}`;
  return [cpu !== undefined && `${cpu}% CPU`, a.memoryPercent !== undefined && `${a.memoryPercent}% memory`, external].filter(Boolean).join(', ');
}

function minReplicas(s: ServiceDeclaration): number {
  return s.autoscaling?.min ?? fixedReplicas(s)!;
}

function memoryMiB(s: ServiceDeclaration): number {
  return (parseQuantity(s.memory) ?? 0) / 2 ** 20;
}

function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(2).replace(/\.?0+$/, '')} GiB` : `${Math.round(mib)} MiB`;
}
