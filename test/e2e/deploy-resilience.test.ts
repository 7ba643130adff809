/**
 * Resilience on the real control plane: 429/503 injected by a fault proxy; kube-apiserver stopped mid-apply
 * (clear error), restarted, and a rerun converges with nothing lost or duplicated. Leaves the cluster healthy.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { KubeClient } from '../../src/deploy/client.js';
import { LABEL_PART_OF, applySetId, parentFor } from '../../src/deploy/applyset.js';
import { EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import { startApiServer, stopApiServer } from '../cluster/cluster.js';
import { startFaultProxy } from '../deploy/fault-proxy.js';
import { OPTIONS, adminClient, clusterState, context, deleteNamespace, deploy, render, smallPlatform, uniqueNamespace } from '../deploy/e2e-helpers.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { readFileSync } from 'node:fs';

const tester = adminClient();
const namespaces: string[] = [];

afterAll(async () => {
  await startApiServer().catch(() => undefined);
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  tester.close();
});

function proxiedClient(url: string): KubeClient {
  const kc = Kubeconfig.of({ name: 'proxy', server: url, skipTLSVerify: false }, { name: 'admin', token: clusterState().token });
  return new KubeClient(kc);
}

describe('429/503 from a fault-injecting proxy', () => {
  it('the deploy still succeeds, honouring Retry-After', async () => {
    const state = clusterState();
    const proxy = await startFaultProxy(state.server, readFileSync(state.caFile, 'utf8'));
    const ns = uniqueNamespace('e2e-faults');
    namespaces.push(ns);
    // The environment lease's own requests are left alone: its release is best effort (never retried), so a fault
    // there would not be matched by a retry; the subject here is the deploy's API traffic.
    proxy.setFault(({ n, url }) =>
      url.includes('/leases') ? undefined : n % 4 === 0 ? (n % 8 === 0 ? { status: 429, retryAfterSeconds: 1 } : { status: 503 }) : undefined,
    );
    const client = proxiedClient(proxy.url);
    try {
      const r = await deploy(client, render(smallPlatform(ns, 8), 'e2e'), { timeoutMs: 90_000 });
      expect(r.rows.every((x) => x.ready)).toBe(true);
      expect(proxy.stats.faults).toBeGreaterThan(5);
      expect(client.counters.retries).toBe(proxy.stats.faults);
      proxy.setFault(undefined);
      const again = proxiedClient(proxy.url);
      await deploy(again, render(smallPlatform(ns, 8), 'e2e'));
      expect(again.counters.writes).toBe(0);
      again.close();
    } finally {
      client.close();
      await proxy.close();
    }
  });
});

describe('the control plane stops mid-apply', () => {
  it('fails with a clear error; after a restart a rerun converges with nothing lost or duplicated', async () => {
    const ns = uniqueNamespace('e2e-restart');
    namespaces.push(ns);
    const n = 300;
    const env = render(smallPlatform(ns, n, 0), 'e2e');
    const client = adminClient({ retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 1000 } });
    let settled = false;
    // one holder identity for both runs: the first cannot release its lease while the API server is down
    const lease = { holder: 'restart-run' };
    const run = deploy(client, env, { wait: false, lease })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
      .finally(() => {
        settled = true;
      });
    while (client.counters.writes < 40 && !settled) await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    await stopApiServer();
    const err = await run;
    client.close();
    expect(err).toBeInstanceOf(Error);
    const { code, message } = classify(err);
    expect(code).toBe(EXIT.unreachable);
    expect(message).toMatch(/cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+/);
    expect(message).toMatch(/rerun to converge/);

    await startApiServer();
    const again = adminClient();
    const r = await deploy(again, env, { wait: false, lease });
    again.close();
    expect(r.planned.filter((p) => p.action === 'create').length).toBeGreaterThan(0);
    const id = applySetId(parentFor('e2e', ns));
    const deps = await tester.request<{ items: { metadata: { name: string } }[] }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      query: { labelSelector: `${LABEL_PART_OF}=${id}` },
    });
    const names = deps.items.map((d) => d.metadata.name);
    expect(new Set(names).size).toBe(n);
    expect(names).toHaveLength(n);
    const third = adminClient();
    await deploy(third, env, { wait: false });
    expect(third.counters.writes).toBe(0);
    third.close();
  });
});

describe('Ctrl-C during a deploy', () => {
  it('stops cleanly (exit 130) and a rerun converges', async () => {
    const ns = uniqueNamespace('e2e-abort');
    namespaces.push(ns);
    const env = render(smallPlatform(ns, 60, 0), 'e2e');
    const controller = new AbortController();
    const client = adminClient({ signal: controller.signal });
    const ctx = context(client, undefined, controller.signal);
    let settled = false;
    const run = deployEnvironment(ctx, env, { ...OPTIONS, wait: false })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
      .finally(() => {
        settled = true;
      });
    while (client.counters.writes < 10 && !settled) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('interrupted by SIGINT'));
    const err = await run;
    client.close();
    expect(classify(err, controller.signal).code).toBe(EXIT.interrupted);
    const again = adminClient();
    const r = await deploy(again, env, { wait: false });
    expect(r.planned.some((p) => p.action === 'create')).toBe(true);
    again.close();
    const third = adminClient();
    await deploy(third, env, { wait: false });
    expect(third.counters.writes).toBe(0);
    third.close();
  });
});
