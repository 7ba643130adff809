/** `berth deploy|diff|prune|status` through the CLI on the real control plane: output, exit codes, --revision. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/run.js';
import { adminClient, clusterState, deleteNamespace, uniqueNamespace } from '../deploy/e2e-helpers.js';
import { sink } from '../helpers.js';

const tester = adminClient();
const ns = uniqueNamespace('e2e-cli');
const dir = mkdtempSync(join(tmpdir(), 'berth-cli-'));

afterAll(async () => {
  await deleteNamespace(tester, ns);
  tester.close();
  rmSync(dir, { recursive: true, force: true });
});

async function berth(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, { stdout, stderr, cwd: dir, env: {}, signal: new AbortController().signal });
  return { code, out: stdout.text, err: stderr.text };
}

function platformYaml(image: string, extra = ''): string {
  return `environments:
  web:
    namespace: ${ns}
services:
  - name: shop
    image: ${image}
    port: 8000
    health: /healthz
    memory: 64Mi
    cpu: 10m
    replicas: 1
${extra}`;
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
const target = () => ['--kubeconfig', clusterState().kubeconfig, '--file', join(dir, 'platform.yaml'), '--env', 'web'];
const image = async () =>
  (
    await tester.request<{ spec: { template: { spec: { containers: { image: string }[] } } } }>({
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/shop`,
    })
  ).spec.template.spec.containers[0].image;

describe('berth CLI against the control plane', () => {
  it('deploy, diff, status, prune and exit codes', async () => {
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.com');
    git('config', 'user.name', 'ci');
    writeFileSync(
      join(dir, 'platform.yaml'),
      platformYaml(
        'registry.example.com/shop:1.0.0',
        `  - name: worker
    image: registry.example.com/worker:1.0.0
    memory: 64Mi
    cpu: 10m
    replicas: 1
`,
      ),
    );
    git('add', '.');
    git('commit', '-qm', 'v1');

    expect((await berth('diff', ...target())).code).toBe(1);
    const d = await berth('deploy', ...target(), '--output', 'json', '--timeout', '90s');
    expect(d.err.replace(/^berth: using .*\n/m, '')).toBe('');
    expect(d.code).toBe(0);
    const doc = JSON.parse(d.out) as { ok: boolean; created: number; revision: string };
    expect(doc).toMatchObject({ ok: true, revision: git('rev-parse', 'HEAD') });
    expect(doc.created).toBeGreaterThan(3);

    const again = await berth('deploy', ...target());
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/0 created, 0 configured, \d+ unchanged, 0 pruned; \d+ requests \(0 writes\)/);
    expect((await berth('diff', ...target())).code).toBe(0);
    const st = await berth('status', ...target());
    expect(st.code).toBe(0);
    expect(st.out).toMatch(/ready +shop: 1\/1 pods ready, rolled out/);

    writeFileSync(join(dir, 'platform.yaml'), platformYaml('registry.example.com/shop:1.1.0'));
    git('commit', '-qam', 'v2: shop 1.1.0, no worker');
    const diff = await berth('diff', ...target());
    expect(diff.code).toBe(1);
    expect(diff.out).not.toMatch(/config-hash/);
    expect(diff.out).toMatch(
      /Deployment .*\/shop would be configured\n(?: {4}.*\n)*? {4}spec\.template\.spec\.containers\[0\]\.image: "registry\.example\.com\/shop:1\.0\.0" -> "registry\.example\.com\/shop:1\.1\.0"/,
    );
    expect(diff.out).toMatch(/Deployment .*\/worker would be pruned/);
    expect((await berth('prune', ...target(), '--dry-run')).out).toMatch(/Deployment .*\/worker would be pruned/);
    const v2 = await berth('deploy', ...target());
    expect(v2.code).toBe(0);
    expect(v2.out).toMatch(/Deployment .*\/worker pruned/);
    expect(await image()).toBe('registry.example.com/shop:1.1.0');
  });

  it('--revision previous re-applies the rendering deployed before the last change', async () => {
    const r = await berth('deploy', ...target(), '--revision', 'previous', '--no-prune');
    expect(r.err.replace(/^berth: using .*\n/m, '')).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/rolling back to revision [0-9a-f]{40}/);
    expect(await image()).toBe('registry.example.com/shop:1.0.0');
    const back = await berth('deploy', ...target(), '--revision', 'HEAD', '--no-prune');
    expect(back.code).toBe(0);
    expect(await image()).toBe('registry.example.com/shop:1.1.0');
    const stale = await berth('status', ...target(), '--no-wait-lb');
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/Deployment .*\/worker: no longer declared/);
    const pruned = await berth('prune', ...target());
    expect(pruned.code).toBe(0);
    expect(pruned.out).toMatch(/Deployment .*\/worker pruned/);
    expect((await berth('status', ...target())).code).toBe(0);
  });

  it('exit codes: bad flags 2, unreachable 6', async () => {
    expect((await berth('deploy', ...target(), '--bogus')).code).toBe(2);
    expect((await berth('deploy', '--kubeconfig', clusterState().kubeconfig)).code).toBe(2);
    const kc = join(dir, 'dead.kubeconfig');
    writeFileSync(
      kc,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const dead = await berth('status', '--kubeconfig', kc, '--file', join(dir, 'platform.yaml'), '--env', 'web');
    expect(dead.code).toBe(6);
    expect(dead.err).toMatch(/cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
  }, 60_000);
});
