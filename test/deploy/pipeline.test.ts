import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { PreflightError } from '../../src/deploy/apply.js';
import { KubeClient } from '../../src/deploy/client.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { MemoryReporter } from '../../src/deploy/report.js';
import { renderPlatform } from '../../src/render/render.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

function env(services: string[], image = '1.0.0') {
  const p = {
    environments: { prod: { namespace: 'prod' } },
    services: services.map((name) => ({
      name,
      image: `registry.example.com/${name}:${image}`,
      port: 8000,
      health: '/healthz',
      memory: '64Mi',
      cpu: '10m',
      replicas: 2,
      ...(name === 'web' ? { host: 'web.example.com' } : {}),
    })),
  } as unknown as PlatformDeclaration;
  return renderPlatform(p)[0];
}

let fake: FakeApiServer;
beforeEach(async () => {
  fake = await startFakeApiServer();
});
afterEach(() => fake.close());

async function run(e: ReturnType<typeof env>, dryRun = false) {
  const kc = Kubeconfig.of({ name: 'c', server: fake.url, skipTLSVerify: false }, { name: 'u', token: 't' });
  const client = new KubeClient(kc);
  const reporter = new MemoryReporter();
  try {
    const r = await deployEnvironment({ client, resources: new ResourceResolver(client), reporter, concurrency: 4 }, e, {
      tooling: 'berth/v0.1.0',
      wait: true,
      waitLb: false,
      timeoutMs: 5000,
      prune: true,
      dryRun,
    });
    return { r, counters: client.counters, reporter };
  } finally {
    client.close();
  }
}

describe('deploy pipeline (fake API server)', () => {
  it('fresh deploy: dry run, namespace, parent, members in order; then a no-op costs no writes', async () => {
    const e = env(['web', 'api']);
    const first = await run(e);
    expect(first.r.applied).toHaveLength(e.objects.length);
    const writes = fake.log.filter((l) => l.method === 'PATCH' && !l.dryRun).map((l) => l.path);
    expect(writes[0]).toBe('/api/v1/namespaces/prod');
    expect(writes[1]).toBe('/api/v1/namespaces/prod/secrets/berth-prod');
    expect(writes.at(-1)).toMatch(/ingresses/);
    fake.log.length = 0;
    const second = await run(e);
    expect(second.counters.writes).toBe(0);
    expect(second.counters.dryRuns).toBe(0);
    expect(second.r.planned.every((p) => p.action === 'unchanged')).toBe(true);
    expect(second.counters.requests).toBeLessThan(15);
  });

  it('a rejected object aborts before any write', async () => {
    const e = env(['web']);
    fake.rejectField = 'replicas';
    await expect(run(e)).rejects.toThrow(PreflightError);
    // the deploy lease (coordination, not the environment) is taken and released even so
    expect(fake.log.filter((l) => l.method !== 'GET' && !l.dryRun && !l.path.includes('/leases'))).toEqual([]);
  });

  it('changes only what changed, prunes what is gone, leaves foreign objects alone', async () => {
    await run(env(['web', 'api', 'worker']));
    fake.store.set('/api/v1/namespaces/prod/configmaps/foreign', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foreign', namespace: 'prod' } });
    const d = await run(env(['web', 'api']), true);
    expect(d.r.toPrune.some((x) => x.endsWith('/worker'))).toBe(true);
    const e2 = env(['web', 'api'], '2.0.0');
    const r = await run(e2);
    const changed = r.r.planned.filter((p) => p.action !== 'unchanged').map((p) => `${p.desired.kind}/${p.desired.metadata.name}`);
    expect(changed.sort()).toEqual(['Deployment/api', 'Deployment/web']);
    expect(r.r.pruned.some((x) => x === 'Deployment prod/worker')).toBe(true);
    expect(fake.store.has('/api/v1/namespaces/prod/configmaps/foreign')).toBe(true);
    expect(fake.store.has('/apis/apps/v1/namespaces/prod/deployments/worker')).toBe(false);
    const parent = fake.store.get('/api/v1/namespaces/prod/secrets/berth-prod')!;
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toContain('Deployment.apps');
  });
});

describe('reporters', () => {
  it('a terminal gets the wait table redrawn in place; plain logs only print changes', async () => {
    const { TtyReporter, LineReporter } = await import('../../src/deploy/report.js');
    let tty = '';
    const t = new TtyReporter({
      write: (s: string) => {
        tty += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream);
    t.progress([
      { object: 'api', ready: false, message: '0/3 pods ready' },
      { object: 'web', ready: true, message: 'ok' },
    ]);
    t.progress([
      { object: 'api', ready: true, message: '3/3' },
      { object: 'web', ready: true, message: 'ok' },
    ]);
    expect(tty).toContain('1/2 ready');
    expect(tty).toContain('\u001b[2A\u001b[J    2/2 ready');
    let plain = '';
    const l = new LineReporter({
      write: (s: string) => {
        plain += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream);
    l.progress([{ object: 'api', ready: false, message: '0/3 pods ready' }]);
    l.progress([{ object: 'api', ready: false, message: '0/3 pods ready' }]);
    expect(plain.trim().split('\n')).toHaveLength(1);
  });
});
