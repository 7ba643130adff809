/**
 * Deploy lifecycle on the real local control plane: fresh deploy of the example platform (rollouts by the real
 * deployment controller + kwok, the GKE ingress controller played by the test), no-op redeploy with zero writes,
 * drift restored, a removed service pruned while a foreign ConfigMap survives, diff.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { applySetId, parentFor } from '../../src/deploy/applyset.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import type { KubeObject } from '../../src/render/types.js';
import {
  OPTIONS,
  adminClient,
  context,
  deleteNamespace,
  deploy,
  examplePlatform,
  playIngressController,
  render,
  snapshotVersions,
  uniqueNamespace,
  whenIngressExists,
} from '../deploy/e2e-helpers.js';

const ns = uniqueNamespace('e2e-life');
const client = adminClient();
const tester = adminClient();

afterAll(async () => {
  await deleteNamespace(tester, ns);
  client.close();
  tester.close();
});

describe('deploy lifecycle (example platform)', () => {
  it('fresh deploy: every Deployment rolls out and the load balancer reports every backend HEALTHY', async () => {
    const env = render(examplePlatform(ns));
    const lb = whenIngressExists(
      tester,
      ns,
      'production',
      async () => {
        await playIngressController(tester, ns, 'production', 'UNHEALTHY');
        await new Promise((r) => setTimeout(r, 1500));
        await playIngressController(tester, ns, 'production', 'HEALTHY');
      },
      1000,
    );
    const r = await deploy(client, env, { waitLb: true });
    await lb;
    // berth's PriorityClasses are shared by every environment on the cluster: another one may have created them already
    const own = r.planned.filter((p) => p.desired.kind !== 'PriorityClass');
    expect(own.every((p) => p.action === 'create')).toBe(true);
    expect(r.applied.length).toBeGreaterThanOrEqual(own.length);
    expect(
      r.rows
        .filter((x) => !x.object.includes('/'))
        .map((x) => x.object)
        .sort(),
    ).toEqual(['api', 'auth', 'billing', 'mailer', 'pricing', 'web']);
    expect(r.rows.filter((x) => x.object.startsWith('managedcertificate/')).map((x) => x.message)).toEqual(Array(4).fill('certificate Active'));
    expect(r.rows.every((x) => x.ready)).toBe(true);
    expect(r.rows.find((x) => x.object === 'ingress/production')!.message).toMatch(/203\.0\.113\.10, \d+\/\d+ backends HEALTHY/);
    // progress showed the unhealthy backend state at some point or went straight to healthy; the parent exists
    const parent = await tester.request<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${ns}/secrets/berth-production` });
    expect(parent.metadata.labels?.['applyset.kubernetes.io/id']).toBe(applySetId(parentFor('production', ns)));
    expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe(
      'BackendConfig.cloud.google.com,Deployment.apps,FrontendConfig.networking.gke.io,HorizontalPodAutoscaler.autoscaling,' +
        'Ingress.networking.k8s.io,ManagedCertificate.networking.gke.io,Namespace,NetworkPolicy.networking.k8s.io,' +
        'PodDisruptionBudget.policy,Service,ServiceAccount',
    );
  });

  it('no-op redeploy sends no writes, changes no resourceVersion and needs only a few requests', async () => {
    const env = render(examplePlatform(ns));
    const before = await snapshotVersions(tester, ns);
    const fresh = adminClient();
    try {
      const r = await deploy(fresh, env, { waitLb: true });
      expect(r.planned.every((p) => p.action === 'unchanged')).toBe(true);
      expect(fresh.counters.writes).toBe(0);
      expect(fresh.counters.dryRuns).toBe(0);
      expect(fresh.counters.requests).toBeLessThanOrEqual(15);
      expect(fresh.counters.requests).toBeLessThan(env.objects.length / 2);
    } finally {
      fresh.close();
    }
    expect(await snapshotVersions(tester, ns)).toEqual(before);
  });

  it('drift: a live object changed by hand is detected and, with --force-conflicts, restored (only that object is written)', async () => {
    await tester.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      query: { fieldManager: 'kubectl-edit' },
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 7 } },
    });
    await tester.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${ns}/services/billing`,
      query: { fieldManager: 'kubectl-edit' },
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { 'app.kubernetes.io/name': 'hacked' } } },
    });
    const env = render(examplePlatform(ns));
    const fresh = adminClient();
    try {
      // the hand edits moved field ownership to "kubectl-edit": taking it back is a forced apply (hardening-ownership covers the refusal)
      const r = await deploy(fresh, env, { waitLb: true, forceConflicts: true });
      const changed = r.planned
        .filter((p) => p.action !== 'unchanged')
        .map((p) => `${p.desired.kind}/${p.desired.metadata.name}`)
        .sort();
      expect(changed).toEqual(['Deployment/web', 'Service/billing']);
      expect(fresh.counters.writes).toBe(2);
      expect(r.planned.find((p) => p.desired.metadata.name === 'web' && p.desired.kind === 'Deployment')!.changes).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'spec.replicas', before: 7, after: 3 })]),
      );
    } finally {
      fresh.close();
    }
    const web = await tester.request<{ spec: { replicas: number } }>({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/deployments/web` });
    expect(web.spec.replicas).toBe(3);
  });

  it('diff shows field-level changes from a server-side dry run and writes nothing', async () => {
    const env = render(
      examplePlatform(ns, (p) => {
        p.services = p.services.map((s) => (s.name === 'api' ? { ...s, image: 'registry.example.com/acme/api:1.4.3' } : s));
      }),
    );
    const ctx = context(adminClient());
    const r = await deployEnvironment(ctx, env, { ...OPTIONS, dryRun: true });
    const api = r.planned.find((p) => p.desired.kind === 'Deployment' && p.desired.metadata.name === 'api')!;
    expect(api.action).toBe('update');
    expect(api.changes).toEqual(
      expect.arrayContaining([
        { path: 'spec.template.spec.containers[0].image', before: 'registry.example.com/acme/api:1.4.2', after: 'registry.example.com/acme/api:1.4.3' },
      ]),
    );
    expect(r.planned.filter((p) => p.action !== 'unchanged')).toHaveLength(1);
    expect(ctx.client.counters.writes).toBe(0);
    ctx.client.close();
  });

  it('prune: a removed service is deleted, a foreign ConfigMap in the same namespace survives', async () => {
    await tester.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/configmaps`,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-berths', labels: { 'app.kubernetes.io/name': 'mailer' } }, data: { a: 'b' } },
    });
    const env = render(
      examplePlatform(ns, (p) => {
        p.services = p.services.filter((s) => s.name !== 'mailer');
      }),
    );
    const r = await deploy(client, env, { waitLb: true });
    expect([...r.pruned].sort()).toEqual([`Deployment ${ns}/mailer`, `PodDisruptionBudget ${ns}/mailer`, `ServiceAccount ${ns}/mailer`].sort());
    const gone = await tester.request({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/deployments/mailer` }).then(
      () => false,
      () => true,
    );
    expect(gone).toBe(true);
    const cm = await tester.request<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/not-berths` });
    expect(cm.metadata.name).toBe('not-berths');
  });
});
