/** Shared helpers for the deploy e2e suites (real local control plane from test/cluster). */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';
import { examplePlatformFile } from '../../src/cli/platform-file.js';
import { KubeClient } from '../../src/deploy/client.js';
import { type DeployContext, ResourceResolver } from '../../src/deploy/context.js';
import { type DeployOptions, deployEnvironment } from '../../src/deploy/deploy.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { MemoryReporter } from '../../src/deploy/report.js';
import type { ClusterState } from '../cluster/cluster.js';
import type { Json } from '../helpers.js';

export function clusterState(): ClusterState {
  const file = process.env.BERTH_E2E_STATE;
  if (!file) throw new Error('BERTH_E2E_STATE is not set: run through the e2e jest project');
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
}

export function adminClient(opts: ConstructorParameters<typeof KubeClient>[1] = {}): KubeClient {
  return new KubeClient(kubeConfigFromFile(clusterState().kubeconfig, undefined), opts);
}

export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export function context(client: KubeClient, reporter = new MemoryReporter(), signal?: AbortSignal): DeployContext & { reporter: MemoryReporter } {
  return { client, resources: new ResourceResolver(client), reporter, concurrency: 16, signal };
}

export const OPTIONS: DeployOptions = { tooling: 'berth/v0.1.0', wait: true, waitLb: false, timeoutMs: 120_000, prune: true };

/** The example platform's production environment, moved into `namespace`. */
export function examplePlatform(
  namespace: string,
  edit: (p: { environments: Record<string, unknown>; services: ServiceDeclaration[] }) => void = () => {},
): PlatformDeclaration {
  const p = structuredClone(loadPlatformFile(examplePlatformFile())) as unknown as {
    environments: Record<string, Record<string, unknown>>;
    services: ServiceDeclaration[];
  };
  p.environments = { production: { ...p.environments.production, namespace } };
  edit(p);
  return p;
}

export function render(p: PlatformDeclaration, env = 'production'): RenderedEnvironment {
  return renderPlatform(p, { environments: [env] })[0];
}

/** A small platform of `n` internal services (no Ingress) in `namespace`. */
export function smallPlatform(namespace: string, n: number, replicas = 1, image = (i: number) => `registry.example.com/svc-${i}:1.0.0`): PlatformDeclaration {
  const services = Array.from({ length: n }, (_, k) => ({
    name: `svc-${String(k + 1).padStart(3, '0')}`,
    image: image(k + 1),
    port: 8000,
    health: '/healthz',
    memory: '64Mi',
    cpu: '10m',
    replicas,
  }));
  return { environments: { e2e: { namespace } }, services };
}

export async function deploy(client: KubeClient, env: RenderedEnvironment, opts: Partial<DeployOptions> = {}) {
  const ctx = context(client);
  const result = await deployEnvironment(ctx, env, { ...OPTIONS, ...opts });
  return { ...result, reporter: ctx.reporter };
}

/** Every object carrying berth's ApplySet label in `namespace` (plus the Namespace), as `Kind/name@resourceVersion`. */
export async function snapshotVersions(client: KubeClient, namespace: string): Promise<Map<string, string>> {
  const paths = [
    '/api/v1/namespaces/NS/services',
    '/api/v1/namespaces/NS/serviceaccounts',
    '/apis/apps/v1/namespaces/NS/deployments',
    '/apis/policy/v1/namespaces/NS/poddisruptionbudgets',
    '/apis/autoscaling/v2/namespaces/NS/horizontalpodautoscalers',
    '/apis/networking.k8s.io/v1/namespaces/NS/ingresses',
    '/apis/cloud.google.com/v1/namespaces/NS/backendconfigs',
    '/apis/networking.gke.io/v1beta1/namespaces/NS/frontendconfigs',
    '/apis/networking.gke.io/v1/namespaces/NS/managedcertificates',
    '/api/v1/namespaces/NS/secrets',
    '/api/v1/namespaces/NS/configmaps',
  ];
  const out = new Map<string, string>();
  for (const p of paths) {
    const list = await client.request<{ kind: string; items: KubeObject[] }>({ method: 'GET', path: p.replace('NS', namespace) });
    for (const it of list.items)
      out.set(`${list.kind.replace(/List$/, '')}/${it.metadata.name}`, (it.metadata as { resourceVersion?: string }).resourceVersion ?? '');
  }
  const ns = await client.request<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${namespace}` });
  out.set(`Namespace/${namespace}`, (ns.metadata as { resourceVersion?: string }).resourceVersion ?? '');
  return out;
}

/** Plays GKE's ingress controller: LB address on /status, backend health annotation by another field manager. */
export async function playIngressController(
  client: KubeClient,
  namespace: string,
  name: string,
  health: 'HEALTHY' | 'UNHEALTHY' = 'HEALTHY',
  certificates: CertificateStatus = health === 'HEALTHY' ? 'Active' : 'Provisioning',
): Promise<void> {
  const base = `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/${name}`;
  await client.request({
    method: 'PATCH',
    path: `${base}/status`,
    query: { fieldManager: 'glbc' },
    contentType: 'application/merge-patch+json',
    body: { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } },
  });
  const ing = await client.request<KubeObject & { spec: { rules?: { http?: { paths?: { backend: { service: { name: string } } }[] } }[] } }>({
    method: 'GET',
    path: base,
  });
  const services = new Set(ing.spec.rules?.flatMap((r) => r.http?.paths?.map((p) => p.backend.service.name) ?? []) ?? []);
  const backends = Object.fromEntries([...services].map((s) => [`k8s1-0123abcd-${namespace}-${s}-8000-0123abcd`, health]));
  await client.request({
    method: 'PATCH',
    path: base,
    query: { fieldManager: 'glbc' },
    contentType: 'application/merge-patch+json',
    body: { metadata: { annotations: { 'ingress.kubernetes.io/backends': JSON.stringify(backends) } } },
  });
  await playCertificateController(client, namespace, certificates);
}

export type CertificateStatus = 'Active' | 'Provisioning' | 'ProvisioningFailedPermanently';

/**
 * Plays gke-managed-certs: writes `status.certificateStatus` (and each domain's status) on every ManagedCertificate
 * of the namespace, or those `only` selects (the CRD has no status subresource, so the object itself is patched).
 * Returns the names.
 */
export async function playCertificateController(
  client: KubeClient,
  namespace: string,
  status: CertificateStatus,
  only?: (name: string) => boolean,
): Promise<string[]> {
  const base = `/apis/networking.gke.io/v1/namespaces/${namespace}/managedcertificates`;
  const all = await client.request<{ items: (KubeObject & { spec: { domains: string[] } })[] }>({ method: 'GET', path: base });
  const list = { items: all.items.filter((c) => !only || only(c.metadata.name)) };
  for (const cert of list.items) {
    const domainStatus = cert.spec.domains.map((domain) => ({ domain, status: status === 'Active' ? 'Active' : 'Provisioning' }));
    await client.request({
      method: 'PATCH',
      path: `${base}/${cert.metadata.name}`,
      query: { fieldManager: 'managed-certificate-controller' },
      contentType: 'application/merge-patch+json',
      body: { status: { certificateStatus: status, certificateName: `mcrt-${cert.metadata.name.length}`, domainStatus } },
    });
  }
  return list.items.map((c) => c.metadata.name);
}

/** Runs `play` once the Ingress exists (polling), in the background. */
export function whenIngressExists(client: KubeClient, namespace: string, name: string, play: () => Promise<void>, delayMs = 0): Promise<void> {
  const path = `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/${name}`;
  return (async () => {
    for (let i = 0; i < 600; i++) {
      const found = await client.request({ method: 'GET', path }).then(
        () => true,
        () => false,
      );
      if (found) {
        await new Promise((r) => setTimeout(r, delayMs));
        return play();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
}

export async function deleteNamespace(client: KubeClient, namespace: string): Promise<void> {
  await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
}

/** `env` with a copy of one object (by kind and name) changed by `change`: a way to make the set fail on purpose. */
export function editObject(env: RenderedEnvironment, kind: string, name: string, change: (o: Json) => void): RenderedEnvironment {
  const objects = env.objects.map((o) => {
    if (o.kind !== kind || o.metadata.name !== name) return o;
    const copy = structuredClone(o) as Json;
    change(copy);
    return copy as KubeObject;
  });
  return { ...env, objects };
}

/** Whether GET `path` answers (any error: no). */
export function existsAt(client: KubeClient, path: string): Promise<boolean> {
  return client.request({ method: 'GET', path }).then(
    () => true,
    () => false,
  );
}
