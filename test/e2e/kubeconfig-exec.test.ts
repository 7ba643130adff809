/**
 * Exec credential plugins against the real control plane, with the kubeconfig `gcloud container clusters
 * get-credentials` writes (user.exec: gke-gcloud-auth-plugin, v1beta1, provideClusterInfo, installHint,
 * interactiveMode IfAvailable) and a stand-in gke-gcloud-auth-plugin on PATH that hands out the cluster's token.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../../src/cli/run.js';
import { KubeClient } from '../../src/deploy/client.js';
import { EXIT } from '../../src/cli/cluster-exit-codes.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { signClientCert } from '../cluster/client-ca.js';
import { adminClient, clusterState, deleteNamespace, uniqueNamespace } from '../deploy/e2e-helpers.js';
import { sink } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-exec-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
const ns = uniqueNamespace('e2e-exec');
const tester = adminClient();
afterAll(async () => {
  await deleteNamespace(tester, ns);
  tester.close();
  rmSync(dir, { recursive: true, force: true });
});

const INSTALL_HINT =
  'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin';

/**
 * The stand-in plugin: counts its runs in `<dir>/runs-<name>`, records KUBERNETES_EXEC_INFO, and prints an
 * ExecCredential with `token()` valid for an hour. `mode` 'fail' exits 1 like a plugin without gcloud credentials;
 * 'stale-first' hands out a wrong token on its first run (the server answers 401, berth must run it again).
 */
function plugin(name: string, token: string, mode: 'ok' | 'fail' | 'stale-first' = 'ok'): void {
  const file = join(bin, name);
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const runs = ${JSON.stringify(join(dir, `runs-${name}`))};
const n = (fs.existsSync(runs) ? Number(fs.readFileSync(runs, 'utf8')) : 0) + 1;
fs.writeFileSync(runs, String(n));
fs.writeFileSync(${JSON.stringify(join(dir, `info-${name}.json`))}, process.env.KUBERNETES_EXEC_INFO || '');
if (${JSON.stringify(mode)} === 'fail') {
  process.stderr.write('ERROR: gke-gcloud-auth-plugin: no Application Default Credentials\\n');
  process.exit(1);
}
const token = ${JSON.stringify(mode)} === 'stale-first' && n === 1 ? 'expired-token-0000' : ${JSON.stringify(token)};
process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: {},
  status: { token, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));
`,
  );
  chmodSync(file, 0o755);
}

const runs = (name: string) => (existsSync(join(dir, `runs-${name}`)) ? Number(readFileSync(join(dir, `runs-${name}`), 'utf8')) : 0);

/** The kubeconfig `gcloud container clusters get-credentials` writes, pointed at the local cluster. */
function gkeKubeconfig(file: string, command = 'gke-gcloud-auth-plugin'): string {
  const s = clusterState();
  const path = join(dir, file);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${s.caData}
    server: ${s.server}
  name: gke_berth-test_europe-west1_local
contexts:
- context:
    cluster: gke_berth-test_europe-west1_local
    user: gke_berth-test_europe-west1_local
  name: gke_berth-test_europe-west1_local
current-context: gke_berth-test_europe-west1_local
preferences: {}
users:
- name: gke_berth-test_europe-west1_local
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args: null
      command: ${command}
      env: null
      installHint: ${INSTALL_HINT}
      interactiveMode: IfAvailable
      provideClusterInfo: true
`,
  );
  return path;
}

async function berth(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [stdout, stderr] = [sink(), sink()];
  const code = await runCli(args, { stdout, stderr, cwd: dir, env, signal: new AbortController().signal });
  return { code, out: stdout.text, err: stderr.text };
}

const PATH = { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
const platform = () => {
  const file = join(dir, 'platform.yaml');
  writeFileSync(
    file,
    `environments:\n  web:\n    namespace: ${ns}\nservices:\n  - name: shop\n    image: registry.example.com/shop:1.0.0\n    port: 8000\n` +
      `    health: /healthz\n    memory: 64Mi\n    cpu: 10m\n    replicas: 1\n`,
  );
  return file;
};

describe('exec credential plugins (gke-gcloud-auth-plugin kubeconfig)', () => {
  it('deploy and status run through the plugin, once per run, with the cluster info it asked for', async () => {
    // GIVEN the stand-in plugin on PATH and the kubeconfig gcloud writes
    plugin('gke-gcloud-auth-plugin', clusterState().token);
    const kc = gkeKubeconfig('gke.yaml');
    const target = ['--kubeconfig', kc, '--file', platform(), '--env', 'web'];
    // WHEN deploying and asking for status
    const d = await berth(PATH, 'deploy', ...target, '--timeout', '90s');
    expect(d.err.replace(/^berth: using .*\n/m, '')).toBe('');
    expect(d.code).toBe(0);
    const requests = Number(/(\d+) requests/.exec(d.out)?.[1]);
    const st = await berth(PATH, 'status', ...target);
    // THEN both worked, the plugin ran once per run however many requests were made
    expect(st.code).toBe(0);
    expect(st.out).toMatch(/ready +shop: 1\/1 pods ready/);
    expect(requests).toBeGreaterThan(5);
    expect(runs('gke-gcloud-auth-plugin')).toBe(2);
    // AND it was told the cluster (provideClusterInfo) and that no one is at the terminal
    const info = JSON.parse(readFileSync(join(dir, 'info-gke-gcloud-auth-plugin.json'), 'utf8')) as {
      spec: { interactive: boolean; cluster: { server: string } };
    };
    expect(info).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: clusterState().server } },
    });
  });

  it('concurrent requests share one plugin run; a rejected credential makes it run again, once', async () => {
    // GIVEN a plugin whose first token the server does not know
    plugin('stale-plugin', clusterState().token, 'stale-first');
    const client = new KubeClient(kubeConfigFromFile(gkeKubeconfig('stale.yaml', 'stale-plugin'), undefined), { env: PATH });
    // WHEN 20 requests start at once
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.request<{ metadata: { name: string } }>({ method: 'GET', path: '/api/v1/namespaces/default' })),
    );
    client.close();
    // THEN all succeed after exactly two plugin runs (the stale token, then the fresh one)
    expect(answers.every((a) => a.metadata.name === 'default')).toBe(true);
    expect(runs('stale-plugin')).toBe(2);
  });

  it('a plugin that hands out a client certificate authenticates as its subject', async () => {
    // GIVEN a plugin answering clientCertificateData/clientKeyData signed by the cluster's client CA
    const { cert, key } = signClientCert(join(clusterState().dataDir, 'pki'), 'berth-exec-cert', 'system:masters');
    const file = join(bin, 'cert-plugin');
    writeFileSync(
      file,
      `#!${process.execPath}
process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1',
  status: { clientCertificateData: ${JSON.stringify(cert)}, clientKeyData: ${JSON.stringify(key)} } }));
`,
    );
    chmodSync(file, 0o755);
    const client = new KubeClient(kubeConfigFromFile(gkeKubeconfig('cert.yaml', 'cert-plugin'), undefined), { env: PATH });
    // WHEN asking who we are THEN the API server names the certificate's subject
    const review = await client.request<{ status: { userInfo: { username: string } } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    client.close();
    expect(review.status.userInfo.username).toBe('berth-exec-cert');
  });

  it('a failing plugin: exit 6 naming the plugin, its message and installHint; a missing one: exit 2', async () => {
    plugin('broken-plugin', 'unused', 'fail');
    const failing = await berth(PATH, 'status', '--kubeconfig', gkeKubeconfig('broken.yaml', 'broken-plugin'), '--file', platform(), '--env', 'web');
    expect(failing.code).toBe(EXIT.unreachable);
    expect(failing.err).toContain(
      'exec plugin "broken-plugin" of kubeconfig user "gke_berth-test_europe-west1_local" failed (exit 1): ERROR: gke-gcloud-auth-plugin: ' +
        'no Application Default Credentials',
    );
    expect(failing.err).toContain(`installHint: ${INSTALL_HINT}`);
    expect(runs('broken-plugin')).toBe(1); // failed at the first request, nothing more tried
    const missing = await berth(
      PATH,
      'status',
      '--kubeconfig',
      gkeKubeconfig('missing.yaml', 'gke-gcloud-auth-plugin-absent'),
      '--file',
      platform(),
      '--env',
      'web',
    );
    expect(missing.code).toBe(EXIT.badInput);
    expect(missing.err).toContain(
      'exec plugin "gke-gcloud-auth-plugin-absent" of kubeconfig user "gke_berth-test_europe-west1_local" was not found (not on PATH)',
    );
    expect(missing.err).toContain(`installHint: ${INSTALL_HINT}`);
  });
});
