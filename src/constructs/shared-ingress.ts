import type { HttpIngressPath, IngressRule } from './k8s-types.js';
import { Construct } from 'constructs';
import { planCertificates } from '../declaration/certificates.js';
import type { Route } from '../declaration/routing.js';
import type { TlsDeclaration } from '../declaration/types.js';
import { kube } from './kube.js';
import { FrontendConfig, ManagedCertificate } from './gke-resources.js';
import { environmentLabels } from './labels.js';

export interface SharedIngressProps {
  /** Name of the Ingress (and of its FrontendConfig). */
  readonly name: string;
  readonly namespace: string;
  readonly environment: string;
  /** Every route of every public service in the environment. */
  readonly routes: readonly Route[];
  /** TLS settings. @default none (HTTP only) */
  readonly tls?: TlsDeclaration;
  /** Reserved static IP name (global; regional when `internal`). @default none (ephemeral address) */
  readonly staticIp?: string;
  /** A `gce-internal` Ingress (regional internal Application Load Balancer). @default false (external `gce`) */
  readonly internal?: boolean;
}

/**
 * The ONE Ingress of an environment (one Google Cloud load balancer) with a rule per host, plus
 * its TLS pieces: ManagedCertificates (one per host, or hash buckets; see declaration/certificates.ts), pre-shared
 * certificates, TLS Secrets (`spec.tls`) and a FrontendConfig redirecting to HTTPS.
 * The class is the `kubernetes.io/ingress.class: gce` annotation and never `spec.ingressClassName`,
 * which GKE's controller ignores Ingresses for (cdk8s-plus's `className` only sets the latter).
 */
export class SharedIngress extends Construct {
  constructor(scope: Construct, id: string, props: SharedIngressProps) {
    super(scope, id);
    const metadata = { name: props.name, namespace: props.namespace, labels: environmentLabels(props.environment) };
    const annotations: Record<string, string> = { 'kubernetes.io/ingress.class': props.internal ? 'gce-internal' : 'gce' };
    if (props.staticIp)
      annotations[props.internal ? 'kubernetes.io/ingress.regional-static-ip-name' : 'kubernetes.io/ingress.global-static-ip-name'] = props.staticIp;
    const spec: Record<string, unknown> = { rules: rulesOf(props.routes) };
    if (props.tls) Object.assign(annotations, this.addTls(props, metadata, spec));
    kube(this, 'Ingress', 'Ingress', { ...metadata, annotations }, { spec });
  }

  private addTls(
    props: SharedIngressProps,
    metadata: { name: string; namespace: string; labels: Record<string, string> },
    spec: Record<string, unknown>,
  ): Record<string, string> {
    const tls = props.tls!;
    const annotations: Record<string, string> = {};
    // Validation rejects managed certificates and the redirect on an internal load balancer; HTTP is closed instead.
    if (props.internal) annotations['kubernetes.io/ingress.allow-http'] = 'false';
    const plan = planCertificates(
      props.name,
      props.routes.map((r) => r.host),
      tls,
    );
    const managed = props.internal ? [] : plan.managed;
    for (const cert of managed) new ManagedCertificate(this, cert.name, { ...metadata, name: cert.name }, cert.domains);
    if (managed.length) annotations['networking.gke.io/managed-certificates'] = managed.map((c) => c.name).join(',');
    if (plan.preShared.length) annotations['ingress.gcp.kubernetes.io/pre-shared-cert'] = plan.preShared.join(',');
    // ingress-gce attaches secret-based and pre-shared certificates together (pkg/loadbalancers/certificates.go).
    if (plan.secrets.length) spec.tls = plan.secrets.map((s) => ({ hosts: [...s.hosts], secretName: s.secretName }));
    const redirect = (tls.redirectHttps ?? true) && !props.internal;
    if (redirect || tls.sslPolicy) {
      new FrontendConfig(this, 'FrontendConfig', metadata, {
        redirectToHttps: redirect ? { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' } : undefined,
        sslPolicy: tls.sslPolicy,
      });
      annotations['networking.gke.io/v1beta1.FrontendConfig'] = props.name;
    }
    return annotations;
  }
}

/** One rule per host, in host order; paths within a host in path order (routes arrive sorted). */
function rulesOf(routes: readonly Route[]): IngressRule[] {
  const byHost = new Map<string, HttpIngressPath[]>();
  for (const r of routes) {
    const paths = byHost.get(r.host) ?? [];
    paths.push({ path: r.path, pathType: 'Prefix', backend: { service: { name: r.backend ?? r.service, port: { number: r.port } } } });
    byHost.set(r.host, paths);
  }
  return [...byHost].map(([host, paths]) => ({ host, http: { paths } }));
}
