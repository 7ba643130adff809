import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { KubeClient } from '../../src/deploy/client.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import { MigrationError } from '../../src/deploy/migrations.js';
import { MemoryReporter } from '../../src/deploy/report.js';
import { statusEnvironment } from '../../src/deploy/status.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

function env(webImage: string, migrateImage?: string) {
  const p: PlatformDeclaration = {
    environments: { prod: { namespace: 'prod' } },
    services: [{ name: 'web', image: webImage, port: 8000, health: '/healthz', memory: '64Mi', cpu: '10m', replicas: 1 }],
    jobs: [
      { name: 'migrate', from: 'web', image: migrateImage, command: ['migrate'], memory: '64Mi', cpu: '10m', beforeDeploy: true },
      { name: 'nightly', from: 'web', command: ['report'], memory: '64Mi', cpu: '10m', schedule: '@daily' },
    ],
  };
  return renderPlatform(p)[0];
}

let fake: FakeApiServer;
beforeEach(async () => {
  fake = await startFakeApiServer();
});
afterEach(() => fake.close());

async function run(e: ReturnType<typeof env>) {
  const kc = Kubeconfig.of({ name: 'c', server: fake.url, skipTLSVerify: false }, { name: 'u', token: 't' });
  const client = new KubeClient(kc);
  const reporter = new MemoryReporter();
  try {
    const r = await deployEnvironment({ client, resources: new ResourceResolver(client), reporter, concurrency: 4 }, e, {
      tooling: 'berth/v0.1.0',
      wait: false,
      waitLb: false,
      timeoutMs: 5000,
      prune: true,
    });
    return { r, counters: client.counters, reporter };
  } finally {
    client.close();
  }
}

/** Writes to the environment (the deploy lease is coordination, left out). */
const writes = () => fake.log.filter((l) => l.method !== 'GET' && !l.dryRun && !l.path.includes('/leases')).map((l) => `${l.method} ${l.path}`);

describe('migrations in the deploy pipeline (fake API server playing the Job controller)', () => {
  it('the migration is applied (and complete) before any other member, even with --no-wait; a rerun writes nothing', async () => {
    // GIVEN a fresh environment WHEN deployed
    await run(env('registry.example.com/web:1.0.0'));
    // THEN after the Namespace and the ApplySet parent come the migration's ServiceAccount and Job, then the rest
    const w = writes();
    expect(w.slice(0, 4)).toEqual([
      'PATCH /api/v1/namespaces/prod',
      'PATCH /api/v1/namespaces/prod/secrets/berth-prod',
      'PATCH /api/v1/namespaces/prod/serviceaccounts/migrate',
      expect.stringMatching(/^PATCH \/apis\/batch\/v1\/namespaces\/prod\/jobs\/migrate-[0-9a-f]{8}$/),
    ]);
    expect(w.slice(4)).toEqual(
      expect.arrayContaining(['PATCH /apis/apps/v1/namespaces/prod/deployments/web', 'PATCH /apis/batch/v1/namespaces/prod/cronjobs/nightly']),
    );
    // WHEN deployed again THEN the completed Job is up to date: nothing is written, the migration not rerun
    fake.log.length = 0;
    const again = await run(env('registry.example.com/web:1.0.0'));
    expect(again.counters.writes).toBe(0);
    expect(again.reporter.events).toContainEqual(expect.objectContaining({ type: 'phase', name: 'migrate' }));
  });

  it('a new release runs a new Job, then prunes the previous (finished) one', async () => {
    await run(env('registry.example.com/web:1.0.0'));
    const old = [...fake.store.keys()].find((k) => k.includes('/jobs/migrate-'))!;
    fake.log.length = 0;
    await run(env('registry.example.com/web:1.1.0'));
    const w = writes();
    const created = w.findIndex((x) => /jobs\/migrate-/.test(x) && !x.endsWith(old));
    expect(created).toBeGreaterThanOrEqual(0);
    expect(created).toBeLessThan(w.indexOf('PATCH /apis/apps/v1/namespaces/prod/deployments/web'));
    expect(w).toContain(`DELETE ${old}`);
  });

  it('prune leaves a Job of an earlier release alone while it still runs, with a warning', async () => {
    // GIVEN a release whose migration Job is (still) running
    await run(env('registry.example.com/web:1.0.0'));
    const old = [...fake.store.keys()].find((k) => k.includes('/jobs/migrate-'))!;
    fake.store.get(old)!.status = { active: 1 };
    // WHEN the next release is deployed
    fake.log.length = 0;
    const next = await run(env('registry.example.com/web:1.1.0'));
    // THEN the running Job is not deleted, and the user is told why
    expect(writes()).not.toContain(`DELETE ${old}`);
    expect(fake.store.has(old)).toBe(true);
    expect(next.reporter.events).toContainEqual({
      type: 'warning',
      message: expect.stringMatching(/^not pruning Job prod\/migrate-[0-9a-f]{8}: it is still running/),
    });
  });

  it('a failed migration stops before any other change (exit 8); the next deploy deletes and reruns it', async () => {
    // GIVEN web 1.0.0 deployed WHEN a release's migration fails
    await run(env('registry.example.com/web:1.0.0'));
    fake.log.length = 0;
    const err = await run(env('registry.example.com/web:1.1.0', 'registry.example.com/migrate:berth-test-fail')).catch((e: unknown) => e);
    // THEN MigrationError, exit 8, and only the migration itself was written
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/migration Job prod\/migrate-[0-9a-f]{8} failed: BackoffLimitExceeded .*nothing else was applied/);
    expect(classify(err).code).toBe(EXIT.migrationFailed);
    expect(writes().every((x) => /secrets\/berth-prod|jobs\/migrate-/.test(x))).toBe(true);
    expect(fake.store.get('/apis/apps/v1/namespaces/prod/deployments/web')!.spec.template.spec.containers[0].image).toBe('registry.example.com/web:1.0.0');
    // WHEN the same release is deployed again THEN the failed Job is deleted and created again (and fails again here)
    fake.log.length = 0;
    await expect(run(env('registry.example.com/web:1.1.0', 'registry.example.com/migrate:berth-test-fail'))).rejects.toThrow(MigrationError);
    expect(
      writes()
        .filter((x) => /jobs\/migrate-/.test(x))
        .map((x) => x.split(' ')[0]),
    ).toEqual(['DELETE', 'PATCH']);
    // AND berth status reports the failed migration (not healthy)
    const kc = Kubeconfig.of({ name: 'c', server: fake.url, skipTLSVerify: false }, { name: 'u', token: 't' });
    const client = new KubeClient(kc);
    const st = await statusEnvironment(
      { client, resources: new ResourceResolver(client), reporter: new MemoryReporter(), concurrency: 4 },
      env('registry.example.com/web:1.1.0', 'registry.example.com/migrate:berth-test-fail'),
      false,
    );
    client.close();
    expect(st.healthy).toBe(false);
    expect(st.rows).toContainEqual({
      object: expect.stringMatching(/^job\/migrate-/),
      ready: false,
      message: expect.stringMatching(/^failed: BackoffLimitExceeded/),
    });
  });
});
