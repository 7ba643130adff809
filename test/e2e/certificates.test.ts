/**
 * Certificates on the real local control plane (ManagedCertificate CRD installed; gke-managed-certs played by the
 * test): `deploy` waits until every ManagedCertificate is Active, fails fast on a permanent provisioning failure, and
 * `--no-wait-lb` (waitLb: false) skips the wait. Per-host sources reach the API server as berth renders them.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { RolloutError } from '../../src/deploy/wait.js';
import type { KubeObject } from '../../src/render/types.js';
import {
  adminClient, deleteNamespace, deploy, playCertificateController, playIngressController, render, smallPlatform, uniqueNamespace, whenIngressExists,
} from '../deploy/e2e-helpers.js';

const client = adminClient();
const tester = adminClient();
// one environment, redeployed by each test (berth's PriorityClasses belong to the first environment that created them)
const ns = uniqueNamespace('e2e-certs');
const CERT = `/apis/networking.gke.io/v1/namespaces/${ns}/managedcertificates/e2e-cert-shop.example.com`;

afterAll(async () => {
  await deleteNamespace(tester, ns);
  client.close();
  tester.close();
});

/** Two public services: a managed host, a wildcard host on a pre-shared certificate and a host on a TLS Secret. */
function platform(): { decl: PlatformDeclaration } {
  const p = smallPlatform(ns, 2) as unknown as { environments: Record<string, Record<string, unknown>>; services: Record<string, unknown>[] };
  p.services[0]!.host = 'shop.example.com';
  p.services[0]!.hosts = ['api.example.com'];
  p.services[1]!.host = '*.app.example.com';
  p.environments.e2e!.tls = { certificates: { '*.app.example.com': { preShared: 'wildcard-app' }, 'api.example.com': { secret: 'api-tls' } } };
  return { decl: p as unknown as PlatformDeclaration };
}

describe('deploy waits for ManagedCertificates', () => {
  it('stays in the wait while a certificate is Provisioning and finishes once it is Active', async () => {
    // GIVEN a rendered environment with one managed host, one pre-shared wildcard and one TLS Secret host
    const { decl } = platform();
    const env = render(decl, 'e2e');
    let activeAt = 0;
    const played = whenIngressExists(tester, ns, 'e2e', async () => {
      await playIngressController(tester, ns, 'e2e', 'HEALTHY', 'Provisioning');
      await new Promise((r) => setTimeout(r, 2500));
      activeAt = Date.now();
      await playCertificateController(tester, ns, 'Active');
    });
    // WHEN deploy runs with the load-balancer wait on
    const r = await deploy(client, env, { waitLb: true });
    await played;
    // THEN it returned only after the stand-in marked the certificate Active
    expect(activeAt).toBeGreaterThan(0);
    expect(Date.now()).toBeGreaterThanOrEqual(activeAt);
    const certRows = r.rows.filter((x) => x.object.startsWith('managedcertificate/'));
    expect(certRows).toEqual([{ object: 'managedcertificate/e2e-cert-shop.example.com', ready: true, message: 'certificate Active' }]);
    // AND the Ingress the API server holds names every source
    const ing = await tester.request<KubeObject & { spec: { tls?: unknown } }>({ method: 'GET', path: `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/e2e` });
    expect(ing.metadata.annotations?.['networking.gke.io/managed-certificates']).toBe('e2e-cert-shop.example.com');
    expect(ing.metadata.annotations?.['ingress.gcp.kubernetes.io/pre-shared-cert']).toBe('wildcard-app');
    expect(ing.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-tls' }]);
  });

  it('fails fast when a certificate fails permanently', async () => {
    // GIVEN the stand-in reports ProvisioningFailedPermanently for the deployed certificate
    const { decl } = platform();
    await playCertificateController(tester, ns, 'ProvisioningFailedPermanently');
    // WHEN deploy waits for the load balancer
    const err = await deploy(client, render(decl, 'e2e'), { waitLb: true }).catch((e: unknown) => e);
    // THEN it stops with a RolloutError naming the certificate, before the timeout
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as RolloutError).timedOut).toBe(false);
    expect((err as RolloutError).message).toMatch(/managedcertificate\/e2e-cert-shop\.example\.com: certificate ProvisioningFailedPermanently \(shop\.example\.com Provisioning\)/);
  });

  it('--no-wait-lb skips the certificate wait', async () => {
    // GIVEN the certificate is Provisioning (and stays so)
    const { decl } = platform();
    await playCertificateController(tester, ns, 'Provisioning');
    // WHEN deploy runs with waitLb off
    const r = await deploy(client, render(decl, 'e2e'), { waitLb: false });
    // THEN it finishes with workload rows only, and the certificate is still Provisioning
    expect(r.rows.some((x) => x.object.startsWith('managedcertificate/'))).toBe(false);
    expect(r.rows.length).toBe(2);
    const cert = await tester.request<KubeObject & { status?: { certificateStatus?: string } }>({ method: 'GET', path: CERT });
    expect(cert.status?.certificateStatus).toBe('Provisioning');
  });
});
