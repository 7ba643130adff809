/** Exec credential plugins run for real (small node scripts): caching by expiry, answers checked, errors named. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { KubeCluster } from '../../src/deploy/kubeconfig-model.js';
import { CredentialError, KubeconfigSettingError } from '../../src/deploy/credential-errors.js';
import { type ExecConfig, ExecCredentialSource } from '../../src/deploy/exec-credential.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-exec-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cluster: KubeCluster = { name: 'c', server: 'https://10.0.0.1', skipTLSVerify: false, caData: 'Q0E=', tlsServerName: 'kubernetes.default' };
const V1 = 'client.authentication.k8s.io/v1';

/** A plugin printing `answer(n, env)` (JS expression) on its n-th run; runs are counted in a file. */
function script(name: string, answer: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const f = ${JSON.stringify(`${file}.runs`)};
const n = (fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8')) : 0) + 1;
fs.writeFileSync(f, String(n));
const env = process.env;
process.stdout.write(typeof (${answer}) === 'string' ? (${answer}) : JSON.stringify(${answer}));
`,
  );
  chmodSync(file, 0o755);
  return file;
}
const runsOf = (file: string) => (existsSync(`${file}.runs`) ? Number(readFileSync(`${file}.runs`, 'utf8')) : 0);
const source = (exec: ExecConfig) => new ExecCredentialSource(exec, { user: 'me', cluster, env: { PATH: process.env.PATH } });
const credential = (status: string) => `({ apiVersion: '${V1}', kind: 'ExecCredential', status: ${status} })`;

describe('ExecCredentialSource', () => {
  it('keeps a credential until shortly before its expirationTimestamp, then runs the plugin again', async () => {
    // GIVEN a plugin whose tokens expire 13 s after issue (10 s of that is berth's safety margin)
    const cmd = script('expiring', credential("{ token: 't' + n, expirationTimestamp: new Date(Date.now() + 13000).toISOString() }"));
    const s = source({ command: cmd, apiVersion: V1, interactiveMode: 'Never' });
    // WHEN asked twice at once, then again within the 3 s of validity
    const [a, b] = await Promise.all([s.get(), s.get()]);
    expect(a).toBe(b);
    expect((await s.get()).token).toBe('t1');
    // THEN once the credential is within the margin, a new run hands out a new token
    await new Promise((r) => setTimeout(r, 3200));
    expect((await s.get()).token).toBe('t2');
    expect(runsOf(cmd)).toBe(2);
  });

  it('without expirationTimestamp keeps the credential for the run, until invalidated', async () => {
    const cmd = script('forever', credential("{ token: 't' + n }"));
    const s = source({ command: cmd, apiVersion: V1 });
    const first = await s.get();
    expect((await s.get()).token).toBe('t1');
    s.invalidate(first);
    expect((await s.get()).token).toBe('t2');
  });

  it('passes args, env and KUBERNETES_EXEC_INFO with the cluster when provideClusterInfo is set', async () => {
    const cmd = script(
      'echo-info',
      credential('{ token: JSON.stringify({ argv: process.argv.slice(2), extra: env.EXTRA, info: JSON.parse(env.KUBERNETES_EXEC_INFO) }) }'),
    );
    const s = source({
      command: cmd,
      apiVersion: V1,
      args: ['--x', 'y'],
      env: [{ name: 'EXTRA', value: 'v' }],
      provideClusterInfo: true,
      config: { audience: 'a' },
    });
    const seen = JSON.parse((await s.get()).token!) as Record<string, unknown>;
    expect(seen).toEqual({
      argv: ['--x', 'y'],
      extra: 'v',
      info: {
        apiVersion: V1,
        kind: 'ExecCredential',
        spec: {
          interactive: false,
          cluster: {
            server: 'https://10.0.0.1',
            'tls-server-name': 'kubernetes.default',
            'certificate-authority-data': 'Q0E=',
            config: { audience: 'a' },
          },
        },
      },
    });
  });

  it.each([
    ['not JSON', "'oops'", /printed no ExecCredential JSON/],
    [
      'another apiVersion',
      "({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'x' } })",
      /expected ExecCredential client\.authentication\.k8s\.io\/v1/,
    ],
    ['no token or certificate', credential('{}'), /neither status\.token nor status\.clientCertificateData/],
    ['a bad expiry', credential("{ token: 'x', expirationTimestamp: 'soon' }"), /expirationTimestamp "soon", not an RFC 3339 time/],
  ])('an answer that is %s is a CredentialError naming the plugin and the fix', async (_what, answer, message) => {
    const cmd = script(`bad-${_what.replace(/\W/g, '')}`, answer);
    const err = await source({ command: cmd, apiVersion: V1, installHint: 'brew install it' })
      .get()
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err).toBeInstanceOf(CredentialError);
    expect(err?.message).toMatch(message);
    expect(err?.message).toMatch(new RegExp(`exec plugin ".*${cmd.split('/').pop()}" of kubeconfig user "me".*installHint: brew install it`));
  });

  it('refuses unsupported settings as bad kubeconfig input', () => {
    expect(() => source({ command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' })).toThrow(KubeconfigSettingError);
    expect(() => source({ apiVersion: V1 })).toThrow(/exec\.command is missing/);
  });

  it('interactiveMode Always without a terminal fails with the fix, without running the plugin', async () => {
    const cmd = script('always', credential("{ token: 'x' }"));
    await expect(source({ command: cmd, apiVersion: V1, interactiveMode: 'Always' }).get()).rejects.toThrow(/needs an interactive terminal/);
    expect(runsOf(cmd)).toBe(0);
  });
});
