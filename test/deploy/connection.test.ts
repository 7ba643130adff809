/** The connection a kubeconfig describes, seen from a plain-http stand-in server (what each request carries). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../../src/deploy/client.js';
import { KubeconfigSettingError } from '../../src/deploy/credential-errors.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { writeKubeconfig } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-connection-'));
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
const server = http.createServer((req, res) => {
  seen.push({ url: req.url!, headers: req.headers });
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"ok":true}');
});
/** A forward proxy for plain-http targets (absolute-form requests), counting what it relays. */
const relayed: string[] = [];
const proxy = http.createServer((req, res) => {
  relayed.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`);
  const up = http.request(req.url!, { method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode!, r.headers);
    r.pipe(res);
  });
  req.pipe(up);
});
const port = (s: http.Server) => (s.address() as AddressInfo).port;

beforeAll(async () => {
  for (const s of [server, proxy]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of [server, proxy]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(name: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return writeKubeconfig(dir, name, { server: `http://127.0.0.1:${port(server)}`, ...cluster }, user);
}

async function headersOf(file: string): Promise<http.IncomingHttpHeaders> {
  const c = new KubeClient(kubeConfigFromFile(file, undefined));
  try {
    await c.request({ method: 'GET', path: '/version' });
  } finally {
    c.close();
  }
  return seen[seen.length - 1].headers;
}

describe('credentials on the wire', () => {
  it('tokenFile relative to the kubeconfig, trimmed', async () => {
    writeFileSync(join(dir, 'tok'), 'file-token-1\n');
    expect((await headersOf(kubeconfig('tf.yaml', {}, { tokenFile: 'tok' }))).authorization).toBe('Bearer file-token-1');
  });

  it('username/password as Basic, and `as` as Impersonate-User', async () => {
    const h = await headersOf(kubeconfig('basic.yaml', {}, { username: 'ann', password: 'pw', as: 'bob' }));
    expect(h.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
    expect(h['impersonate-user']).toBe('bob');
  });

  it('the in-cluster service account token (auth-provider tokenFile, as loadFromCluster sets it)', async () => {
    writeFileSync(join(dir, 'sa-token'), 'sa-token-7');
    const file = kubeconfig('sa.yaml', {}, { 'auth-provider': { name: 'tokenFile', config: { tokenFile: join(dir, 'sa-token') } } });
    expect((await headersOf(file)).authorization).toBe('Bearer sa-token-7');
  });

  it('a legacy auth-provider (oidc) gets its header from client-node, loaded then', async () => {
    // GIVEN an oidc user whose id-token (a JWT) is valid for another hour
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const idToken = `${b64({ alg: 'none' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
    const file = kubeconfig('oidc.yaml', {}, { 'auth-provider': { name: 'oidc', config: { 'client-id': 'k', 'id-token': idToken } } });
    // WHEN a request goes out  THEN it carries the id-token
    expect((await headersOf(file)).authorization).toBe(`Bearer ${idToken}`);
  });

  it('a missing tokenFile is bad input naming the field and the file', () => {
    expect(() => new KubeClient(kubeConfigFromFile(kubeconfig('tf-missing.yaml', {}, { tokenFile: 'absent' }), undefined))).toThrow(
      /users\["u"\]\.user\.tokenFile names .*absent, which cannot be read \(ENOENT\)/,
    );
  });
});

describe('proxy-url with a plain-http server', () => {
  it('sends absolute-form requests to the proxy, with its credentials', async () => {
    const file = kubeconfig('fwd.yaml', { 'proxy-url': `http://me:s3cret@127.0.0.1:${port(proxy)}` }, { token: 't' });
    const h = await headersOf(file);
    expect(h.authorization).toBe('Bearer t');
    expect(relayed.at(-1)).toBe(`http://127.0.0.1:${port(server)}/version Basic ${Buffer.from('me:s3cret').toString('base64')}`);
  });

  it.each([
    [{ 'proxy-url': 'not a url' }, /proxy-url is not a URL/],
    [{ 'certificate-authority-data': 'QQ==', 'certificate-authority': 'ca.pem' }, /sets both certificate-authority and certificate-authority-data/],
  ])('refuses %j as bad input', (cluster, message) => {
    const make = () => new KubeClient(kubeConfigFromFile(kubeconfig('bad.yaml', cluster, { token: 't' }), undefined));
    expect(make).toThrow(KubeconfigSettingError);
    expect(make).toThrow(message);
  });
});
