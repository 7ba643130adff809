import { effectiveServices, namespaceOf } from './effective.js';
import { extraPortsOf, readinessOf } from './probes.js';
import type { EnvironmentDeclaration, PlatformDeclaration, ServiceDeclaration } from './types.js';

/*
 * The network model of an environment, resolved once, here: which pods may reach which ports. The
 * NetworkPolicies construct renders it; validation (validate-network.ts) and the analyzer test read it.
 */

/** Source ranges of GKE's load balancer proxies and health checks (https://cloud.google.com/load-balancing/docs/firewall-rules). */
export const LB_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];
/** GKE's NodeLocal DNSCache address; pods query it on port 53 when the add-on is on. */
export const NODE_LOCAL_DNS = '169.254.20.10/32';
/** The GKE metadata server (Workload Identity tokens): 169.254.169.254:80, served on 169.254.169.252:988 with Dataplane V2. */
export const METADATA_SERVER: readonly { readonly cidr: string; readonly port: number }[] = [
  { cidr: '169.254.169.254/32', port: 80 },
  { cidr: '169.254.169.252/32', port: 988 },
];

export interface PolicyPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Pods labelled `app.kubernetes.io/name: <name>` in `namespace`. */
export interface PolicyPeer {
  readonly namespace: string;
  readonly name: string;
}

/** Who may reach one service's pods. */
export interface ServiceIngressPlan {
  readonly service: string;
  /** Every port the pods serve inside the cluster: main, `ports`, sidecars'. */
  readonly ports: readonly PolicyPort[];
  /** Ports the load balancer reaches (main port and health-check port) of a public service; [] when internal. */
  readonly lbPorts: readonly number[];
  /** The only pods allowed in; undefined: every pod of the namespace. */
  readonly callers?: readonly PolicyPeer[];
}

/** Where a restricted environment's pods may connect (besides DNS, the metadata server and their own namespace). */
export interface EgressPlan {
  readonly cidrs: readonly string[];
  /** Services of other environments that declare a caller from this one. */
  readonly peers: readonly (PolicyPeer & { readonly ports: readonly PolicyPort[] })[];
}

export interface NetworkPlan {
  readonly namespace: string;
  readonly ingress: readonly ServiceIngressPlan[];
  /** undefined: egress open. */
  readonly egress?: EgressPlan;
}

/** `api` → same environment; `staging/api` → environment `staging`. */
export function parseCaller(caller: string, environment: string): { readonly environment: string; readonly name: string } {
  const slash = caller.indexOf('/');
  return slash < 0 ? { environment, name: caller } : { environment: caller.slice(0, slash), name: caller.slice(slash + 1) };
}

/** Every in-cluster port of a service's pods (none for a worker). */
export function podPortsOf(s: ServiceDeclaration): PolicyPort[] {
  if (s.port === undefined) return [];
  const ports: PolicyPort[] = [{ port: s.port, protocol: 'TCP' }, ...extraPortsOf(s).map((p) => ({ port: p.port, protocol: p.protocol }))];
  for (const sidecar of s.sidecars ?? []) if (sidecar.port !== undefined) ports.push({ port: sidecar.port, protocol: 'TCP' });
  return ports;
}

/** The main port and the health-checked port of a public service. */
export function loadBalancerPortsOf(s: ServiceDeclaration): number[] {
  if (s.port === undefined || s.host === undefined) return [];
  const health = readinessOf(s)?.port ?? s.port;
  return health === s.port ? [s.port] : [s.port, health];
}

export interface NetworkPlanInput {
  readonly environment: string;
  readonly declaration: EnvironmentDeclaration;
  readonly services: readonly ServiceDeclaration[];
  /** Namespace of every environment, for `environment/service` callers. @default each environment's name (this one's `namespace`) */
  readonly namespaces?: Readonly<Record<string, string>>;
  /** Services of other environments this one may call (see `outboundPeers`). @default [] */
  readonly outbound?: EgressPlan['peers'];
}

/** The environment's plan, or undefined with `networkPolicy: false`. */
export function networkPlan(input: NetworkPlanInput): NetworkPlan | undefined {
  if (input.declaration.networkPolicy === false) return undefined;
  const namespace = input.declaration.namespace ?? input.environment;
  const nsOf = (env: string): string => (env === input.environment ? namespace : (input.namespaces?.[env] ?? env));
  const ingress = input.services
    .filter((s) => s.port !== undefined)
    .map((s) => ({
      service: s.name,
      ports: podPortsOf(s),
      lbPorts: loadBalancerPortsOf(s),
      callers: s.callers?.map((c) => parseCaller(c, input.environment)).map((c) => ({ namespace: nsOf(c.environment), name: c.name })),
    }));
  const egress = input.declaration.egress;
  return { namespace, ingress, egress: egress && { cidrs: egress.allow ?? [], peers: input.outbound ?? [] } };
}

/** Services of other environments that list a caller from `environment` (what its restricted egress must keep open). */
export function outboundPeers(platform: PlatformDeclaration, environment: string): EgressPlan['peers'] {
  const peers: (PolicyPeer & { ports: PolicyPort[] })[] = [];
  for (const other of Object.keys(platform.environments).sort()) {
    if (other === environment) continue;
    for (const { service } of effectiveServices(platform, other)) {
      const calls = (service.callers ?? []).some((c) => parseCaller(c, other).environment === environment);
      if (calls && service.port !== undefined) peers.push({ namespace: namespaceOf(platform, other), name: service.name, ports: podPortsOf(service) });
    }
  }
  return peers;
}

/** The plan of one environment of a platform, cross-environment callers resolved. */
export function platformNetworkPlan(platform: PlatformDeclaration, environment: string): NetworkPlan | undefined {
  const namespaces = Object.fromEntries(Object.keys(platform.environments).map((e) => [e, namespaceOf(platform, e)]));
  return networkPlan({
    environment,
    declaration: platform.environments[environment] ?? {},
    namespaces,
    outbound: outboundPeers(platform, environment),
    services: effectiveServices(platform, environment).map((e) => e.service),
  });
}
