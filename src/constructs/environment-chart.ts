import { cdk8s } from './cjs.js';
import { kube } from './kube.js';
import type { Construct } from 'constructs';
import { environmentNamespace } from '../declaration/effective.js';
import { routesOf } from '../declaration/routing.js';
import type { EnvironmentDeclaration, ServiceDeclaration } from '../declaration/types.js';
import type { ResolvedJob } from '../declaration/jobs.js';
import { CronJob } from './cron-job.js';
import { environmentLabels } from './labels.js';
import { MigrationJob } from './migration-job.js';
import { networkPlan, type NetworkPlan } from '../declaration/network.js';
import { NetworkPolicies } from './network-policies.js';
import { SharedIngress } from './shared-ingress.js';
import { backendFeatures, isInternal } from '../declaration/load-balancer.js';
import { WebService } from './web-service.js';
import { EnvironmentQuota } from './environment-quota.js';
import { PriorityClasses } from './priority-classes.js';
import { prioritiesUsed, priorityOf } from '../declaration/env-knobs.js';

export interface EnvironmentChartProps {
  /** Environment name, e.g. `production`. */
  readonly environment: string;
  /** The environment's declaration (namespace, TLS, static IP). */
  readonly declaration: EnvironmentDeclaration;
  /** The services that run here, overrides already applied and validated. */
  readonly services: readonly ServiceDeclaration[];
  /** The jobs that run here (overrides and `from` applied, validated). @default [] */
  readonly jobs?: readonly ResolvedJob[];
  /**
   * The network model (cross-environment callers resolved, see `platformNetworkPlan`); `null` renders no NetworkPolicy.
   * @default derived from `declaration` and `services` alone (other environments' namespaces taken as their names)
   */
  readonly network?: NetworkPlan | null;
}

/** Pod Security Standards "restricted", enforced and also reported (warn/audit). */
const POD_SECURITY_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};

/**
 * One environment: its Namespace (restricted Pod Security), every service, and exactly one Ingress
 * routing every public host — one load balancer for the whole environment.
 * Names come from the declaration; resource-name hashes are disabled.
 */
export class EnvironmentChart extends cdk8s.Chart {
  /** Namespace of every object of the environment (not `Chart.namespace`, which cdk8s would also stamp on the cluster-scoped Namespace). */
  readonly targetNamespace: string;

  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.targetNamespace = environmentNamespace(props.environment, props.declaration);
    kube(this, 'Namespace', 'Namespace', { name: this.targetNamespace, labels: { ...environmentLabels(props.environment), ...POD_SECURITY_LABELS } }, {});
    if (props.declaration.quota)
      new EnvironmentQuota(this, 'Quota', { namespace: this.targetNamespace, environment: props.environment, quota: props.declaration.quota });
    const priorities = prioritiesUsed(props.services, props.declaration);
    if (priorities.length > 0) new PriorityClasses(this, 'PriorityClasses', { priorities });
    for (const service of props.services) {
      const priority = priorityOf(service, props.declaration);
      const loadBalancer = backendFeatures(props.declaration, service.loadBalancer);
      new WebService(this, service.name, { service, namespace: this.targetNamespace, environment: props.environment, priority, loadBalancer });
    }
    for (const job of props.jobs ?? []) {
      const jobProps = { job, namespace: this.targetNamespace, environment: props.environment };
      if (job.beforeDeploy) new MigrationJob(this, `job-${job.name}`, jobProps);
      else new CronJob(this, `job-${job.name}`, jobProps);
    }
    const plan = props.network === undefined ? networkPlan(props) : props.network;
    if (plan) new NetworkPolicies(this, 'NetworkPolicies', { environment: props.environment, plan });
    const routes = routesOf(props.services);
    if (routes.length > 0) {
      new SharedIngress(this, 'Ingress', {
        name: props.environment,
        namespace: this.targetNamespace,
        environment: props.environment,
        routes,
        tls: props.declaration.tls,
        staticIp: props.declaration.staticIp,
        internal: isInternal(props.declaration),
      });
    }
  }
}
