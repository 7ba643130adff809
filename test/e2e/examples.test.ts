/**
 * The example platforms of charts/examples/ on the real local control plane, as a user deploys them: every
 * Deployment and StatefulSet available, the migration Job complete before any ReplicaSet of the release
 * existed, the CronJob present, Pod Security "restricted" admitting every pod with zero warnings (a server-side
 * dry run of the rendering reports none), and a no-op redeploy writing nothing.
 */
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from '@jest/globals';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { KubeApiError } from '../../src/deploy/client.js';
import type { KubeObject } from '../../src/render/types.js';
import { toYamlStream } from '../../src/render/yaml.js';
import { adminClient, clusterState, deleteNamespace, deploy, render, uniqueNamespace } from '../deploy/e2e-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tester = adminClient();
const namespaces: string[] = [];
const volumes: string[] = [];

afterAll(async () => {
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  for (const pv of volumes) await tester.request({ method: 'DELETE', path: `/api/v1/persistentvolumes/${pv}` }).catch(() => undefined);
  tester.close();
});

/** The example's production environment, moved into a fresh namespace. */
function example(file: string): { platform: PlatformDeclaration; ns: string } {
  const ns = uniqueNamespace('e2e-ex');
  namespaces.push(ns);
  const p = structuredClone(loadPlatformFile(`charts/examples/${file}`)) as unknown as { environments: Record<string, Json> };
  p.environments = { production: { ...p.environments.production, namespace: ns } };
  return { platform: p as unknown as PlatformDeclaration, ns };
}

const list = async (path: string): Promise<Json[]> => (await tester.request<{ items: Json[] }>({ method: 'GET', path })).items;

async function ensure(path: string, body: Json): Promise<void> {
  try {
    await tester.request({ method: 'POST', path, body: body });
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 409)) throw err;
  }
}

/** The local control plane has no disk provisioner: one pre-bound volume per claim the StatefulSets will make. */
async function volumesFor(objects: readonly KubeObject[], ns: string): Promise<void> {
  await ensure('/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard-rwo' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'Immediate',
  });
  for (const sts of objects.filter((o) => o.kind === 'StatefulSet') as Json[]) {
    for (let i = 0; i < (sts.spec.replicas ?? 1); i++) {
      for (const t of sts.spec.volumeClaimTemplates as Json[]) {
        const claim = `${t.metadata.name}-${sts.metadata.name}-${i}`;
        const name = `${ns}-${claim}`;
        volumes.push(name);
        await ensure('/api/v1/persistentvolumes', {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name },
          spec: {
            capacity: t.spec.resources.requests,
            accessModes: t.spec.accessModes,
            storageClassName: t.spec.storageClassName,
            hostPath: { path: `/tmp/${name}` },
            claimRef: { namespace: ns, name: claim },
          },
        });
      }
    }
  }
}

/** `kubectl apply --server-side --dry-run=server` of the rendering with the cluster's own kubectl: its warnings. */
function dryRunWarnings(objects: readonly KubeObject[]): Promise<string[]> {
  const state = clusterState();
  return new Promise((resolve, reject) => {
    const child = execFile(
      state.kubectl,
      ['--kubeconfig', state.kubeconfig, 'apply', '--server-side', '--dry-run=server', '--field-manager=berth-e2e', '--force-conflicts', '-f', '-'],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) return reject(new Error(`kubectl dry run failed: ${stderr}`));
        resolve(stderr.split('\n').filter((l) => /warning/i.test(l)));
      },
    );
    child.stdin!.end(toYamlStream(objects));
  });
}

async function expectAllAvailable(ns: string, env: { objects: readonly KubeObject[] }): Promise<void> {
  const deployments = await list(`/apis/apps/v1/namespaces/${ns}/deployments`);
  const statefulSets = await list(`/apis/apps/v1/namespaces/${ns}/statefulsets`);
  expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
    env.objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) => o.metadata.name)
      .sort(),
  );
  for (const d of deployments) {
    expect([d.metadata.name, d.status.conditions?.find((c: Json) => c.type === 'Available')?.status]).toEqual([d.metadata.name, 'True']);
  }
  for (const s of statefulSets) expect([s.metadata.name, s.status.readyReplicas]).toEqual([s.metadata.name, s.spec.replicas]);
  const pods = await list(`/api/v1/namespaces/${ns}/pods`);
  expect(pods.length).toBeGreaterThan(0);
}

async function expectNoOpRedeploy(env: ReturnType<typeof render>): Promise<void> {
  const c = adminClient();
  const again = await deploy(c, env);
  expect(again.applied).toEqual([]);
  expect(c.counters.writes).toBe(0);
  c.close();
}

describe('example platforms on the control plane', () => {
  it('the gRPC shop: 13 services (gRPC probes, a TCP Redis StatefulSet) become available, admitted with no warnings', async () => {
    // GIVEN the gRPC microservices shop's production environment
    const { platform, ns } = example('grpc-shop.yaml');
    const env = render(platform);
    await volumesFor(env.objects, ns);
    // WHEN deployed
    await deploy(tester, env);
    // THEN every workload is available, Pod Security has nothing to say, and a redeploy writes nothing
    await expectAllAvailable(ns, env);
    expect((await list(`/apis/apps/v1/namespaces/${ns}/statefulsets`)).map((s) => s.metadata.name)).toEqual(['redis-cart']);
    expect(await dryRunWarnings(env.objects)).toEqual([]);
    await expectNoOpRedeploy(env);
    // AND the warning check can fail: the same dry run of a copy of frontend without its container security context
    // warns (a new name: applying the live object with fields left out would keep the fields berth's manager owns)
    const loose = JSON.parse(JSON.stringify(env.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'frontend'))) as Json;
    loose.metadata.name = 'frontend-loose';
    delete loose.spec.template.spec.containers[0].securityContext;
    expect((await dryRunWarnings([loose as KubeObject])).join('\n')).toMatch(/would violate PodSecurity "restricted:latest"/);
  }, 300_000);

  it('the Python company: the migration completes before any ReplicaSet exists; the CronJob is present; no warnings', async () => {
    // GIVEN the Django platform with a migration (before deploy), a nightly CronJob and Cloud SQL proxies
    const { platform, ns } = example('python-company.yaml');
    const env = render(platform);
    // WHEN deployed
    await deploy(tester, env);
    // THEN the migration Job completed no later than the first ReplicaSet of any Deployment was created
    const [migration] = await list(`/apis/batch/v1/namespaces/${ns}/jobs`);
    expect(migration.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    const completed = Date.parse(migration.status.completionTime);
    const replicaSets = await list(`/apis/apps/v1/namespaces/${ns}/replicasets`);
    expect(replicaSets.length).toBeGreaterThanOrEqual(4);
    for (const rs of replicaSets) expect(completed).toBeLessThanOrEqual(Date.parse(rs.metadata.creationTimestamp));
    // AND the CronJob is there, every workload is available, admission warns about nothing, a redeploy writes nothing
    const cron = await tester.request<Json>({ method: 'GET', path: `/apis/batch/v1/namespaces/${ns}/cronjobs/nightly-report` });
    expect(cron.spec).toMatchObject({ schedule: '30 2 * * *', timeZone: 'Europe/London', concurrencyPolicy: 'Forbid' });
    await expectAllAvailable(ns, env);
    expect(await dryRunWarnings(env.objects)).toEqual([]);
    await expectNoOpRedeploy(env);
    // AND the API server accepted its NetworkPolicies; with networkPolicy: false a redeploy prunes every one of them
    const policies = async (): Promise<string[]> =>
      (await list(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`)).map((p) => p.metadata.name).sort();
    expect(await policies()).toEqual(
      env.objects
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name)
        .sort(),
    );
    expect(await policies()).toEqual(expect.arrayContaining(['allow-api', 'allow-egress', 'allow-web', 'default-deny']));
    const off = structuredClone(platform) as unknown as { environments: Record<string, Json> };
    off.environments.production = { ...off.environments.production, networkPolicy: false };
    await deploy(tester, render(off as unknown as PlatformDeclaration));
    expect(await policies()).toEqual([]);
  }, 300_000);

  it('charts/platform.yaml: every environment, NetworkPolicies included, admitted with no warnings', async () => {
    // GIVEN the example platform's three environments, each moved into a fresh namespace that exists (restricted)
    const p = structuredClone(loadPlatformFile('charts/platform.yaml')) as unknown as { environments: Record<string, Json> };
    for (const [name, decl] of Object.entries(p.environments)) {
      const ns = uniqueNamespace(`e2e-pf-${name.slice(0, 4)}`);
      namespaces.push(ns);
      decl.namespace = ns;
    }
    const platform = p as unknown as PlatformDeclaration;
    for (const name of Object.keys(p.environments)) {
      const env = render(platform, name);
      await ensure('/api/v1/namespaces', env.objects.find((o) => o.kind === 'Namespace') as Json);
      // WHEN the rendering is applied as a server-side dry run
      const warnings = await dryRunWarnings(env.objects);
      // THEN Pod Security (restricted) and the API server warn about nothing — except, on creating an Ingress, the
      // deprecation of kubernetes.io/ingress.class, which GKE requires (spec.ingressClassName makes GKE ignore the Ingress)
      const gkeIngressClass = /annotation "kubernetes\.io\/ingress\.class" is deprecated/;
      expect([name, warnings.filter((w) => !gkeIngressClass.test(w))]).toEqual([name, []]);
      // AND the NetworkPolicies are part of what the API server accepted
      expect(env.objects.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThanOrEqual(3);
    }
  }, 300_000);
});
