/**
 * One deploy at a time per environment (issue 14), on the real local control plane: a coordination.k8s.io Lease
 * held for the run and renewed while it runs; a held lease is an error naming the holder and its age; an expired
 * one is taken over; two concurrent deploys of different declarations cannot both run; prune takes it too.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { KubeClient } from '../../src/deploy/client.js';
import { EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import { LEASE_NAMESPACE, LeaseHeldError, acquireLease, leaseName } from '../../src/deploy/lease.js';
import { pruneEnvironment } from '../../src/deploy/status.js';
import type { KubeObject } from '../../src/render/types.js';
import { startFaultProxy } from '../deploy/fault-proxy.js';
import { adminClient, clusterState, context, deleteNamespace, deploy, render, smallPlatform, uniqueNamespace } from '../deploy/e2e-helpers.js';

const tester = adminClient();
const namespaces: string[] = [];
const leases = `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`;

afterAll(async () => {
  for (const ns of namespaces) {
    await deleteNamespace(tester, ns);
    await tester.request({ method: 'DELETE', path: `${leases}/${leaseName(ns)}` }).catch(() => undefined);
  }
  tester.close();
});

function fresh(prefix: string): string {
  const ns = uniqueNamespace(prefix);
  namespaces.push(ns);
  return ns;
}

const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

async function plantLease(ns: string, holder: string, acquiredAgoS: number, renewedAgoS: number): Promise<void> {
  const now = Date.now();
  await tester.request({
    method: 'POST',
    path: leases,
    body: {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: leaseName(ns) },
      spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: micro(now - acquiredAgoS * 1000), renewTime: micro(now - renewedAgoS * 1000) },
    },
  });
}

const leaseExists = (ns: string) =>
  tester.request({ method: 'GET', path: `${leases}/${leaseName(ns)}` }).then(
    () => true,
    () => false,
  );

describe('the environment lease', () => {
  it('held by a live run: deploy and prune stop with the holder and its age, nothing written (exit 10)', async () => {
    // GIVEN another run's lease, acquired 90 s ago and renewed just now
    const ns = fresh('e2e-lease');
    await plantLease(ns, 'ci-job-41 on runner-7', 90, 1);
    const env = render(smallPlatform(ns, 2), 'e2e');
    // WHEN berth deploys
    const c = adminClient();
    const err = await deploy(c, env, { wait: false }).catch((e: unknown) => e);
    // THEN it names the holder and the age, writes nothing, and exits 10
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect((err as Error).message).toMatch(/being deployed by ci-job-41 on runner-7 \(acquired (89|90|91)s ago, last renewed \ds ago/);
    expect(classify(err).code).toBe(EXIT.locked);
    expect(c.counters.writes).toBe(0);
    await expect(pruneEnvironment(context(c), env, 'berth/v0.1.0', false)).rejects.toThrow(LeaseHeldError);
    expect(c.counters.writes).toBe(0);
    c.close();
    await expect(tester.request({ method: 'GET', path: `/api/v1/namespaces/${ns}` })).rejects.toMatchObject({ status: 404 });
  });

  it('expired: taken over (and said so), released after the deploy', async () => {
    // GIVEN a lease whose holder died 5 minutes ago
    const ns = fresh('e2e-lease-exp');
    await plantLease(ns, 'ci-job-40 on runner-3', 400, 300);
    // WHEN berth deploys THEN it succeeds, reports the takeover, and leaves no lease behind
    const r = await deploy(tester, render(smallPlatform(ns, 1), 'e2e'), { wait: false });
    expect(r.reporter.events.map((e) => String(e.message)).join('\n')).toMatch(
      /taking over the expired lease of ci-job-40 on runner-3 \(last renewed 5m ago\)/,
    );
    expect(await leaseExists(ns)).toBe(false);
  });

  it("two concurrent deploys of different declarations: exactly one runs, the final state is the winner's", async () => {
    const ns = fresh('e2e-lease-race');
    const a = render(
      smallPlatform(ns, 2, 1, (i) => `registry.example.com/a-${i}:1.0.0`),
      'e2e',
    );
    const b = render(
      smallPlatform(ns, 3, 1, (i) => `registry.example.com/b-${i}:1.0.0`),
      'e2e',
    );
    const [ca, cb] = [adminClient(), adminClient()];
    // WHEN both start at once
    const results = await Promise.allSettled([deploy(ca, a, { lease: { holder: 'run-a' } }), deploy(cb, b, { lease: { holder: 'run-b' } })]);
    ca.close();
    cb.close();
    // THEN one failed on the lease, naming the other
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toBeInstanceOf(LeaseHeldError);
    const winner = results[0].status === 'fulfilled' ? 'a' : 'b';
    expect((failed[0].reason as Error).message).toMatch(new RegExp(`being deployed by run-${winner}`));
    // AND the namespace holds exactly the winner's Deployments and images
    const list = await tester.request<{ items: (KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } })[] }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
    });
    const images = list.items.map((d) => d.spec.template.spec.containers[0].image).sort();
    expect(images).toEqual(
      winner === 'a'
        ? ['registry.example.com/a-1:1.0.0', 'registry.example.com/a-2:1.0.0']
        : ['registry.example.com/b-1:1.0.0', 'registry.example.com/b-2:1.0.0', 'registry.example.com/b-3:1.0.0'],
    );
  });

  it('free: taken with one create and released with one conditional delete', async () => {
    // GIVEN an environment nobody holds a lease for
    const ns = fresh('e2e-lease-free');
    const c = adminClient();
    const ctx = context(c);
    // WHEN a run takes the lease and releases it
    const lease = await acquireLease(ctx, { name: 'e2e', namespace: ns }, 'run-1', 60);
    const taken = c.counters.lease;
    const present = await leaseExists(ns);
    await lease.release();
    c.close();
    // THEN taking cost one request (no read first), releasing one more, and no lease is left
    expect(taken).toBe(1);
    expect(present).toBe(true);
    expect(c.counters.lease).toBe(2);
    expect(await leaseExists(ns)).toBe(false);
  });

  it('release leaves a lease another run took over meanwhile, and deletes one it renewed itself', async () => {
    // GIVEN run-1 holds the lease, and run-2 then takes it over (a PUT, as after run-1 missed its renewals)
    const ns = fresh('e2e-lease-over');
    const c = adminClient();
    const first = await acquireLease(context(c), { name: 'e2e', namespace: ns }, 'run-1', 60);
    const live = await tester.request<{ spec: Record<string, unknown> }>({ method: 'GET', path: `${leases}/${leaseName(ns)}` });
    await tester.request({ method: 'PUT', path: `${leases}/${leaseName(ns)}`, body: { ...live, spec: { ...live.spec, holderIdentity: 'run-2' } } });
    // WHEN run-1 releases
    await first.release();
    // THEN run-2's lease stays
    const after = await tester.request<{ spec: { holderIdentity: string } }>({ method: 'GET', path: `${leases}/${leaseName(ns)}` });
    expect(after.spec.holderIdentity).toBe('run-2');
    await tester.request({ method: 'DELETE', path: `${leases}/${leaseName(ns)}` });
    // AND a run whose own renewal moved the resourceVersion on still removes its lease
    const second = await acquireLease(context(c), { name: 'e2e', namespace: ns }, 'run-3', 60);
    await second.verify();
    const before = c.counters.lease;
    await second.release();
    c.close();
    expect(c.counters.lease - before).toBe(1); // the DELETE with the renewal's resourceVersion, no read
    expect(await leaseExists(ns)).toBe(false);
  });

  it('is renewed while a run takes longer than its validity', async () => {
    // GIVEN a deploy with a 2 s lease whose apply is held up 5 s (a slow API server, played by a proxy)
    const ns = fresh('e2e-lease-renew');
    const state = clusterState();
    const proxy = await startFaultProxy(state.server, readFileSync(state.caFile, 'utf8'));
    let slow: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      slow = resolve;
    });
    let fired = false;
    proxy.setBefore(({ method, url }) => {
      if (fired || method !== 'PATCH' || !/\/services\/svc-001\?/.test(url) || /dryRun=All/.test(url)) return undefined;
      fired = true;
      slow();
      return new Promise((r) => setTimeout(r, 5000));
    });
    const kc = Kubeconfig.of({ name: 'proxy', server: proxy.url, skipTLSVerify: false }, { name: 'admin', token: state.token });
    const slowClient = new KubeClient(kc);
    const env = render(smallPlatform(ns, 1), 'e2e');
    const first = deploy(slowClient, env, { wait: false, lease: { holder: 'slow-run', seconds: 2 } });
    try {
      // WHEN a second deploy starts 4 s into the first (twice the lease validity)
      await started;
      await new Promise((r) => setTimeout(r, 4000));
      const err = await deploy(tester, env, { wait: false }).catch((e: unknown) => e);
      // THEN the renewed lease still stops it, and the first run finishes
      expect(err).toBeInstanceOf(LeaseHeldError);
      expect((err as Error).message).toMatch(/being deployed by slow-run \(acquired \ds ago, last renewed [01]s ago/);
      await expect(first).resolves.toBeDefined();
    } finally {
      await first.catch(() => undefined);
      slowClient.close();
      await proxy.close();
    }
  });
});
