import type { KubeObject } from './types.js';

/** A rendered environment breaks a GKE rule; synth stops and writes nothing. */
export class RenderCheckError extends Error {
  constructor(readonly environment: string, readonly problems: readonly string[]) {
    super(`environment "${environment}" fails ${problems.length} GKE check${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RenderCheckError';
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Checks the rendered objects (not the constructs), so escape hatches and objects added to a chart
 * by hand are held to the same rules: one load balancer, GKE's Ingress class, restricted pods,
 * drain timers that agree, health checks that match readiness probes.
 */
export function checkRendered(environment: string, objects: readonly KubeObject[]): void {
  const deployments = new Map(objects.filter((o) => o.kind === 'Deployment').map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, d as Json]));
  const problems = [...checkLoadBalancers(objects), ...objects.flatMap((o) => checkObject(o as Json, deployments))];
  if (problems.length > 0) throw new RenderCheckError(environment, problems);
}

function checkLoadBalancers(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const ingresses = objects.filter((o) => o.kind === 'Ingress');
  if (ingresses.length > 1) {
    problems.push(`${ingresses.length} Ingresses (${ingresses.map((i) => i.metadata.name).join(', ')}) would create ${ingresses.length} load balancers; route every host through the environment's one Ingress`);
  }
  for (const s of objects.filter((o) => o.kind === 'Service' && (o as Json).spec?.type === 'LoadBalancer')) {
    problems.push(`Service "${s.metadata.name}": type LoadBalancer would create a second load balancer; use ClusterIP behind the shared Ingress`);
  }
  return problems;
}

function checkObject(o: Json, deployments: ReadonlyMap<string, Json>): string[] {
  const where = `${o.kind} "${o.metadata?.name}"`;
  if (o.kind === 'Ingress') return checkIngress(o, where);
  if (o.kind === 'Deployment') return checkPodSpec(o.spec?.template?.spec ?? {}, where);
  if (o.kind === 'Job') return checkPodSpec(o.spec?.template?.spec ?? {}, where);
  if (o.kind === 'CronJob') return checkPodSpec(o.spec?.jobTemplate?.spec?.template?.spec ?? {}, where);
  if (o.kind === 'BackendConfig') return checkBackendConfig(o, where, deployments.get(`${o.metadata.namespace}/${o.metadata.name}`));
  return [];
}

function checkIngress(o: Json, where: string): string[] {
  const problems: string[] = [];
  if (o.spec?.ingressClassName !== undefined) problems.push(`${where}: spec.ingressClassName makes GKE ignore the Ingress; use the annotation kubernetes.io/ingress.class: gce`);
  if (o.metadata?.annotations?.['kubernetes.io/ingress.class'] !== 'gce') problems.push(`${where}: needs annotation kubernetes.io/ingress.class: gce`);
  return problems;
}

function checkPodSpec(pod: Json, where: string): string[] {
  const problems: string[] = [];
  if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: pod needs securityContext.seccompProfile.type RuntimeDefault`);
  if (pod.automountServiceAccountToken !== false) problems.push(`${where}: pod must set automountServiceAccountToken: false`);
  const grace: number = pod.terminationGracePeriodSeconds ?? 30;
  for (const c of (pod.containers ?? []) as Json[]) {
    const sc = c.securityContext ?? {};
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) problems.push(`${where}: container "${c.name}" must drop ALL capabilities`);
    const caps = [...drop, ...((sc.capabilities?.add ?? []) as string[])];
    for (const cap of caps.filter((x) => x.startsWith('CAP_'))) problems.push(`${where}: container "${c.name}" capability "${cap}" is invalid in Kubernetes; drop the CAP_ prefix`);
    if (sc.allowPrivilegeEscalation !== false || sc.readOnlyRootFilesystem !== true || sc.runAsNonRoot !== true) {
      problems.push(`${where}: container "${c.name}" needs allowPrivilegeEscalation false, readOnlyRootFilesystem true, runAsNonRoot true`);
    }
    if (c.resources?.requests?.memory === undefined || c.resources?.limits?.memory === undefined) problems.push(`${where}: container "${c.name}" needs a memory request and limit`);
    const sleep: number | undefined = c.lifecycle?.preStop?.sleep?.seconds;
    if (sleep !== undefined && !(sleep > 0 && sleep < grace)) problems.push(`${where}: preStop sleep ${sleep}s must be > 0 and < terminationGracePeriodSeconds ${grace}s`);
  }
  return problems;
}

function checkBackendConfig(o: Json, where: string, deployment: Json | undefined): string[] {
  if (!deployment) return [`${where}: no Deployment "${o.metadata.name}" to health-check`];
  const pod = deployment.spec.template.spec;
  const c = pod.containers[0];
  const problems: string[] = [];
  const hc = o.spec?.healthCheck ?? {};
  const probePath = c.readinessProbe?.httpGet?.path;
  if (hc.requestPath !== probePath) problems.push(`${where}: healthCheck.requestPath ${hc.requestPath} differs from the readiness probe path ${probePath}`);
  const port = c.ports?.[0]?.containerPort;
  if (hc.port !== port) problems.push(`${where}: healthCheck.port ${hc.port} must be the containerPort ${port} (NEG backends)`);
  const draining = o.spec?.connectionDraining?.drainingTimeoutSec;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (!(draining > 0 && draining <= grace)) problems.push(`${where}: connectionDraining ${draining}s must be > 0 and ≤ terminationGracePeriodSeconds ${grace}s`);
  return problems;
}
