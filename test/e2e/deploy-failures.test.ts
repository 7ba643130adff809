/** Failures that must be clear and safe: rejected manifests write nothing; a rollout that cannot finish names the pod reason. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { PreflightError } from '../../src/deploy/apply.js';
import { RolloutError } from '../../src/deploy/wait.js';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';
import { adminClient, editObject, existsAt, deleteNamespace, deploy, render, smallPlatform, snapshotVersions, uniqueNamespace } from '../deploy/e2e-helpers.js';

const client = adminClient();
const tester = adminClient();
const namespaces: string[] = [];

afterAll(async () => {
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  client.close();
  tester.close();
});

const exists = (path: string) => existsAt(tester, path);

describe('a manifest the API rejects aborts before any write', () => {
  it('a typo (unknown field) in a new environment: rejected by strict field validation, nothing written', async () => {
    const ns = uniqueNamespace('e2e-typo');
    namespaces.push(ns);
    const env = editObject(render(smallPlatform(ns, 3), 'e2e'), 'Deployment', 'svc-002', (o) => {
      o.spec.replica = 3;
    });
    const c = adminClient();
    const err = await deploy(c, env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(/Deployment .*\/svc-002: .*\.spec\.replica: field not declared in schema/);
    expect(c.counters.writes).toBe(0);
    expect(await exists(`/api/v1/namespaces/${ns}`)).toBe(false);
    c.close();
  });

  it('a typo in an existing environment: nothing is written, not even the valid changes', async () => {
    const ns = uniqueNamespace('e2e-typo2');
    namespaces.push(ns);
    await deploy(client, render(smallPlatform(ns, 3), 'e2e'));
    const before = await snapshotVersions(tester, ns);
    let env = render(
      smallPlatform(ns, 3, 1, (i) => `registry.example.com/svc-${i}:2.0.0`),
      'e2e',
    );
    env = editObject(env, 'Service', 'svc-003', (o) => {
      o.spec.ports[0].targetPrt = 8000;
    });
    const c = adminClient();
    await expect(deploy(c, env)).rejects.toThrow(/Service .*\/svc-003: .*\.targetPrt: field not declared in schema/);
    expect(c.counters.writes).toBe(0);
    expect(await snapshotVersions(tester, ns)).toEqual(before);
    c.close();
  });

  it('an invalid value in a new namespace (checked once the namespace exists): the namespace is removed again', async () => {
    const ns = uniqueNamespace('e2e-invalid');
    namespaces.push(ns);
    const env = editObject(render(smallPlatform(ns, 2), 'e2e'), 'Service', 'svc-001', (o) => {
      o.spec.ports[0].port = 70000;
    });
    const c = adminClient();
    await expect(deploy(c, env)).rejects.toThrow(PreflightError);
    const nsObj = await tester
      .request<KubeObject & { status?: { phase?: string } }>({ method: 'GET', path: `/api/v1/namespaces/${ns}` })
      .catch(() => undefined);
    expect(nsObj === undefined || nsObj.status?.phase === 'Terminating').toBe(true);
    expect(await exists(`/apis/apps/v1/namespaces/${ns}/deployments/svc-002`)).toBe(false);
    c.close();
  });
});

/** Keeps the Deployment's pods unscheduled (nobody runs "never") and plays the kubelet: the image cannot be pulled. */
function neverReady(env: RenderedEnvironment, name: string, progressDeadlineSeconds: number): RenderedEnvironment {
  return editObject(env, 'Deployment', name, (o) => {
    o.spec.progressDeadlineSeconds = progressDeadlineSeconds;
    o.spec.template.spec.schedulerName = 'never';
  });
}

async function playImagePullBackOff(ns: string, image: string, until: () => boolean): Promise<void> {
  while (!until()) {
    const pods = await tester.request<{ items: (KubeObject & { spec: { containers: { name: string }[] }; status?: { containerStatuses?: unknown[] } })[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/pods`,
    });
    for (const p of pods.items.filter((x) => !x.status?.containerStatuses)) {
      await tester
        .request({
          method: 'PATCH',
          path: `/api/v1/namespaces/${ns}/pods/${p.metadata.name}/status`,
          contentType: 'application/merge-patch+json',
          body: {
            status: {
              containerStatuses: [
                {
                  name: p.spec.containers[0].name,
                  image,
                  imageID: '',
                  ready: false,
                  restartCount: 0,
                  started: false,
                  state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
                },
              ],
            },
          },
        })
        .catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('an image that never becomes ready fails with the pod reason within the timeout', () => {
  it('ProgressDeadlineExceeded fails fast, naming ImagePullBackOff and the image', async () => {
    const ns = uniqueNamespace('e2e-pull');
    namespaces.push(ns);
    const env = neverReady(render(smallPlatform(ns, 2), 'e2e'), 'svc-002', 6);
    let done = false;
    const kubelet = playImagePullBackOff(ns, 'registry.example.com/svc-2:1.0.0', () => done);
    const started = Date.now();
    const err = await deploy(client, env, { timeoutMs: 90_000 })
      .catch((e: unknown) => e)
      .finally(() => {
        done = true;
      });
    await kubelet;
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as RolloutError).timedOut).toBe(false);
    expect((err as Error).message).toMatch(
      /^svc-002: 0\/1 pods ready: progress deadline exceeded: ImagePullBackOff on registry\.example\.com\/svc-2:1\.0\.0$/m,
    );
    expect((err as Error).message).not.toMatch(/svc-001/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('--timeout bounds the wait and still gives the reason', async () => {
    const ns = uniqueNamespace('e2e-pull2');
    namespaces.push(ns);
    const env = neverReady(render(smallPlatform(ns, 1), 'e2e'), 'svc-001', 600);
    let done = false;
    const kubelet = playImagePullBackOff(ns, 'registry.example.com/svc-1:1.0.0', () => done);
    const started = Date.now();
    const err = await deploy(client, env, { timeoutMs: 8_000 })
      .catch((e: unknown) => e)
      .finally(() => {
        done = true;
      });
    await kubelet;
    expect(err).toBeInstanceOf(RolloutError);
    expect((err as RolloutError).timedOut).toBe(true);
    expect((err as Error).message).toMatch(/svc-001: 0\/1 pods ready.*ImagePullBackOff on registry\.example\.com\/svc-1:1\.0\.0/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
