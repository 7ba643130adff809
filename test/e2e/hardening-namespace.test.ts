/**
 * Namespace cleanup after a failed first deploy (issue 14), on the real local control plane: the namespace this run
 * created is deleted only with a uid precondition and only while it holds nothing berth did not create. Another
 * actor acts at the exact moment berth applies the rejected object (a proxy in front of the API server waits for it).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { PreflightError } from '../../src/deploy/apply.js';
import { KubeClient } from '../../src/deploy/client.js';
import { EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';
import type { Json } from '../helpers.js';
import { startFaultProxy } from '../deploy/fault-proxy.js';
import { adminClient, clusterState, deleteNamespace, deploy, render, smallPlatform, uniqueNamespace } from '../deploy/e2e-helpers.js';

const tester = adminClient();
const namespaces: string[] = [];

afterAll(async () => {
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  tester.close();
});

/** svc-001's Service has a port the API server rejects only once its namespace exists. */
function rejectedLate(ns: string, services: number): RenderedEnvironment {
  const env = render(smallPlatform(ns, services), 'e2e');
  const objects = env.objects.map((o) => {
    if (o.kind !== 'Service' || o.metadata.name !== 'svc-001') return o;
    const copy = structuredClone(o) as Json;
    copy.spec.ports[0].port = 70000;
    return copy as KubeObject;
  });
  return { ...env, objects };
}

type Ns = KubeObject & { metadata: { uid?: string }; status?: { phase?: string } };
const getNs = (ns: string) => tester.request<Ns>({ method: 'GET', path: `/api/v1/namespaces/${ns}` }).catch(() => undefined);

/** Deploys through a proxy that runs `actor` once, just before berth's real apply of svc-001's Service. */
async function deployWithActor(env: RenderedEnvironment, actor: () => Promise<void>): Promise<unknown> {
  const state = clusterState();
  const proxy = await startFaultProxy(state.server, readFileSync(state.caFile, 'utf8'));
  let fired = false;
  proxy.setBefore(({ method, url }) => {
    if (fired || method !== 'PATCH' || !/\/services\/svc-001\?/.test(url) || /dryRun=All/.test(url)) return undefined;
    fired = true;
    return actor();
  });
  const kc = Kubeconfig.of({ name: 'proxy', server: proxy.url, skipTLSVerify: false }, { name: 'admin', token: state.token });
  const client = new KubeClient(kc);
  try {
    return await deploy(client, env, { wait: false }).catch((e: unknown) => e);
  } finally {
    client.close();
    await proxy.close();
    expect(fired).toBe(true);
  }
}

describe('a failed first deploy and its new namespace', () => {
  it("another actor's ConfigMap created meanwhile: the namespace is left (and said so), the ConfigMap survives", async () => {
    const ns = uniqueNamespace('e2e-nsrace');
    namespaces.push(ns);
    // GIVEN a new environment whose svc-001 Service is rejected late, and a team creating a ConfigMap in the namespace meanwhile
    const err = await deployWithActor(rejectedLate(ns, 2), async () => {
      await tester.request({
        method: 'POST',
        path: `/api/v1/namespaces/${ns}/configmaps`,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-b-config' }, data: { a: 'b' } },
      });
    });
    // THEN the deploy fails naming why the namespace was left; namespace and ConfigMap are still there
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(
      new RegExp(`namespace ${ns} created by this run was LEFT in place: it now holds objects berth did not create: ConfigMap/team-b-config`),
    );
    expect(classify(err).code).toBe(EXIT.applyFailed);
    expect((await getNs(ns))?.status?.phase).toBe('Active');
    await expect(tester.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/team-b-config` })).resolves.toBeDefined();
  });

  it('the namespace deleted and recreated by someone else meanwhile: the uid precondition keeps the new one', async () => {
    const ns = uniqueNamespace('e2e-nsuid');
    namespaces.push(ns);
    let recreated: string | undefined;
    // GIVEN another actor who replaces the namespace (same name, new uid) just before the rejected apply
    const err = await deployWithActor(rejectedLate(ns, 1), async () => {
      await tester.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` });
      for (let i = 0; i < 300 && (await getNs(ns)); i++) await new Promise((r) => setTimeout(r, 100));
      recreated = (
        await tester.request<Ns>({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })
      ).metadata.uid;
    });
    // THEN berth does not delete the other actor's namespace and says why
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(/LEFT in place: it is no longer the namespace this run created \(its uid changed/);
    const now = await getNs(ns);
    expect(now?.metadata.uid).toBe(recreated);
    expect(now?.status?.phase).toBe('Active');
  });

  it('nothing foreign in it: the namespace this run created is deleted again (by uid)', async () => {
    const ns = uniqueNamespace('e2e-nsclean');
    namespaces.push(ns);
    // GIVEN a new environment whose Service is rejected late, with a second service (and its Endpoints) created first
    const err = await deploy(tester, rejectedLate(ns, 2), { wait: false }).catch((e: unknown) => e);
    // THEN the namespace is gone (or going), and the message says so
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(
      new RegExp(`namespace ${ns} created by this run was deleted again \\(uid [0-9a-f-]+; it held nothing berth did not create\\)`),
    );
    expect(classify(err).code).toBe(EXIT.rejected);
    const left = await getNs(ns);
    expect(left === undefined || left.status?.phase === 'Terminating').toBe(true);
  });
});
