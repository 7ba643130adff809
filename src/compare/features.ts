/**
 * Features point by point, generated from the two renderings: what the GKE objects of the environment do (read from
 * the objects themselves) beside the ECS rendering's own mapping entry for the same feature (matched by keywords of
 * its `feature` text). ECS entries that match no GKE feature get their own row; nothing is typed per platform.
 */
import type { KubeObject } from '../render/types.js';
import type { EcsMappingEntry } from './ecs-input.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FeatureRow {
  readonly feature: string;
  /** What the GKE rendering does ('—' when it has nothing for this feature). */
  readonly gke: string;
  /** Whether the GKE rendering expresses it. */
  readonly gkeStatus: 'mapped' | 'absent';
  /** What the ECS rendering does, from its mapping. */
  readonly ecs: string;
  readonly ecsStatus: EcsMappingEntry['status'] | 'absent';
}

interface GkeFeature {
  readonly feature: string;
  readonly keywords: RegExp;
  readonly gke: string | undefined;
}

const of = (objects: readonly KubeObject[], kind: string): Json[] => objects.filter((o) => o.kind === kind);
const podSpecs = (objects: readonly KubeObject[]): Json[] =>
  (objects as readonly Json[]).flatMap((o) =>
    o.kind === 'CronJob' ? [o.spec.jobTemplate.spec.template.spec] : o.spec?.template?.spec ? [o.spec.template.spec] : [],
  );
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function routing(objects: readonly KubeObject[]): string | undefined {
  const ingresses = of(objects, 'Ingress');
  if (ingresses.length === 0) return undefined;
  const hosts = new Set(ingresses.flatMap((i) => ((i.spec.rules ?? []) as Json[]).map((r) => r.host)));
  const paths = ingresses.flatMap((i) => ((i.spec.rules ?? []) as Json[]).flatMap((r) => (r.http?.paths ?? []) as Json[]));
  return `${plural(ingresses.length, 'Ingress')} (one load balancer), ${plural(hosts.size, 'host')}, ${plural(paths.length, 'route')}`;
}

function healthChecks(objects: readonly KubeObject[]): string | undefined {
  const bcs = of(objects, 'BackendConfig').filter((b) => b.spec.healthCheck);
  if (bcs.length === 0) return undefined;
  const deployments = [...of(objects, 'Deployment'), ...of(objects, 'StatefulSet')];
  const same = bcs.filter((b) =>
    deployments.some((d) =>
      ((d.spec.template.spec.containers ?? []) as Json[]).some(
        (c) => c.readinessProbe?.httpGet?.path === b.spec.healthCheck.requestPath || (c.readinessProbe?.grpc && b.spec.healthCheck.type === 'HTTP2'),
      ),
    ),
  );
  return `${plural(bcs.length, 'BackendConfig')} health check; ${same.length} use the readiness probe's path`;
}

function probes(objects: readonly KubeObject[]): string | undefined {
  const containers = podSpecs(objects).flatMap((s) => (s.containers ?? []) as Json[]);
  const live = containers.filter((c) => c.livenessProbe).length;
  const startup = containers.filter((c) => c.startupProbe).length;
  return live + startup === 0 ? undefined : `${plural(live, 'liveness probe')} (kubelet restarts the container), ${plural(startup, 'startup probe')}`;
}

function drain(objects: readonly KubeObject[]): string | undefined {
  const draining = of(objects, 'BackendConfig').filter((b) => b.spec.connectionDraining);
  const preStop = podSpecs(objects).filter((s) => ((s.containers ?? []) as Json[]).some((c) => c.lifecycle?.preStop)).length;
  if (draining.length === 0 && preStop === 0) return undefined;
  const secs = [...new Set(draining.map((b) => b.spec.connectionDraining.drainingTimeoutSec))].sort((x, y) => x - y);
  return `connection draining ${secs.join('/')} s on ${plural(draining.length, 'backend')}; preStop wait in ${plural(preStop, 'pod template')}`;
}

function rollout(objects: readonly KubeObject[]): string | undefined {
  const d = of(objects, 'Deployment');
  if (d.length === 0) return undefined;
  const zero = d.filter((x) => x.spec.strategy?.rollingUpdate?.maxUnavailable === 0).length;
  const pdbs = of(objects, 'PodDisruptionBudget').length;
  return (
    `rolling update with maxUnavailable 0 on ${zero}/${d.length} Deployments; progressDeadlineSeconds marks a stuck rollout failed (berth ` +
    `deploy reports it, no automatic rollback); ${plural(pdbs, 'PodDisruptionBudget')}`
  );
}

function autoscaling(objects: readonly KubeObject[]): string | undefined {
  const h = of(objects, 'HorizontalPodAutoscaler');
  return h.length === 0
    ? undefined
    : `${plural(h.length, 'HorizontalPodAutoscaler')} ` +
        `(${h.map((x) => `${x.spec.scaleTargetRef.name} ${x.spec.minReplicas}–${x.spec.maxReplicas}`).join(', ')})`;
}

function secrets(objects: readonly KubeObject[]): string | undefined {
  const refs = podSpecs(objects)
    .flatMap((s) => [...((s.containers ?? []) as Json[]), ...((s.initContainers ?? []) as Json[])])
    .flatMap((c) => ((c.env ?? []) as Json[]).filter((e) => e.valueFrom?.secretKeyRef));
  return refs.length === 0 ? undefined : `${plural(refs.length, 'secretKeyRef')} (values never in manifests)`;
}

function tls(objects: readonly KubeObject[]): string | undefined {
  const managed = of(objects, 'ManagedCertificate');
  const ingressTls = of(objects, 'Ingress').filter((i) => i.spec.tls || i.metadata.annotations?.['ingress.gcp.kubernetes.io/pre-shared-cert']);
  const redirect = of(objects, 'FrontendConfig').some((f) => f.spec.redirectToHttps?.enabled);
  if (managed.length === 0 && ingressTls.length === 0) return undefined;
  return `${managed.length > 0 ? 'Google-managed certificate' : 'pre-shared/secret certificate'}${redirect ? ', HTTP→HTTPS redirect (FrontendConfig)' : ''}`;
}

function jobs(objects: readonly KubeObject[]): string | undefined {
  const j = of(objects, 'Job').length;
  const c = of(objects, 'CronJob').length;
  return j + c === 0 ? undefined : `${plural(j, 'Job')} before deploy, ${plural(c, 'CronJob')}`;
}

function sidecars(objects: readonly KubeObject[]): string | undefined {
  const n = podSpecs(objects).reduce((s, spec) => s + ((spec.initContainers ?? []) as Json[]).filter((c) => c.restartPolicy === 'Always').length, 0);
  return n === 0 ? undefined : `${plural(n, 'native sidecar')} (initContainers, restartPolicy Always)`;
}

function environments(objects: readonly KubeObject[]): string | undefined {
  const ns = of(objects, 'Namespace').map((n) => n.metadata.name);
  return ns.length === 0 ? undefined : `namespace ${ns.join(', ')} on the shared cluster's nodes`;
}

function internal(objects: readonly KubeObject[]): string | undefined {
  const backends = new Set(
    of(objects, 'Ingress').flatMap((i) =>
      ((i.spec.rules ?? []) as Json[]).flatMap((r) => ((r.http?.paths ?? []) as Json[]).map((p) => p.backend.service.name)),
    ),
  );
  const internalServices = of(objects, 'Service').filter((s) => !backends.has(s.metadata.name)).length;
  return internalServices === 0 ? undefined : `${plural(internalServices, 'ClusterIP Service')} reached by cluster DNS only`;
}

/** The GKE side's features, each found (or not) in the objects. */
export function gkeFeatures(objects: readonly KubeObject[]): GkeFeature[] {
  return [
    { feature: 'Shared load balancer + host routing', keywords: /load balancer|listener|host|rout|ingress|alb|rules per/i, gke: routing(objects) },
    { feature: 'Health check = readiness', keywords: /health|readiness/i, gke: healthChecks(objects) },
    { feature: 'Liveness and start-up probes', keywords: /liveness|startup|probe/i, gke: probes(objects) },
    { feature: 'Zero-downtime drain', keywords: /drain|deregistration|grace|prestop/i, gke: drain(objects) },
    { feature: 'Rollout and rollback', keywords: /rollout|rollback|circuit|deployment config|rolling/i, gke: rollout(objects) },
    { feature: 'Autoscaling', keywords: /autoscal|scaling|hpa|replicas/i, gke: autoscaling(objects) },
    { feature: 'Secrets by reference', keywords: /secret/i, gke: secrets(objects) },
    { feature: 'TLS', keywords: /tls|https|certificate|acm/i, gke: tls(objects) },
    { feature: 'Jobs and cron', keywords: /job|cron|schedule|migration|beforedeploy|concurrency/i, gke: jobs(objects) },
    { feature: 'Sidecars', keywords: /sidecar|dependson|cloud ?sql/i, gke: sidecars(objects) },
    { feature: 'Internal services', keywords: /internal|service connect|service discovery|cloud map|worker/i, gke: internal(objects) },
    { feature: 'Environments on shared hosts', keywords: /environment|namespace|cluster/i, gke: environments(objects) },
  ];
}

/** An entry's feature without its `<service>: ` prefix, e.g. `secretEnv DATABASE_URL` for `api: secretEnv DATABASE_URL`. */
export function featureName(entry: EcsMappingEntry): string {
  return entry.feature.replace(/^[a-z0-9-]+: /, '');
}

const STATUS_ORDER: readonly EcsMappingEntry['status'][] = ['mapped', 'partial', 'unsupported'];

/** The ECS side of one row: entries by status, up to three shown (worst first), the rest counted; its worst status. */
function ecsSide(entries: readonly EcsMappingEntry[]): Pick<FeatureRow, 'ecs' | 'ecsStatus'> {
  if (entries.length === 0) return { ecs: '— (not in the ECS mapping)', ecsStatus: 'absent' };
  const worst = STATUS_ORDER.filter((st) => entries.some((e) => e.status === st)).pop()!;
  if (entries.length === 1) return { ecs: entries[0].ecs, ecsStatus: worst };
  const counts = STATUS_ORDER.map((st) => [st, entries.filter((e) => e.status === st).length] as const)
    .filter(([, n]) => n > 0)
    .map(([st, n]) => `${n} ${st}`)
    .join(', ');
  const shown = [...entries]
    .sort((a, b) => STATUS_ORDER.indexOf(b.status) - STATUS_ORDER.indexOf(a.status))
    .slice(0, 3)
    .map((e) => `${e.feature}: ${e.ecs}`);
  return { ecs: `${counts}. ${shown.join('; ')}${entries.length > 3 ? `; and ${entries.length - 3} more (mapping.md)` : ''}`, ecsStatus: worst };
}

/**
 * Rows: every GKE feature beside the ECS mapping entries whose feature name matches it; the remaining ECS entries
 * grouped by their feature's first word (`memory`, `port`, `mount`…), one row per group.
 */
export function compareFeatures(objects: readonly KubeObject[], mapping: readonly EcsMappingEntry[]): FeatureRow[] {
  const used = new Set<number>();
  const rows: FeatureRow[] = gkeFeatures(objects).map((f) => {
    const matches: EcsMappingEntry[] = [];
    mapping.forEach((e, i) => {
      if (used.has(i) || !f.keywords.test(featureName(e))) return;
      used.add(i);
      matches.push(e);
    });
    return { feature: f.feature, gke: f.gke ?? '— (not in this rendering)', gkeStatus: f.gke === undefined ? 'absent' : 'mapped', ...ecsSide(matches) };
  });
  const groups = new Map<string, EcsMappingEntry[]>();
  mapping.forEach((e, i) => {
    if (used.has(i)) return;
    const key = featureName(e).split(/[\s/]/)[0];
    groups.set(key, [...(groups.get(key) ?? []), e]);
  });
  for (const [key, entries] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const gke = [...new Set(entries.map((e) => e.gke))];
    rows.push({
      feature: entries.length === 1 ? entries[0].feature : `${key} (${entries.length} entries)`,
      gke: gke.length > 2 ? `${gke.slice(0, 2).join('; ')}; …` : gke.join('; '),
      gkeStatus: 'mapped',
      ...ecsSide(entries),
    });
  }
  return rows;
}
