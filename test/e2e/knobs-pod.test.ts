/**
 * Production knobs of the pod on the real local control plane (kwok plays the kubelet): a disruption budget on
 * an autoscaled service stops an eviction through the Eviction API; an init step and a preStop command are
 * admitted under Pod Security "restricted"; a private-registry service's ServiceAccount carries its pull secret,
 * which the ServiceAccount admission plugin copies into every pod.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { KubeApiError } from '../../src/deploy/client.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import type { KubeObject } from '../../src/render/types.js';
import { adminClient, deleteNamespace, deploy, render, uniqueNamespace } from '../deploy/e2e-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ns = uniqueNamespace('e2e-knobs-pod');
const client = adminClient();

afterAll(async () => {
  await deleteNamespace(client, ns);
  client.close();
});

const BASE = { image: 'registry.example.com/web:3.2.0', port: 8000, health: '/healthz', memory: '64Mi', cpu: '10m' };
const platform = {
  environments: { production: { namespace: ns, imagePullSecrets: ['ghcr-pull'] } },
  services: [
    // Autoscaled from one pod: the budget exists although min is 1.
    { name: 'api', ...BASE, autoscaling: { min: 1, max: 5 } },
    // Sidekiq-like: an init step and a preStop command before the drain sleep.
    {
      name: 'worker',
      ...BASE,
      replicas: 1,
      drainSeconds: 60,
      drainSleepSeconds: 5,
      init: [{ name: 'wait-for-db', image: 'registry.example.com/wait:1.0.0', command: ['/wait', 'db:5432'], memory: '32Mi' }],
      preStop: ['bundle', 'exec', 'sidekiqctl', 'quiet'],
    },
    // A private registry with its own secret (replacing the environment default).
    { name: 'private', ...BASE, image: 'ghcr.io/acme/private:1.0.0', replicas: 1, imagePullSecrets: ['quay-pull', 'ghcr-pull'] },
  ],
} as unknown as PlatformDeclaration;

const get = <T = Json>(path: string) => client.request<T>({ method: 'GET', path });
const podsOf = async (app: string): Promise<Json[]> =>
  (
    await client.request<{ items: Json[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: `app.kubernetes.io/name=${app}` } })
  ).items.filter((p) => !p.metadata.deletionTimestamp);
const ready = (pod: Json) => (pod.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function evict(pod: string): Promise<unknown> {
  return client
    .request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/pods/${pod}/eviction`,
      maxAttempts: 1,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns } },
    })
    .then(
      () => 'evicted',
      (e: unknown) => e,
    );
}

describe('production knobs of the pod on a restricted namespace', () => {
  it('deploys: every Deployment becomes Available', async () => {
    // GIVEN the three services WHEN the environment is deployed (kwok pulls no image: the Secrets' content is not needed here)
    const r = await deploy(client, render(platform));
    // THEN every service is ready
    for (const name of ['api', 'worker', 'private']) expect(r.rows.find((x) => x.object === name)?.ready).toBe(true);
  });

  it("a private-registry service's ServiceAccount carries its pull secrets, and its pods get them", async () => {
    // THEN the service's own list replaced the environment default; the other services got the default
    expect((await get(`/api/v1/namespaces/${ns}/serviceaccounts/private`)).imagePullSecrets).toEqual([{ name: 'quay-pull' }, { name: 'ghcr-pull' }]);
    expect((await get(`/api/v1/namespaces/${ns}/serviceaccounts/api`)).imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    // AND the ServiceAccount admission plugin copied them into the running pod (the manifest's pod has none)
    const [pod] = await podsOf('private');
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'quay-pull' }, { name: 'ghcr-pull' }]);
  });

  it('the init step and the preStop command are admitted under restricted Pod Security', async () => {
    // GIVEN the worker's running pod THEN it has the init step (run to completion) and the exec preStop hook
    const [pod] = await podsOf('worker');
    expect(pod.spec.initContainers.map((c: Json) => [c.name, c.restartPolicy])).toEqual([['wait-for-db', undefined]]);
    expect(pod.spec.containers[0].lifecycle.preStop.exec.command).toEqual([
      '/bin/sh',
      '-c',
      '"$@"; exec sleep 5',
      'pre-stop',
      'bundle',
      'exec',
      'sidekiqctl',
      'quiet',
    ]);
    expect(pod.spec.terminationGracePeriodSeconds).toBe(90);
    // AND the namespace does enforce: the same pod with the init step's security context removed is refused
    const deployment = render(platform).objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'worker') as KubeObject & Json;
    const loosened = structuredClone(deployment.spec.template.spec);
    delete loosened.initContainers[0].securityContext;
    const refusal = await client
      .request({
        method: 'POST',
        path: `/api/v1/namespaces/${ns}/pods`,
        query: { dryRun: 'All' },
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'check' }, spec: loosened },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((refusal as KubeApiError).status).toBe(403);
    expect((refusal as KubeApiError).message).toMatch(/violates PodSecurity "restricted:latest".*wait-for-db/);
  });

  it('a redeploy writes nothing: percentages, exec hooks, init steps and pull secrets match what berth renders', async () => {
    const fresh = adminClient();
    try {
      const r = await deploy(fresh, render(platform));
      expect(r.planned.filter((p) => p.action !== 'unchanged')).toEqual([]);
      expect(fresh.counters.writes).toBe(0);
    } finally {
      fresh.close();
    }
  });

  it('the budget of an autoscaled service (min 1) blocks an eviction that would take it below its budget', async () => {
    // GIVEN the autoscaled api running two pods (as if the HPA had scaled it up) and its PDB of maxUnavailable 1
    expect((await get(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/api`)).spec.maxUnavailable).toBe(1);
    await client.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/api/scale`,
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 2 } },
    });
    const [a, b] = await until('two ready api pods', async () => {
      const pods = (await podsOf('api')).filter(ready);
      return pods.length === 2 ? pods : undefined;
    });
    await until('the budget to allow one disruption', async () =>
      (await get(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/api`)).status?.disruptionsAllowed === 1 ? true : undefined,
    );
    // AND one of them failing its readiness (kwok leaves a Running pod's status alone)
    await client.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${ns}/pods/${b.metadata.name}/status`,
      contentType: 'application/strategic-merge-patch+json',
      body: {
        status: {
          conditions: [
            { type: 'Ready', status: 'False' },
            { type: 'ContainersReady', status: 'False' },
          ],
        },
      },
    });
    await until('the budget to be spent', async () =>
      (await get(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/api`)).status?.disruptionsAllowed === 0 ? true : undefined,
    );
    // WHEN a node drain asks to evict the last ready pod THEN the Eviction API refuses with 429
    const refused = await evict(a.metadata.name);
    expect(refused).toBeInstanceOf(KubeApiError);
    expect((refused as KubeApiError).status).toBe(429);
    expect((refused as KubeApiError).message).toMatch(/disruption budget/);
    expect((await podsOf('api')).map((p) => p.metadata.name)).toContain(a.metadata.name);
    // AND the unready pod may still go (unhealthyPodEvictionPolicy: AlwaysAllow): it serves nothing
    expect(await evict(b.metadata.name)).toBe('evicted');
  });
});
