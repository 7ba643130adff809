/**
 * Certificates on the real local control plane (ManagedCertificate CRD installed; gke-managed-certs played by the
 * test): `deploy` waits until every ManagedCertificate is Active, fails fast on a permanent provisioning failure, and
 * `--no-wait-lb` (waitLb: false) skips the wait. Per-host sources reach the API server as berth renders them.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { RolloutError } from '../../src/deploy/wait.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { pruneEnvironment } from '../../src/deploy/status.js';
import type { KubeObject } from '../../src/render/types.js';
import {
  OPTIONS,
  adminClient,
  context,
  deleteNamespace,
  deploy,
  playCertificateController,
  playIngressController,
  render,
  smallPlatform,
  uniqueNamespace,
  whenIngressExists,
} from '../deploy/e2e-helpers.js';

const client = adminClient();
const tester = adminClient();
// one environment, redeployed by each test (berth's PriorityClasses belong to the first environment that created them)
const ns = uniqueNamespace('e2e-certs');
// the attach-before-drop handover runs in its own environment
const handoverNs = uniqueNamespace('e2e-handover');
const CERT = `/apis/networking.gke.io/v1/namespaces/${ns}/managedcertificates/e2e-cert-shop.example.com`;

afterAll(async () => {
  await deleteNamespace(tester, ns);
  await deleteNamespace(tester, handoverNs);
  client.close();
  tester.close();
});

/** Two public services: a managed host, a wildcard host on a pre-shared certificate and a host on a TLS Secret. */
function platform(): { decl: PlatformDeclaration } {
  const p = smallPlatform(ns, 2) as unknown as { environments: Record<string, Record<string, unknown>>; services: Record<string, unknown>[] };
  p.services[0].host = 'shop.example.com';
  p.services[0].hosts = ['api.example.com'];
  p.services[1].host = '*.app.example.com';
  p.environments.e2e.tls = { certificates: { '*.app.example.com': { preShared: 'wildcard-app' }, 'api.example.com': { secret: 'api-tls' } } };
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
    const ing = await tester.request<KubeObject & { spec: { tls?: unknown } }>({
      method: 'GET',
      path: `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/e2e`,
    });
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
    expect((err as RolloutError).message).toMatch(
      /managedcertificate\/e2e-cert-shop\.example\.com: certificate ProvisioningFailedPermanently \(shop\.example\.com Provisioning\)/,
    );
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

const MCS = `/apis/networking.gke.io/v1/namespaces/${handoverNs}/managedcertificates`;
const INGRESS = `/apis/networking.k8s.io/v1/namespaces/${handoverNs}/ingresses/e2e`;
const hostsOf = (n: number) => Array.from({ length: n }, (_, i) => `h${String(i).padStart(2, '0')}.example.com`);

/** One public service routing `n` hosts, each with a Google-managed certificate (per host ≤ 15, buckets beyond). */
function manyHosts(n: number): PlatformDeclaration {
  const p = smallPlatform(handoverNs, 1) as unknown as { environments: Record<string, Record<string, unknown>>; services: Record<string, unknown>[] };
  p.services[0].host = hostsOf(n)[0];
  p.services[0].hosts = hostsOf(n).slice(1);
  p.environments.e2e.tls = {};
  return p as unknown as PlatformDeclaration;
}

type Cert = KubeObject & { status?: { certificateStatus?: string } };
interface Seen {
  attached: string[];
  objects: string[];
  activeBuckets: string[];
}

async function observe(): Promise<Seen> {
  const ing = await tester.request<KubeObject>({ method: 'GET', path: INGRESS });
  const certs = (await tester.request<{ items: Cert[] }>({ method: 'GET', path: MCS })).items;
  return {
    attached: (ing.metadata.annotations?.['networking.gke.io/managed-certificates'] ?? '').split(',').filter(Boolean),
    objects: certs.map((c) => c.metadata.name).sort(),
    activeBuckets: certs.filter((c) => c.metadata.name.startsWith('e2e-certs-') && c.status?.certificateStatus === 'Active').map((c) => c.metadata.name),
  };
}

/**
 * Plays gke-managed-certs for certificates the Ingress names (an unattached certificate never provisions): every
 * ~second, records what the API server holds, then marks the attached certificates Active, until `done` settles.
 */
async function provisionAttached(done: Promise<unknown>): Promise<Seen[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const seen: Seen[] = [];
  while (!finished) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await observe();
    seen.push(now);
    await playCertificateController(tester, handoverNs, 'Active', (name) => now.attached.includes(name));
  }
  return seen;
}

describe('deploy attaches new certificates before it drops old ones', () => {
  it('15 → 16 hosts: old per-host certificates stay attached and exist until the bucket certificates are Active', async () => {
    // GIVEN 15 hosts deployed, each with its own Active ManagedCertificate, and a healthy load balancer
    await deploy(client, render(manyHosts(15), 'e2e'), { waitLb: false });
    await playIngressController(tester, handoverNs, 'e2e', 'HEALTHY', 'Active');
    const before = await observe();
    expect(before.attached).toHaveLength(15);
    expect(before.attached.every((n) => n.startsWith('e2e-cert-h'))).toBe(true);
    // WHEN a 16th host is deployed (the certificates become hash buckets) with the load-balancer wait on
    const run = deploy(client, render(manyHosts(16), 'e2e'), { waitLb: true });
    const seen = await provisionAttached(run);
    const r = await run;
    // THEN during the handover the Ingress named old and new certificates together, never more than 15
    const during = seen.filter((s) => s.attached.some((n) => n.startsWith('e2e-cert-h')) && s.attached.some((n) => n.startsWith('e2e-certs-')));
    expect(during.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.attached.length).toBeLessThanOrEqual(15);
    // AND an old certificate object existed as long as the Ingress named it (never pruned while attached)
    for (const s of seen) expect(s.attached.filter((n) => !s.objects.includes(n))).toEqual([]);
    // AND at the end the Ingress names only the bucket certificates, the only ManagedCertificates left
    const after = await observe();
    expect(after.attached.length).toBeGreaterThan(0);
    expect(after.attached.every((n) => n.startsWith('e2e-certs-'))).toBe(true);
    expect(after.objects).toEqual([...after.attached].sort());
    expect(r.pruned.filter((p) => p.toLowerCase().includes('managedcertificate'))).toHaveLength(15);
    // AND one host (of 15 slots all in use) was named as going without a certificate during the first step
    expect(r.reporter.events.some((e) => e.type === 'warning' && /go without a valid certificate/.test(String(e.message)))).toBe(true);
  });

  it('--no-wait-lb leaves the step in place with one line; later deploys finish the handover (16 → 15 hosts)', async () => {
    // GIVEN the 16 bucketed hosts above, all Active
    await playCertificateController(tester, handoverNs, 'Active');
    const decl = manyHosts(15);
    // WHEN deploy runs with --no-wait-lb
    const first = await deploy(client, render(decl, 'e2e'), { waitLb: false });
    // THEN it says, in one line, that the old certificates stay attached until a later deploy finds the new ones Active
    const lines = first.reporter.events.filter(
      (e) => e.type === 'warning' && /^certificate handover: .* stay attached to the Ingress until a later deploy finds .* Active/.test(String(e.message)),
    );
    expect(lines).toHaveLength(1);
    // AND the Ingress names bucket and per-host certificates, and no bucket still named was pruned
    const mid = await observe();
    expect(mid.attached.some((n) => n.startsWith('e2e-certs-')) && mid.attached.some((n) => n.startsWith('e2e-cert-h'))).toBe(true);
    expect(mid.attached.filter((n) => !mid.objects.includes(n))).toEqual([]);
    // AND `berth prune` meanwhile deletes no ManagedCertificate the Ingress names
    await pruneEnvironment(context(client), render(decl, 'e2e'), OPTIONS.tooling, false);
    const named = await observe();
    expect(mid.attached.filter((n) => !named.objects.includes(n))).toEqual([]);
    // WHEN the attached certificates become Active and deploy runs again, until the handover is done
    let last = first;
    for (let i = 0; i < 10 && (await observe()).attached.some((n) => n.startsWith('e2e-certs-')); i++) {
      const now = await observe();
      await playCertificateController(tester, handoverNs, 'Active', (name) => now.attached.includes(name));
      last = await deploy(client, render(decl, 'e2e'), { waitLb: false });
    }
    // THEN the Ingress names the 15 per-host certificates only, and they are the only ManagedCertificates left
    const end = await observe();
    expect(end.attached).toHaveLength(15);
    expect(end.attached.every((n) => n.startsWith('e2e-cert-h'))).toBe(true);
    expect(end.objects).toEqual([...end.attached].sort());
    expect(last.reporter.events.some((e) => e.type === 'warning' && /stay attached/.test(String(e.message)))).toBe(false);
  });

  it('a timeout leaves the old certificates attached, says so, and prunes nothing (exit 5)', async () => {
    // GIVEN the 15 per-host certificates above, all Active
    await playCertificateController(tester, handoverNs, 'Active');
    const before = await observe();
    // WHEN 16 hosts are deployed with the load-balancer wait and the new certificates never become Active
    const ctx = context(client);
    const err = await deployEnvironment(ctx, render(manyHosts(16), 'e2e'), { ...OPTIONS, waitLb: true, timeoutMs: 3000 }).catch((e: unknown) => e);
    // THEN the wait times out naming the certificates not Active
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as RolloutError).timedOut).toBe(true);
    expect((err as RolloutError).message).toMatch(/managedcertificate\/e2e-certs-\d: certificate status not reported yet/);
    // AND one line says the old certificates stay attached until a later deploy finds the new ones Active
    expect(ctx.reporter.events.filter((e) => e.type === 'warning' && /stay attached to the Ingress until a later deploy/.test(String(e.message)))).toHaveLength(
      1,
    );
    // AND the Ingress still names 14 of the old certificates, and every old ManagedCertificate still exists
    const now = await observe();
    expect(now.attached.filter((n) => n.startsWith('e2e-cert-h'))).toHaveLength(14);
    expect(before.objects.every((n) => now.objects.includes(n))).toBe(true);
  });
});
