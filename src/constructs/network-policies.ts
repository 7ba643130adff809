import { Construct } from 'constructs';
import type * as K8s from './k8s-types.js';
import {
  LB_RANGES,
  METADATA_SERVER,
  NODE_LOCAL_DNS,
  type NetworkPlan,
  type PolicyPeer,
  type PolicyPort,
  type ServiceIngressPlan,
} from '../declaration/network.js';
import { int, kube, type Metadata } from './kube.js';
import { environmentLabels, selectorLabels } from './labels.js';

export interface NetworkPoliciesProps {
  /** Environment name (labels). */
  readonly environment: string;
  /** The resolved network model (src/declaration/network.ts). */
  readonly plan: NetworkPlan;
}

/** Label value of every NetworkPolicy berth renders (`app.kubernetes.io/component`); they go to `network-policies.yaml`. */
export const NETWORK_POLICY_COMPONENT = 'network-policy';
/** The label every namespace carries (Kubernetes ≥ 1.22), used to select another environment's namespace. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * An environment's NetworkPolicies: `default-deny` (every pod, ingress and egress), `allow-<service>` per
 * service with a port (the load balancer's ranges to a public service's serving and health-check ports; its own pods
 * and its callers — or every pod of the namespace — to all its ports), and `allow-egress` (everything, or DNS, the metadata
 * server, the namespace, declared peers and CIDRs when the environment restricts egress).
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const { plan } = props;
    const meta = (name: string): Metadata => ({
      name,
      namespace: plan.namespace,
      labels: { ...environmentLabels(props.environment), 'app.kubernetes.io/component': NETWORK_POLICY_COMPONENT },
    });
    kube(this, 'default-deny', 'NetworkPolicy', meta('default-deny'), { spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    for (const s of plan.ingress) {
      kube(this, `allow-${s.service}`, 'NetworkPolicy', meta(`allow-${s.service}`), {
        spec: { podSelector: { matchLabels: selectorLabels(s.service) }, policyTypes: ['Ingress'], ingress: ingressRules(s, plan.namespace) },
      });
    }
    kube(this, 'allow-egress', 'NetworkPolicy', meta('allow-egress'), { spec: { podSelector: {}, policyTypes: ['Egress'], egress: egressRules(plan) } });
  }
}

function ingressRules(s: ServiceIngressPlan, namespace: string): K8s.NetworkPolicyIngressRule[] {
  const rules: K8s.NetworkPolicyIngressRule[] = [];
  if (s.lbPorts.length > 0) {
    rules.push({ from: LB_RANGES.map((cidr) => ({ ipBlock: { cidr } })), ports: s.lbPorts.map((port) => ({ port: int(port), protocol: 'TCP' })) });
  }
  // A service's own pods always reach each other (replicas, StatefulSet peers), callers or not.
  const own = { namespace, name: s.service };
  const from = s.callers === undefined ? [{ podSelector: {} }] : [own, ...s.callers].map((c) => peer(c, namespace));
  if (from.length > 0) rules.push({ from, ports: policyPorts(s.ports) });
  return rules;
}

function egressRules(plan: NetworkPlan): K8s.NetworkPolicyEgressRule[] {
  if (!plan.egress) return [{}];
  const dns = policyPorts([
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ]);
  return [
    {
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: dns,
    },
    { to: [{ ipBlock: { cidr: NODE_LOCAL_DNS } }], ports: dns },
    ...METADATA_SERVER.map((m) => ({ to: [{ ipBlock: { cidr: m.cidr } }], ports: policyPorts([{ port: m.port, protocol: 'TCP' }]) })),
    { to: [{ podSelector: {} }] },
    ...plan.egress.peers.map((p) => ({ to: [peer(p, plan.namespace)], ports: policyPorts(p.ports) })),
    ...(plan.egress.cidrs.length > 0 ? [{ to: plan.egress.cidrs.map((cidr) => ({ ipBlock: { cidr } })) }] : []),
  ];
}

/** Pods of a service or job: in this namespace by label, in another one by namespace name and label. */
function peer(p: PolicyPeer, namespace: string): K8s.NetworkPolicyPeer {
  const podSelector = { matchLabels: selectorLabels(p.name) };
  return p.namespace === namespace ? { podSelector } : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } }, podSelector };
}

function policyPorts(ports: readonly PolicyPort[]): K8s.NetworkPolicyPort[] {
  return ports.map((p) => ({ port: int(p.port), protocol: p.protocol }));
}
