/** Choosing the kubeconfig: --context, the default files ($KUBECONFIG, ~/.kube/config), in-cluster, a GKE endpoint. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  KubeconfigContextError,
  defaultFiles,
  inClusterKubeconfig,
  kubeConfigForEndpoint,
  kubeConfigFromFile,
  kubeConfigFromFiles,
} from '../../src/deploy/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const TWO = write(
  'two.yaml',
  [
    'current-context: dev',
    'clusters: [{ name: dev, cluster: { server: "https://dev" } }, { name: prod, cluster: { server: "https://prod" } }]',
    'contexts: [{ name: dev, context: { cluster: dev } }, { name: prod, context: { cluster: prod } }, { name: ghost, context: { cluster: gone } }]',
  ].join('\n'),
);

describe('--context', () => {
  it('switches to the named context', () => {
    expect(kubeConfigFromFile(TWO, undefined).getCurrentCluster()?.server).toBe('https://dev');
    expect(kubeConfigFromFile(TWO, 'prod').getCurrentCluster()?.server).toBe('https://prod');
  });

  it.each([
    ['missing', `context "missing" not found in ${TWO}`],
    ['ghost', `no current cluster in ${TWO}`],
  ])('--context %s is bad input: %s', (context, message) => {
    expect(() => kubeConfigFromFile(TWO, context)).toThrow(new KubeconfigContextError(message));
  });

  it('a file without current-context has no current cluster', () => {
    const file = write('none.yaml', 'clusters: [{ name: c, cluster: { server: "https://c" } }]');
    expect(() => kubeConfigFromFiles([file], undefined, 'the label')).toThrow(new KubeconfigContextError('no current cluster in the label'));
  });
});

describe('the default files', () => {
  it('are the entries of $KUBECONFIG that exist, in order (empty entries and missing files skipped)', () => {
    const a = write('a.yaml', '');
    const b = write('b.yaml', '');
    expect(defaultFiles({ KUBECONFIG: ['', a, join(dir, 'missing.yaml'), b, ''].join(delimiter) })).toEqual([a, b]);
  });

  it('name the first listed file when none exists (so the error says which)', () => {
    expect(defaultFiles({ KUBECONFIG: [join(dir, 'x'), join(dir, 'y')].join(delimiter) })).toEqual([join(dir, 'x')]);
  });

  it('are ~/.kube/config without $KUBECONFIG', () => {
    expect(defaultFiles({ HOME: '/home/ann' })).toEqual(['/home/ann/.kube/config']);
    expect(defaultFiles({ HOME: '/home/ann', KUBECONFIG: '' })).toEqual(['/home/ann/.kube/config']);
  });
});

describe('in memory', () => {
  it('the in-cluster service account: mounted CA, rotating token file, namespace', () => {
    // GIVEN a mounted service account folder and the pod's environment
    const sa = join(dir, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'namespace'), 'team-a');
    // WHEN built
    const kc = inClusterKubeconfig({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, sa);
    // THEN it names the API server (IPv6 bracketed), the CA and token files, and the namespace
    expect(kc.getCurrentCluster()).toEqual({ name: 'inCluster', server: 'https://[fd00::1]:443', caFile: join(sa, 'ca.crt'), skipTLSVerify: false });
    expect(kc.getCurrentUser()?.authProvider).toEqual({ name: 'tokenFile', config: { tokenFile: join(sa, 'token') } });
    expect(kc.getCurrentContextObject()?.namespace).toBe('team-a');
    expect(inClusterKubeconfig({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '8080' }, sa).getCurrentCluster()?.server).toBe(
      'http://10.0.0.1:8080',
    );
  });

  it('a GKE endpoint: the user carries the ADC token source', () => {
    const tokens = { getAccessToken: async () => 'tok' };
    const kc = kubeConfigForEndpoint({ server: 'https://1.2.3.4', caData: 'Q0E=', mode: 'public' }, tokens, 'gke_p_l_c');
    expect(kc.getCurrentCluster()).toEqual({ name: 'gke_p_l_c', server: 'https://1.2.3.4', caData: 'Q0E=', skipTLSVerify: false });
    expect(kc.getCurrentUser()?.tokenSource).toBe(tokens);
  });
});
