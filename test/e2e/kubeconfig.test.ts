/**
 * kubeconfig connection settings against the real control plane: certificate-authority(-data), insecure-skip-tls-verify,
 * tls-server-name, token and tokenFile, client certificates (data and files), proxy-url through a CONNECT proxy,
 * disable-compression.
 * Each case asks the API server who it is (SelfSubjectReview), so authentication is proved, not assumed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../../src/deploy/client.js';
import { KubeconfigSettingError } from '../../src/deploy/credential-errors.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { signClientCert } from '../cluster/client-ca.js';
import { adminClient, clusterState, deleteNamespace, uniqueNamespace } from '../deploy/e2e-helpers.js';
import { writeKubeconfig } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A one-context kubeconfig file from the cluster and user blocks. */
function kubeconfig(name: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  return writeKubeconfig(dir, name, cluster, user);
}

/** Who the API server says the kubeconfig's user is. */
async function whoami(file: string): Promise<string> {
  const client = new KubeClient(kubeConfigFromFile(file, undefined), { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
  try {
    const review = await client.request<{ status: { userInfo: { username: string; groups?: string[] } } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return review.status.userInfo.username;
  } finally {
    client.close();
  }
}

describe('certificate authority and server name', () => {
  it('certificate-authority-data and a certificate-authority file both verify the server', async () => {
    const s = clusterState();
    // GIVEN the cluster's CA as data, and as a relative file path (relative to the kubeconfig's folder)
    writeFileSync(join(dir, 'ca.pem'), Buffer.from(s.caData, 'base64'));
    // WHEN asking who we are THEN the token user answers through both
    expect(await whoami(kubeconfig('ca-data.yaml', { server: s.server, 'certificate-authority-data': s.caData }, { token: s.token }))).toBe('berth-admin');
    expect(await whoami(kubeconfig('ca-file.yaml', { server: s.server, 'certificate-authority': 'ca.pem' }, { token: s.token }))).toBe('berth-admin');
  });

  it('without a CA the self-signed server is refused; insecure-skip-tls-verify accepts it; both at once is bad input', async () => {
    const s = clusterState();
    await expect(whoami(kubeconfig('no-ca.yaml', { server: s.server }, { token: s.token }))).rejects.toThrow(
      /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+: [A-Z_]*(CERT|SIGN)/,
    );
    expect(await whoami(kubeconfig('skip.yaml', { server: s.server, 'insecure-skip-tls-verify': true }, { token: s.token }))).toBe('berth-admin');
    const both = kubeconfig('both.yaml', { server: s.server, 'insecure-skip-tls-verify': true, 'certificate-authority-data': s.caData }, { token: s.token });
    await expect(whoami(both)).rejects.toThrow(KubeconfigSettingError);
  });

  it('tls-server-name is the name checked against the certificate', async () => {
    const s = clusterState();
    // GIVEN the server reached as "localhost", a name its certificate does not carry
    const server = s.server.replace('127.0.0.1', 'localhost');
    await expect(whoami(kubeconfig('sni-none.yaml', { server, 'certificate-authority-data': s.caData }, { token: s.token }))).rejects.toThrow(
      /ERR_TLS_CERT_ALTNAME_INVALID/,
    );
    // WHEN tls-server-name names one it carries THEN the connection verifies
    const named = kubeconfig('sni.yaml', { server, 'certificate-authority-data': s.caData, 'tls-server-name': 'kubernetes.default.svc' }, { token: s.token });
    expect(await whoami(named)).toBe('berth-admin');
  });
});

describe('credentials', () => {
  it('token and tokenFile (a trailing newline is not part of the token)', async () => {
    const s = clusterState();
    writeFileSync(join(dir, 'token'), `${s.limitedToken}\n`, { mode: 0o600 });
    const cluster = { server: s.server, 'certificate-authority-data': s.caData };
    expect(await whoami(kubeconfig('token.yaml', cluster, { token: s.token }))).toBe('berth-admin');
    expect(await whoami(kubeconfig('token-file.yaml', cluster, { tokenFile: join(dir, 'token') }))).toBe('berth-limited');
  });

  it('client certificates as data and as files authenticate as their subject', async () => {
    const s = clusterState();
    // GIVEN a client certificate signed by the cluster's client CA for user berth-cert in group system:masters
    const { cert, key } = signClientCert(join(s.dataDir, 'pki'), 'berth-cert', 'system:masters');
    writeFileSync(join(dir, 'client.crt'), cert);
    writeFileSync(join(dir, 'client.key'), key, { mode: 0o600 });
    const cluster = { server: s.server, 'certificate-authority-data': s.caData };
    // WHEN asking who we are THEN the API server names the certificate's subject
    expect(await whoami(kubeconfig('cert-data.yaml', cluster, { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) }))).toBe('berth-cert');
    expect(await whoami(kubeconfig('cert-file.yaml', cluster, { 'client-certificate': 'client.crt', 'client-key': join(dir, 'client.key') }))).toBe(
      'berth-cert',
    );
    // AND half a pair, or a missing file, is bad input naming the field
    await expect(whoami(kubeconfig('cert-half.yaml', cluster, { 'client-certificate-data': b64(cert) }))).rejects.toThrow(
      /client-certificate but no client-key/,
    );
    await expect(whoami(kubeconfig('cert-missing.yaml', cluster, { 'client-certificate': 'nope.crt', 'client-key': 'nope.key' }))).rejects.toThrow(
      /client-certificate names .*nope\.crt, which cannot be read \(ENOENT\)/,
    );
  });
});

/** A small HTTP CONNECT proxy that counts tunnels (and can demand credentials). */
function connectProxy(requireAuth?: string) {
  const stats = { tunnels: 0, refused: 0 };
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    if (requireAuth && req.headers['proxy-authorization'] !== requireAuth) {
      stats.refused++;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    stats.tunnels++;
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return { server, stats };
}

describe('proxy-url', () => {
  const open = connectProxy();
  const authed = connectProxy(`Basic ${b64('berth:pr0xy-secret')}`);
  const url = (p: typeof open) => `http://127.0.0.1:${(p.server.address() as AddressInfo).port}`;
  beforeAll(async () => {
    for (const p of [open, authed]) await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const p of [open, authed]) {
      p.server.closeAllConnections();
      await new Promise<void>((r) => p.server.close(() => r()));
    }
  });

  it('every request goes through the proxy, over few kept-alive tunnels', async () => {
    const s = clusterState();
    const file = kubeconfig('proxy.yaml', { server: s.server, 'certificate-authority-data': s.caData, 'proxy-url': url(open) }, { token: s.token });
    const client = new KubeClient(kubeConfigFromFile(file, undefined), { concurrency: 4 });
    // WHEN 40 requests run, 4 at a time
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => client.request<{ metadata: { name: string } }>({ method: 'GET', path: '/api/v1/namespaces/default' })),
    );
    client.close();
    // THEN all are answered, through at most one tunnel per concurrent request (keep-alive reuses them)
    expect(answers.every((a) => a.metadata.name === 'default')).toBe(true);
    expect(open.stats.tunnels).toBeGreaterThanOrEqual(1);
    expect(open.stats.tunnels).toBeLessThanOrEqual(8);
  });

  it('proxy credentials from the URL are sent; a refusing proxy is named in the error, its password never', async () => {
    const s = clusterState();
    const cluster = { server: s.server, 'certificate-authority-data': s.caData };
    const good = kubeconfig('proxy-auth.yaml', { ...cluster, 'proxy-url': url(authed).replace('//', '//berth:pr0xy-secret@') }, { token: s.token });
    expect(await whoami(good)).toBe('berth-admin');
    expect(authed.stats.tunnels).toBe(1);
    const bad = kubeconfig('proxy-bad.yaml', { ...cluster, 'proxy-url': url(authed).replace('//', '//berth:wrong-pass@') }, { token: s.token });
    const err = await whoami(bad).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(new RegExp(`proxy ${url(authed)}: CONNECT 127\\.0\\.0\\.1:\\d+ answered HTTP 407`));
    expect(err?.message).not.toContain('wrong-pass');
    // AND a proxy that is down is named as the cause
    const dead = kubeconfig('proxy-dead.yaml', { ...cluster, 'proxy-url': 'http://127.0.0.1:1' }, { token: s.token });
    await expect(whoami(dead)).rejects.toThrow(
      /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+: EPROXY \(proxy http:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/,
    );
    // AND a socks proxy is refused as unsupported, naming the field
    await expect(whoami(kubeconfig('socks.yaml', { ...cluster, 'proxy-url': 'socks5://127.0.0.1:1080' }, { token: s.token }))).rejects.toThrow(
      /proxy-url uses socks5:\/\/, which berth does not support/,
    );
  });
});

describe('compression', () => {
  const ns = uniqueNamespace('berth-gzip');
  const admin = adminClient();
  beforeAll(async () => {
    // GIVEN a namespace whose ConfigMap LIST is about 300 KiB (the API server compresses answers over 128 KiB)
    await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
    const data = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, `${i}:`.padEnd(1000, 'x')]));
    await admin.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/configmaps`,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data },
    });
  });
  afterAll(async () => {
    await deleteNamespace(admin, ns);
    admin.close();
  });

  const listBig = async (file: string) => {
    const client = new KubeClient(kubeConfigFromFile(file, undefined));
    try {
      const list = await client.request<{ items: { data: Record<string, string> }[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps` });
      return { data: list.items[0].data, gzipped: client.counters.gzipped };
    } finally {
      client.close();
    }
  };

  it('asks for gzip as client-go does and reads the compressed answer; disable-compression turns it off', async () => {
    const s = clusterState();
    const cluster = { server: s.server, 'certificate-authority-data': s.caData };
    // WHEN the large LIST is read with compression (the default) and with disable-compression: true
    const zipped = await listBig(kubeconfig('gzip.yaml', cluster, { token: s.token }));
    const plain = await listBig(kubeconfig('no-gzip.yaml', { ...cluster, 'disable-compression': true }, { token: s.token }));
    // THEN the server gzipped the first answer only, and both give the same object
    expect(zipped.gzipped).toBe(1);
    expect(plain.gzipped).toBe(0);
    expect(Object.keys(zipped.data)).toHaveLength(300);
    expect(zipped.data.k299).toBe('299:'.padEnd(1000, 'x'));
    expect(zipped.data).toEqual(plain.data);
  });
});
