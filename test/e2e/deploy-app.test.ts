/**
 * A cdk8s app as the source of `berth deploy|diff|status` on the real control plane: the TypeScript
 * example (berth constructs + cdk8s-plus-27 ConfigMap + raw NetworkPolicy + JSON patches) deployed
 * with --app; its patched fields are live and `diff` sees no drift.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/run.js';
import { compiledRoot, SHOP_APP } from '../app/compiled.js';
import { adminClient, clusterState, deleteNamespace, uniqueNamespace } from '../deploy/e2e-helpers.js';
import { sink } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = compiledRoot();
const tester = adminClient();
const ns = uniqueNamespace('e2e-app');

afterAll(async () => {
  await deleteNamespace(tester, ns);
  tester.close();
});

/** `berth <args>` in the package root, the app moved into this run's namespace through its environment. */
async function berth(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const env = { PATH: process.env.PATH, SHOP_NAMESPACE: ns };
  const code = await runCli(args, { stdout, stderr, cwd: root, env, signal: new AbortController().signal });
  return { code, out: stdout.text, err: stderr.text };
}

const target = () => ['--kubeconfig', clusterState().kubeconfig, '--app', SHOP_APP, '--env', 'production'];
const get = (path: string) => tester.request<Json>({ method: 'GET', path });

describe('berth deploy --app (TypeScript example)', () => {
  it("deploys the app's rendering; the patched fields are live and diff sees no drift", async () => {
    // GIVEN the example app, nothing deployed yet WHEN deployed through --app
    const d = await berth('deploy', ...target(), '--no-wait-lb', '--timeout', '120s');
    expect(d.code).toBe(0);
    // THEN berth's Deployment carries the JSON patches, and the app's own objects exist
    const web = await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(web.spec.minReadySeconds).toBe(15);
    expect(web.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'shop-settings' } }]);
    expect((await get(`/api/v1/namespaces/${ns}/configmaps/shop-settings`)).data).toEqual({ CATALOG_URL: 'http://api:9000', CURRENCY: 'EUR' });
    expect((await get(`/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies/api-from-web`)).spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'api',
    });
    // AND diff renders from the same source: in sync, no patched field reported as drift
    const diff = await berth('diff', ...target());
    expect(diff.out).toContain(`production: in sync`);
    expect(diff.code).toBe(0);
    const status = await berth('status', ...target(), '--no-wait-lb');
    expect(status.out).toMatch(/objects in sync/);
    expect(status.out).not.toMatch(/drift|differs/);
    // AND a redeploy writes nothing
    const again = await berth('deploy', ...target(), '--no-wait-lb');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/0 created, 0 configured, \d+ unchanged, 0 pruned; \d+ requests \(0 writes\)/);
  }, 240_000);

  it('--revision is for YAML declarations: a clear error with --app, nothing applied', async () => {
    const r = await berth('deploy', ...target(), '--revision', 'HEAD');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--revision renders a YAML declaration as of a git revision; the source here is a cdk8s app \(--app\)/);
  });
});
