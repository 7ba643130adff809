import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { KubeClient } from '../../src/deploy/client.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { MemoryReporter, type WaitRow } from '../../src/deploy/report.js';
import { renderPlatform } from '../../src/render/render.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { startFakeApiServer, type FakeApiServer } from './fake-apiserver.js';

/** Keeps every wait table, not just the last. */
class HistoryReporter extends MemoryReporter {
  readonly tables: (readonly WaitRow[])[] = [];
  override progress(rows: readonly WaitRow[]): void {
    super.progress(rows);
    this.tables.push(rows);
  }
}

let fake: FakeApiServer;
beforeEach(async () => {
  fake = await startFakeApiServer();
});
afterEach(() => fake.close());

describe('deploy waits for StatefulSets', () => {
  it('a service with storage is applied as a StatefulSet and waited for until its pods are ready at the new revision', async () => {
    // GIVEN an environment with a web Deployment and a cache with storage (a StatefulSet)
    const platform: PlatformDeclaration = {
      environments: { prod: { namespace: 'prod' } },
      services: [
        { name: 'web', image: 'registry.example.com/web:1.0.0', port: 8000, health: '/healthz', memory: '64Mi', cpu: '10m', replicas: 2 },
        {
          name: 'cart',
          image: 'registry.example.com/redis:7.2.4',
          port: 6379,
          protocol: 'tcp',
          memory: '64Mi',
          cpu: '10m',
          replicas: 1,
          storage: { path: '/data', size: '1Gi' },
          runAsUser: 999,
          runAsGroup: 999,
        },
      ],
    };
    const e = renderPlatform(platform)[0];
    const kc = Kubeconfig.of({ name: 'c', server: fake.url, skipTLSVerify: false }, { name: 'u', token: 't' });
    const client = new KubeClient(kc);
    const reporter = new HistoryReporter();
    try {
      // WHEN deployed with waiting
      const r = await deployEnvironment({ client, resources: new ResourceResolver(client), reporter, concurrency: 4 }, e, {
        tooling: 'berth/v0.1.0',
        wait: true,
        waitLb: false,
        timeoutMs: 10000,
        prune: true,
        dryRun: false,
      });
      // THEN the StatefulSet and its headless Service were applied
      expect(r.applied).toEqual(expect.arrayContaining(['StatefulSet prod/cart', 'Service prod/cart-headless']));
      expect(fake.store.has('/apis/apps/v1/namespaces/prod/statefulsets/cart')).toBe(true);
      // AND the wait first saw the StatefulSet progressing, then ready, with a row next to the Deployment's
      const rows = reporter.tables.map((t) => t.find((row) => row.object === 'cart'));
      expect(rows[0]).toEqual({ object: 'cart', ready: false, message: '0/1 pods ready' });
      expect(rows.at(-1)).toEqual({ object: 'cart', ready: true, message: '1/1 pods ready, rolled out' });
      expect(reporter.rows.map((row) => row.object).sort()).toEqual(['cart', 'web']);
    } finally {
      client.close();
    }
  });
});
