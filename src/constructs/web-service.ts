import type { DeploymentSpec, MetricSpecV2 } from './k8s-types.js';
import { Construct } from 'constructs';
import { loadBalancerProtocolOf, mainPortName, readinessOf } from '../declaration/probes.js';
import type { ServiceDeclaration } from '../declaration/types.js';
import { drainTimings } from './drain-budget.js';
import { BackendConfig } from './gke-resources.js';
import { int, kube, qty, type Metadata } from './kube.js';
import { imageVersion, selectorLabels, serviceLabels } from './labels.js';
import { podTemplate } from './pod-template.js';
import { servicePorts } from './probes.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../declaration/defaults.js';
import { fixedReplicas } from '../declaration/effective.js';
import { addStatefulSet } from './stateful-set.js';
import { disruptionBudget, rolloutOf } from '../declaration/knobs.js';
import { preStopLifecycle } from './pre-stop.js';
import { pullSecrets } from './pod-options.js';
import { cpuTargetOf, DEFAULT_PRIORITY, priorityClassName, routeBackendName } from '../declaration/env-knobs.js';
import type { PriorityName } from '../declaration/types.js';
import type { BackendFeatures } from '../declaration/load-balancer.js';

export interface WebServiceProps {
  /** The service as it runs in this environment (overrides applied, validated). */
  readonly service: ServiceDeclaration;
  /** Namespace of the environment. */
  readonly namespace: string;
  /** Environment name (a label on every object). */
  readonly environment: string;
  /** Scheduling priority (PriorityClass `berth-<priority>`), resolved by `priorityOf`. @default "normal" */
  readonly priority?: PriorityName;
  /** Load-balancer features of the service's BackendConfig(s), resolved by `backendFeatures`. @default none */
  readonly loadBalancer?: BackendFeatures;
}

/** Default fixed replica count (resolved by `fixedReplicas`). */
export { DEFAULT_REPLICAS } from '../declaration/effective.js';

/** With an HPA the Deployment must not pin `replicas` (kube-score); Polaris is told why. */
const HPA_EXEMPTION = { 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' };

/**
 * One service: ServiceAccount + Deployment (a StatefulSet and its headless Service when it declares
 * `storage`); a ClusterIP Service when it has a port; when it is public (has a host) NEG and BackendConfig
 * annotations with a health check equal to the readiness probe (path, port, and HTTP/HTTPS/HTTP2 with the
 * `cloud.google.com/app-protocols` annotation the protocol needs); a PodDisruptionBudget whenever the service
 * can run more than one pod (`maxUnavailable: 1`; `0` with `disruption: never`, singletons included); an HPA
 * when autoscaling is declared.
 */
export class WebService extends Construct {
  /** Whether the service is routed by the environment's shared Ingress. */
  readonly isPublic: boolean;
  private readonly features: BackendFeatures;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const s = props.service;
    const drain = drainTimings(s.drainSeconds, s.drainSleepSeconds);
    const replicas = fixedReplicas(s);
    const labels = serviceLabels(s.name, props.environment);
    const metadata: Metadata = { name: s.name, namespace: props.namespace, labels };
    this.isPublic = s.host !== undefined && s.port !== undefined;
    this.features = props.loadBalancer ?? {};

    const workloadIdentity = s.gcpServiceAccount ? { 'iam.gke.io/gcp-service-account': s.gcpServiceAccount } : undefined;
    kube(
      this,
      'ServiceAccount',
      'ServiceAccount',
      { ...metadata, annotations: workloadIdentity },
      { automountServiceAccountToken: false, imagePullSecrets: pullSecrets(s.imagePullSecrets) },
    );
    const versioned = { ...labels, 'app.kubernetes.io/version': imageVersion(s.image) };
    const spec: DeploymentSpec = {
      replicas,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: selectorLabels(s.name) },
      // A singleton never runs two pods: the old one stops before the new one starts.
      strategy: s.singleton ? { type: 'Recreate' } : rollingUpdate(s),
      template: podTemplate({ service: s, labels: versioned, drain }),
    };
    Object.assign(spec.template.spec!, { priorityClassName: priorityClassName(props.priority ?? DEFAULT_PRIORITY) });
    // The native `preStop.sleep` handler (1.30+) postdates the 1.27 structs: added to the plain JSON.
    const lifecycle = preStopLifecycle(s, drain);
    if (lifecycle) Object.assign(spec.template.spec!.containers[0], { lifecycle });
    const workload = { ...metadata, labels: versioned, annotations: s.autoscaling ? HPA_EXEMPTION : undefined };
    if (s.storage) addStatefulSet(this, { service: { ...s, storage: s.storage }, metadata: workload, labels, template: spec.template, replicas });
    else kube(this, 'Deployment', 'Deployment', workload, { spec });
    if (s.port !== undefined) this.addService(this, s, metadata, drain.connectionDrainingSeconds, s.timeoutSeconds);
    // A route with its own load-balancer settings: its own Service + BackendConfig over the same pods.
    s.routes?.forEach((route, i) => {
      const name = routeBackendName(s.name, i);
      this.addService(
        new Construct(this, `route-${i + 1}`),
        s,
        { ...metadata, name },
        drain.connectionDrainingSeconds,
        route.timeoutSeconds ?? s.timeoutSeconds,
      );
    });
    const budget = disruptionBudget(s);
    if (budget !== undefined) {
      kube(this, 'PodDisruptionBudget', 'PodDisruptionBudget', metadata, {
        spec: { maxUnavailable: int(budget), selector: { matchLabels: selectorLabels(s.name) }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      });
    }
    if (s.autoscaling) this.addAutoscaler(s, metadata);
  }

  /** A Service named `metadata.name` over the service's pods; when public, its BackendConfig of the same name. */
  private addService(scope: Construct, s: ServiceDeclaration, metadata: Metadata, drainingSeconds: number, timeoutSeconds: number | undefined): void {
    const lbProtocol = loadBalancerProtocolOf(s);
    const annotations: Record<string, string> | undefined = this.isPublic
      ? { 'cloud.google.com/neg': '{"ingress": true}', 'cloud.google.com/backend-config': JSON.stringify({ default: metadata.name }) }
      : undefined;
    // The load balancer speaks HTTPS or HTTP/2 (over TLS) to the backend only when the Service port says so.
    if (annotations && lbProtocol !== 'HTTP') annotations['cloud.google.com/app-protocols'] = JSON.stringify({ [mainPortName(s)]: lbProtocol });
    kube(
      scope,
      'Service',
      'Service',
      { ...metadata, annotations },
      {
        spec: { type: 'ClusterIP', selector: selectorLabels(s.name), ports: servicePorts(s) },
      },
    );
    if (!this.isPublic) return;
    // Validation guarantees a public service's readiness check is an HTTP path on the main port.
    const readiness = readinessOf(s);
    if (readiness?.kind !== 'path')
      throw new Error(
        `service "${s.name}" is public but its readiness check is not an HTTP path; validate the declaration (validatePlatform) before building constructs`,
      );
    new BackendConfig(scope, 'BackendConfig', metadata, {
      ...this.features,
      healthCheck: {
        type: lbProtocol,
        requestPath: readiness.path!,
        port: readiness.port,
        checkIntervalSec: 5,
        timeoutSec: 3,
        healthyThreshold: 1,
        unhealthyThreshold: 2,
      },
      connectionDraining: { drainingTimeoutSec: drainingSeconds },
      timeoutSec: timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    });
  }

  private addAutoscaler(s: ServiceDeclaration, metadata: Metadata): void {
    const a = s.autoscaling!;
    kube(this, 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', metadata, {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: s.storage ? 'StatefulSet' : 'Deployment', name: s.name },
        minReplicas: a.min,
        maxReplicas: a.max,
        metrics: metricsOf(a),
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }] },
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
        },
      },
    });
  }
}

/** The Deployment's rolling update at the declared (or default) pace: integers as numbers, percentages as strings. */
function rollingUpdate(s: ServiceDeclaration): NonNullable<DeploymentSpec['strategy']> {
  const pace = rolloutOf(s);
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: int(pace.maxUnavailable), maxSurge: int(pace.maxSurge) } };
}

/** The HPA's metrics: CPU (declared, or 70 % when nothing else is), memory, an external metric. */
function metricsOf(a: NonNullable<ServiceDeclaration['autoscaling']>): MetricSpecV2[] {
  const metrics: MetricSpecV2[] = [];
  const cpu = cpuTargetOf(a);
  if (cpu !== undefined) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } });
  if (a.memoryPercent !== undefined)
    metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: a.memoryPercent } } });
  const e = a.external;
  if (e) {
    const target =
      e.targetAverageValue !== undefined ? { type: 'AverageValue', averageValue: qty(e.targetAverageValue) } : { type: 'Value', value: qty(e.targetValue!) };
    const selector = e.selector && Object.keys(e.selector).length > 0 ? { matchLabels: { ...e.selector } } : undefined;
    metrics.push({ type: 'External', external: { metric: { name: e.metric, selector }, target } });
  }
  return metrics;
}
