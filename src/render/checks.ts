import { checkPodBearing } from './pod-checks.js';
import type { KubeObject } from './types.js';

/** A rendered environment breaks a GKE rule; synth stops and writes nothing. */
export class RenderCheckError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(`environment "${environment}" fails ${problems.length} GKE check${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RenderCheckError';
  }
}

/** What the environment declares that the checks depend on. */
export interface CheckOptions {
  /** The environment declares `ingress: internal`: its Ingress must be `gce-internal` (and nothing else may be). @default false */
  readonly internal?: boolean;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Checks the rendered objects (not the constructs), so escape hatches and objects added to a chart
 * by hand are held to the same rules: one load balancer, GKE's Ingress class, restricted pods (every
 * pod-bearing kind, see pod-checks.ts), drain timers that agree, health checks that match readiness probes.
 */
export function checkRendered(environment: string, objects: readonly KubeObject[], options: CheckOptions = {}): void {
  const deployments = new Map(objects.filter((o) => WORKLOAD_KINDS.has(o.kind)).map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d as Json]));
  const services = new Map(objects.filter((o) => o.kind === 'Service').map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d as Json]));
  const problems = [...checkLoadBalancers(objects), ...objects.flatMap((o) => checkObject(o as Json, deployments, services, options))];
  if (problems.length > 0) throw new RenderCheckError(environment, problems);
}

/** Kinds that serve a service's pods (a BackendConfig health-checks one of them). */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

function checkLoadBalancers(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const ingresses = objects.filter((o) => o.kind === 'Ingress');
  if (ingresses.length > 1) {
    problems.push(
      `${ingresses.length} Ingresses (${ingresses.map((i) => i.metadata.name).join(', ')}) would create ${ingresses.length} load balancers; ` +
        `route every host through the environment's one Ingress`,
    );
  }
  for (const s of objects.filter((o) => o.kind === 'Service' && (o as Json).spec?.type === 'LoadBalancer')) {
    problems.push(`Service "${s.metadata.name}": type LoadBalancer would create a second load balancer; use ClusterIP behind the shared Ingress`);
  }
  return problems;
}

function checkObject(o: Json, deployments: ReadonlyMap<string, Json>, services: ReadonlyMap<string, Json>, options: CheckOptions): string[] {
  const where = `${o.kind} "${o.metadata?.name}"`;
  if (o.kind === 'Ingress') return checkIngress(o, where, options.internal ? 'gce-internal' : 'gce');
  if (o.kind === 'BackendConfig') {
    const key = `${o.metadata.namespace}/${o.metadata.name}`;
    // A route's BackendConfig (`<service>-r<n>`) health-checks the pods of the service named by its label.
    const owner = deployments.get(key) ?? deployments.get(`${o.metadata.namespace}/${o.metadata.labels?.['app.kubernetes.io/name']}`);
    return [...checkBackendConfig(o, where, owner), ...checkAppProtocols(o, where, services.get(key))];
  }
  return checkPodBearing(o as KubeObject);
}

/** The class annotation GKE acts on: `gce`, or `gce-internal` for an environment declared `ingress: internal` only. */
function checkIngress(o: Json, where: string, cls: 'gce' | 'gce-internal'): string[] {
  const problems: string[] = [];
  if (o.spec?.ingressClassName !== undefined)
    problems.push(`${where}: spec.ingressClassName makes GKE ignore the Ingress; use the annotation kubernetes.io/ingress.class: ${cls}`);
  if (o.metadata?.annotations?.['kubernetes.io/ingress.class'] !== cls) problems.push(`${where}: needs annotation kubernetes.io/ingress.class: ${cls}`);
  if (cls === 'gce-internal' && o.metadata?.annotations?.['kubernetes.io/ingress.global-static-ip-name'] !== undefined) {
    problems.push(`${where}: an internal load balancer takes a regional address (kubernetes.io/ingress.regional-static-ip-name), not a global one`);
  }
  if (cls === 'gce-internal' && o.metadata?.annotations?.['networking.gke.io/managed-certificates'] !== undefined) {
    problems.push(`${where}: Google-managed certificates do not work with an internal load balancer; use pre-shared regional certificates or TLS Secrets`);
  }
  return problems;
}

function checkBackendConfig(o: Json, where: string, deployment: Json | undefined): string[] {
  if (!deployment) return [`${where}: no Deployment or StatefulSet "${o.metadata.name}" to health-check`];
  const pod = deployment.spec.template.spec;
  const c = pod.containers[0];
  const problems = checkHealthCheck(o.spec?.healthCheck ?? {}, c, where);
  const draining = o.spec?.connectionDraining?.drainingTimeoutSec;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (!(draining > 0 && draining <= grace))
    problems.push(`${where}: connectionDraining ${draining}s must be > 0 and ≤ terminationGracePeriodSeconds ${grace}s`);
  return problems;
}

/**
 * The load balancer's health check must check what the readiness probe checks: an HTTP path (the LB has
 * no gRPC or TCP check for Ingress backends), the same path and container port, and TLS exactly when the
 * probe uses HTTPS (GKE's HTTP2 health check is HTTP/2 over TLS).
 */
function checkHealthCheck(hc: Json, c: Json, where: string): string[] {
  const probe: Json = c.readinessProbe ?? {};
  if (!probe.httpGet) {
    const kind = probe.grpc ? 'a gRPC probe' : probe.tcpSocket ? 'a TCP probe' : probe.exec ? 'an exec probe' : 'missing';
    return [
      `${where}: the readiness probe of container "${c.name}" is ${kind}, but the load balancer health check requests an HTTP path; ` +
        `give the container an httpGet readiness probe on the health-checked path`,
    ];
  }
  const problems: string[] = [];
  if (hc.requestPath !== probe.httpGet.path)
    problems.push(`${where}: healthCheck.requestPath ${hc.requestPath} differs from the readiness probe path ${probe.httpGet.path}`);
  const port = typeof probe.httpGet.port === 'number' ? probe.httpGet.port : (c.ports ?? []).find((p: Json) => p.name === probe.httpGet.port)?.containerPort;
  if (hc.port !== port) problems.push(`${where}: healthCheck.port ${hc.port} must be the readiness probe's containerPort ${port} (NEG backends)`);
  const type: string = hc.type ?? 'HTTP';
  const probeTls = probe.httpGet.scheme === 'HTTPS';
  if (probeTls !== (type === 'HTTPS' || type === 'HTTP2')) {
    problems.push(
      `${where}: healthCheck.type ${type} ` +
        `${probeTls ? 'is cleartext, but the readiness probe uses HTTPS' : 'is over TLS on GKE, but the readiness probe uses plain HTTP'}; ` +
        `they must check the same thing`,
    );
  }
  return problems;
}

/** A Service whose port the LB reaches over HTTP/2 (`cloud.google.com/app-protocols`) needs an HTTP2 health check, and only it. */
function checkAppProtocols(o: Json, where: string, service: Json | undefined): string[] {
  const raw: string | undefined = service?.metadata?.annotations?.['cloud.google.com/app-protocols'];
  let protocols: string[] = [];
  try {
    protocols = raw === undefined ? [] : Object.values(JSON.parse(raw) as Record<string, string>);
  } catch {
    return [`Service "${service?.metadata?.name}": annotation cloud.google.com/app-protocols is not JSON (write e.g. {"grpc":"HTTP2"})`];
  }
  const type: string = o.spec?.healthCheck?.type ?? 'HTTP';
  if (protocols.includes('HTTP2') && type !== 'HTTP2')
    return [`${where}: Service "${service!.metadata.name}" is reached over HTTP/2 (cloud.google.com/app-protocols) but healthCheck.type is ${type}; use HTTP2`];
  if (type === 'HTTP2' && !protocols.includes('HTTP2'))
    return [
      `${where}: healthCheck.type HTTP2 but Service "${o.metadata.name}" has no cloud.google.com/app-protocols HTTP2 port, ` +
        `so the load balancer would speak HTTP/1.1 to it`,
    ];
  return [];
}
