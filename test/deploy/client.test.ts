import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kubeconfig } from '../../src/deploy/kubeconfig-model.js';
import { KubeApiError, KubeClient } from '../../src/deploy/client.js';
import { kubeConfigForEndpoint } from '../../src/deploy/kubeconfig.js';
import { testAuth } from './token-source.js';

/** A fake API server: answers per a script, records requests. */
function fakeServer(script: (n: number, req: http.IncomingMessage) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const seen: { method: string; url: string; auth?: string; contentType?: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, contentType: req.headers['content-type'], body });
      const r = script(seen.length, req);
      res.writeHead(r.status, { 'Content-Type': 'application/json', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body ?? {}));
    });
  });
  return { server, seen };
}

function kcFor(url: string): Kubeconfig {
  const kc = Kubeconfig.of({ name: 'c', server: url, skipTLSVerify: false }, { name: 'u', token: 'static' });
  return kc;
}

describe('KubeClient', () => {
  let n503 = 0;
  const fake = fakeServer((_n, req) => {
    if (req.url?.startsWith('/flaky') && n503++ < 2) return { status: n503 === 1 ? 429 : 503, headers: { 'Retry-After': '0' }, body: { message: 'slow down' } };
    if (req.url?.startsWith('/conflict')) return { status: 409, body: { kind: 'Status', message: 'Apply failed with 1 conflict', reason: 'Conflict' } };
    if (req.url?.startsWith('/invalid'))
      return {
        status: 400,
        body: {
          message: 'strict decoding error',
          reason: 'BadRequest',
          details: { causes: [{ field: 'spec.replica', message: 'unknown field "spec.replica"' }] },
        },
      };
    return { status: 200, body: { ok: true } };
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        fake.server.closeAllConnections();
        fake.server.close(() => r());
      }),
  );

  it('sends raw SSA bodies untouched with the apply content type and counts writes vs dry runs', async () => {
    const c = new KubeClient(kcFor(url));
    const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replica: 3 } };
    await c.request({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/n/deployments/x',
      query: { fieldManager: 'berth', dryRun: 'All' },
      body,
      contentType: 'application/apply-patch+yaml',
    });
    await c.request({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/n/deployments/x',
      query: { fieldManager: 'berth' },
      body,
      contentType: 'application/apply-patch+yaml',
    });
    await c.request({ method: 'GET', path: '/api/v1/namespaces' });
    const last = fake.seen.slice(-3);
    expect(JSON.parse(last[0].body)).toEqual(body);
    expect(last[0].contentType).toBe('application/apply-patch+yaml');
    expect(last[0].auth).toBe('Bearer static');
    expect(c.counters).toEqual({ requests: 3, writes: 1, dryRuns: 1, retries: 0, lease: 0, gzipped: 0 });
    c.close();
  });

  it('retries 429/503 honouring Retry-After', async () => {
    const retries: string[] = [];
    const c = new KubeClient(kcFor(url), { onRetry: (i) => retries.push(i.reason) });
    await expect(c.request({ method: 'GET', path: '/flaky' })).resolves.toEqual({ ok: true });
    expect(retries).toEqual(['HTTP 429', 'HTTP 503']);
    expect(c.counters.requests).toBe(3);
    c.close();
  });

  it('never retries a 409 conflict and keeps the API message and causes', async () => {
    const c = new KubeClient(kcFor(url));
    await expect(c.request({ method: 'PATCH', path: '/conflict', body: {} })).rejects.toMatchObject({ status: 409, reason: 'Conflict' });
    const err = await c.request({ method: 'PATCH', path: '/invalid', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).causes[0].message).toBe('unknown field "spec.replica"');
    expect(c.counters.retries).toBe(0);
    c.close();
  });

  it('gives up on an unreachable server with a clear message', async () => {
    const c = new KubeClient(kcFor('http://127.0.0.1:1'), { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    await expect(c.request({ method: 'GET', path: '/api' })).rejects.toThrow(
      /cannot reach the Kubernetes API at http:\/\/127.0.0.1:1: ECONNREFUSED.*gave up after 2 attempts/,
    );
  });

  it('asks the token source on every request (ADC tokens refresh during long waits)', async () => {
    let n = 0;
    const t = testAuth(() => `tok-${++n}`, 1); // every token expires at once
    const c = new KubeClient(kubeConfigForEndpoint({ server: url, mode: 'public' }, t.auth));
    await c.request({ method: 'GET', path: '/a' });
    await new Promise((r) => setTimeout(r, 5));
    await c.request({ method: 'GET', path: '/b' });
    expect(fake.seen.slice(-2).map((s) => s.auth)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(t.refreshes()).toBe(2);
    c.close();
  });
});

describe('KubeClient compression', () => {
  const asked: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.headers['accept-encoding']);
    const json = Buffer.from(JSON.stringify({ items: [{ name: 'a'.repeat(5000) }] }));
    if (req.url === '/corrupt') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(json); // says gzip, is not
      return;
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
    res.end(gzip ? gzipSync(json) : json);
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('asks for gzip and reads a compressed answer; disable-compression asks for none', async () => {
    // GIVEN a client with the default settings, and one whose cluster sets disable-compression
    const zipping = new KubeClient(kcFor(url));
    const plain = new KubeClient(Kubeconfig.of({ name: 'c', server: url, skipTLSVerify: false, disableCompression: true }, { name: 'u', token: 't' }));
    // WHEN each reads the same answer
    const a = await zipping.request<{ items: { name: string }[] }>({ method: 'GET', path: '/list' });
    const b = await plain.request<{ items: { name: string }[] }>({ method: 'GET', path: '/list' });
    // THEN only the first asked for (and got) gzip, and both decoded the same object
    expect(asked.slice(-2)).toEqual(['gzip', undefined]);
    expect(a).toEqual(b);
    expect(a.items[0].name).toHaveLength(5000);
    expect([zipping.counters.gzipped, plain.counters.gzipped]).toEqual([1, 0]);
    zipping.close();
    plain.close();
  });

  it('an answer that claims gzip but is not fails the request, it does not hang', async () => {
    const c = new KubeClient(kcFor(url), { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    await expect(c.request({ method: 'GET', path: '/corrupt' })).rejects.toThrow(/incorrect header check/);
    c.close();
  });
});
