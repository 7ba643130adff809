/**
 * Environment knobs on the real local control plane: a quota in `dev` (ResourceQuota + LimitRange) stops an
 * over-limit rollout with berth's clear error (exit code of a failed rollout, naming the quota and the amounts)
 * while `production` (no quota) deploys; berth's PriorityClasses are applied, shared, and used by the pods.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { classify, EXIT } from '../../src/cli/cluster-exit-codes.js';
import { RolloutError } from '../../src/deploy/wait.js';
import type { KubeObject } from '../../src/render/types.js';
import { adminClient, deleteNamespace, deploy, render, uniqueNamespace } from '../deploy/e2e-helpers.js';

const dev = uniqueNamespace('e2e-quota-dev');
const production = uniqueNamespace('e2e-quota-prod');
const client = adminClient();
const tester = adminClient();

/** api: 2 replicas of (10m, 64Mi); dev's quota holds them plus one surge pod (validation checks that), no more. */
function platform(tag: string): PlatformDeclaration {
  return {
    environments: {
      production: { namespace: production, defaultPriority: 'high' },
      dev: { namespace: dev, quota: { cpu: '1', memory: '1Gi', pods: 4 } },
    },
    services: [{ name: 'api', image: `registry.example.com/api:${tag}`, port: 8000, health: '/healthz', memory: '64Mi', cpu: '10m', replicas: 2 }],
  };
}

const RESTRICTED = {
  runAsNonRoot: true,
  runAsUser: 10001,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A pod someone adds by hand (no resources): the LimitRange must fill in berth's defaults. */
const bare = (name: string) => ({ name, image: 'registry.example.com/loadtest:1.0.0', securityContext: RESTRICTED });

type Pod = KubeObject & {
  spec: { priorityClassName?: string; priority?: number; containers: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] };
};

async function pods(ns: string, selector: string): Promise<Pod[]> {
  return (await tester.request<{ items: Pod[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: selector } })).items;
}

afterAll(async () => {
  // The PriorityClasses are shared with every other environment (and suite): never deleted here.
  await deleteNamespace(tester, dev);
  await deleteNamespace(tester, production);
  client.close();
  tester.close();
});

describe('environment quota and priorities', () => {
  it('both environments deploy; pods run at their PriorityClass; the classes stay out of the ApplySets', async () => {
    // WHEN dev and production are deployed
    const r = await deploy(client, render(platform('1.0.0'), 'dev'));
    expect(r.rows.find((x) => x.object === 'api')).toMatchObject({ ready: true });
    await deploy(client, render(platform('1.0.0'), 'production'));
    // THEN dev pods run at berth-normal (the default), production pods at berth-high (defaultPriority)
    expect((await pods(dev, 'app.kubernetes.io/name=api')).map((p) => [p.spec.priorityClassName, p.spec.priority])).toEqual([
      ['berth-normal', 10000],
      ['berth-normal', 10000],
    ]);
    expect((await pods(production, 'app.kubernetes.io/name=api')).map((p) => [p.spec.priorityClassName, p.spec.priority])).toEqual([
      ['berth-high', 100000],
      ['berth-high', 100000],
    ]);
    // AND the classes exist cluster-wide, without an ApplySet membership label (no environment prunes them)
    for (const name of ['berth-high', 'berth-normal']) {
      const pc = await tester.request<KubeObject & { preemptionPolicy: string }>({ method: 'GET', path: `/apis/scheduling.k8s.io/v1/priorityclasses/${name}` });
      expect(pc.metadata.labels).not.toHaveProperty(['applyset.kubernetes.io/part-of']);
      expect(pc.preemptionPolicy).toBe('PreemptLowerPriority');
    }
    const parent = await tester.request<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${dev}/secrets/berth-dev` });
    expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).not.toMatch(/PriorityClass/);
    expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toMatch(/ResourceQuota/);
    // AND a no-op redeploy writes nothing: the shared classes compare as in sync
    const fresh = adminClient();
    try {
      const again = await deploy(fresh, render(platform('1.0.0'), 'dev'));
      expect(again.planned.filter((p) => p.action !== 'unchanged').map((p) => `${p.desired.kind}/${p.desired.metadata.name}`)).toEqual([]);
      expect(fresh.counters.writes).toBe(0);
    } finally {
      fresh.close();
    }
  });

  it('the LimitRange gives a pod without resources the declared defaults', async () => {
    // GIVEN a hand-written pod without resources WHEN created (server-side dry run: admission runs, nothing is stored)
    const pod = await tester.request<Pod>({
      method: 'POST',
      path: `/api/v1/namespaces/${dev}/pods`,
      query: { dryRun: 'All' },
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'by-hand' }, spec: { containers: [bare('by-hand')] } },
    });
    // THEN the LimitRange filled in a CPU request and memory request = limit, and no CPU limit
    expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
  });

  it("a dev rollout over the quota fails with berth's clear error, while production deploys", async () => {
    // GIVEN a load test in dev taking the room berth's surge pod needs (4 pods with api's 2)
    await tester.request({
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${dev}/deployments`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'loadtest' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'loadtest' } },
          template: { metadata: { labels: { app: 'loadtest' } }, spec: { containers: [bare('loadtest')] } },
        },
      },
    });
    await waitFor(async () => (await pods(dev, 'app=loadtest')).length === 2);
    // WHEN a new version is deployed to dev
    const err = await deploy(client, render(platform('1.1.0'), 'dev'), { timeoutMs: 90_000 }).catch((e: unknown) => e);
    // THEN the rollout fails fast (not a timeout) with the exit code of a failed rollout, naming the quota and the amounts
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as RolloutError).timedOut).toBe(false);
    const { code, message } = classify(err);
    expect(code).toBe(EXIT.rolloutFailed);
    expect(message).toMatch(
      /rollout failed:\napi: .*pods refused by ResourceQuota "berth-quota": requested pods=1, used pods=4, limited pods=4; raise the environment's quota/,
    );
    // AND production, which has no quota, deploys the same version
    const prod = await deploy(client, render(platform('1.1.0'), 'production'));
    expect(prod.rows.find((x) => x.object === 'api')).toMatchObject({ ready: true, message: '2/2 pods ready, rolled out' });
  }, 150_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}
