/**
 * A small HTTP proxy in front of the API server (plain HTTP in, pinned-CA HTTPS out) that counts requests and
 * writes and can inject faults (429/503 with Retry-After) or refuse a bearer token. Used by the e2e tests and by
 * the benchmark to count kubectl's requests.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Fault {
  readonly status: number;
  readonly retryAfterSeconds?: number;
}

export type FaultRule = (req: { method: string; url: string; n: number }) => Fault | undefined;

export interface ProxyStats {
  requests: number;
  /** Non-GET requests without dryRun=All that reached the API server. */
  writes: number;
  faults: number;
  rejectedTokens: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly stats: ProxyStats;
  setFault(rule: FaultRule | undefined): void;
  /** Runs `hook` before forwarding each request and waits for it (another actor acting at an exact moment). */
  setBefore(hook: ((req: { method: string; url: string }) => Promise<void> | undefined) | undefined): void;
  /** Answer 401 to requests bearing this token (a revoked/expired credential). */
  setRejectToken(token: string | undefined): void;
  resetStats(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string, caPem: string): Promise<FaultProxy> {
  const agent = new https.Agent({ keepAlive: true, ca: caPem, maxSockets: 64 });
  const stats: ProxyStats = { requests: 0, writes: 0, faults: 0, rejectedTokens: 0 };
  let rule: FaultRule | undefined;
  let rejectToken: string | undefined;
  let before: ((req: { method: string; url: string }) => Promise<void> | undefined) | undefined;
  const server = http.createServer((req, res) => {
    const wait = before?.({ method: req.method ?? 'GET', url: req.url ?? '/' });
    if (!wait) return handle(req, res);
    req.pause();
    void wait.then(
      () => handle(req, res),
      (err: Error) => {
        res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end(`proxy hook failed: ${err.message}`);
      },
    );
  });
  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const n = ++stats.requests;
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (rejectToken && req.headers.authorization === `Bearer ${rejectToken}`) {
      stats.rejectedTokens++;
      req.resume();
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    const fault = rule?.({ method, url, n });
    if (fault) {
      stats.faults++;
      req.resume();
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `injected ${fault.status}`, code: fault.status }));
      return;
    }
    if (method !== 'GET' && !/[?&]dryRun=All/.test(url)) stats.writes++;
    const target = new URL(url, upstream);
    const up = https.request(target, { method, headers: { ...req.headers, host: target.host }, agent }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(up);
  }
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setFault: (r) => {
      rule = r;
    },
    setRejectToken: (t) => {
      rejectToken = t;
    },
    setBefore: (h) => {
      before = h;
    },
    resetStats: () => Object.assign(stats, { requests: 0, writes: 0, faults: 0, rejectedTokens: 0 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
