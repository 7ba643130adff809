/**
 * Pod-level fields on the real local control plane: a service with `storage` is a StatefulSet whose claims bind
 * (to pre-created volumes: the local control plane has no disk provisioner), `berth deploy` waits for its rollout
 * and for a singleton's; Pod Security "restricted" admits every pod; a no-op redeploy writes nothing; an image
 * change is waited for until the StatefulSet's update revision is current.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { KubeApiError } from '../../src/deploy/client.js';
import type { KubeObject } from '../../src/render/types.js';
import { adminClient, deleteNamespace, deploy, render, uniqueNamespace } from '../deploy/e2e-helpers.js';

const ns = uniqueNamespace('e2e-sts');
const client = adminClient();
const tester = adminClient();
const volumes = [0, 1].map((i) => `${ns}-data-cart-${i}`);

function platform(cartTag: string): PlatformDeclaration {
  return {
    environments: { production: { namespace: ns } },
    services: [
      {
        name: 'cart',
        image: `registry.example.com/redis:${cartTag}`,
        port: 6379,
        health: '/healthz',
        memory: '64Mi',
        cpu: '10m',
        replicas: 2,
        storage: { path: '/data', size: '1Gi' },
        runAsUser: 999,
        runAsGroup: 999,
      },
      {
        name: 'beat',
        image: 'registry.example.com/app:1.0.0',
        command: ['celery', 'beat'],
        memory: '64Mi',
        cpu: '10m',
        singleton: true,
        env: { BROKER_URL: 'redis://$(CACHE_HOST):6379/0', CACHE_HOST: 'cart' },
        mounts: [{ path: '/var/run/beat', emptyDir: '64Mi' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      },
    ],
  };
}

async function ensure(path: string, body: KubeObject): Promise<void> {
  try {
    await tester.request({ method: 'POST', path, body });
  } catch (err) {
    if (!(err instanceof KubeApiError && err.status === 409)) throw err;
  }
}

beforeAll(async () => {
  // GIVEN the GKE default StorageClass name and one pre-bound volume per expected claim (no provisioner here)
  await ensure('/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard-rwo' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'Immediate',
  });
  for (const [i, name] of volumes.entries()) {
    await ensure('/api/v1/persistentvolumes', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard-rwo',
        persistentVolumeReclaimPolicy: 'Delete',
        hostPath: { path: `/tmp/${name}` },
        claimRef: { namespace: ns, name: `data-cart-${i}` },
      },
    });
  }
});

afterAll(async () => {
  await deleteNamespace(tester, ns);
  for (const name of volumes) await tester.request({ method: 'DELETE', path: `/api/v1/persistentvolumes/${name}` }).catch(() => undefined);
  client.close();
  tester.close();
});

describe('deploy: StatefulSet and singleton', () => {
  it('waits until the StatefulSet and the singleton are rolled out; claims are bound; pods are admitted', async () => {
    // WHEN deployed
    const r = await deploy(client, render(platform('7.2.4')));
    // THEN both workloads are waited for and ready
    expect(r.rows.map((x) => [x.object, x.ready])).toEqual(
      expect.arrayContaining([
        ['cart', true],
        ['beat', true],
      ]),
    );
    expect(r.rows.find((x) => x.object === 'cart')!.message).toBe('2/2 pods ready, rolled out');
    // AND each cart pod has its own bound claim, and the singleton runs one pod with a Recreate strategy
    const claims = await tester.request<{ items: KubeObject[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/persistentvolumeclaims` });
    expect(claims.items.map((c) => [c.metadata.name, (c as { status?: { phase?: string } }).status?.phase]).sort()).toEqual([
      ['data-cart-0', 'Bound'],
      ['data-cart-1', 'Bound'],
    ]);
    const beat = await tester.request<{ spec: { replicas: number; strategy: { type: string } } }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/beat`,
    });
    expect([beat.spec.replicas, beat.spec.strategy.type]).toEqual([1, 'Recreate']);
    const pods = await tester.request<{ items: KubeObject[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods` });
    expect(pods.items.map((p) => p.metadata.name).sort()).toEqual([expect.stringMatching(/^beat-/), 'cart-0', 'cart-1']);
  });

  it('a no-op redeploy writes nothing (the StatefulSet with its claim template is in sync)', async () => {
    const fresh = adminClient();
    try {
      const r = await deploy(fresh, render(platform('7.2.4')));
      expect(r.planned.filter((p) => p.action !== 'unchanged').map((p) => `${p.desired.kind}/${p.desired.metadata.name}`)).toEqual([]);
      expect(fresh.counters.writes).toBe(0);
    } finally {
      fresh.close();
    }
  });

  it('an image change is waited for until every pod runs the new revision', async () => {
    const r = await deploy(client, render(platform('7.2.5')));
    expect(r.planned.filter((p) => p.action !== 'unchanged').map((p) => `${p.desired.kind}/${p.desired.metadata.name}`)).toEqual(['StatefulSet/cart']);
    expect(r.rows.find((x) => x.object === 'cart')).toMatchObject({ ready: true, message: '2/2 pods ready, rolled out' });
    const live = await tester.request<{ status: { currentRevision: string; updateRevision: string; updatedReplicas: number } }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${ns}/statefulsets/cart`,
    });
    expect(live.status.currentRevision).toBe(live.status.updateRevision);
    expect(live.status.updatedReplicas).toBe(2);
  });
});
