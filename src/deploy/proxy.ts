/**
 * kubeconfig `proxy-url` (http:// proxies): an https.Agent whose sockets are HTTP CONNECT tunnels through the proxy
 * (kept alive and reused like direct ones), through Node's documented `agent.createConnection(options, callback)`.
 * Plain-http API servers are reached with absolute-form requests to the proxy instead (see client.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** How long the proxy may take to open a tunnel. */
const CONNECT_TIMEOUT_MS = 30_000;

/** `Proxy-Authorization` for a proxy URL with user info (`http://user:pass@host:port`). */
export function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** The proxy as shown in messages: no user info. */
export function shownProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

export class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const done = callback ?? (() => undefined);
    const host = options.host ?? options.hostname ?? 'localhost';
    const target = `${isIP(host) === 6 ? `[${host}]` : host}:${options.port ?? 443}`;
    const connect = http.request({
      host: this.proxy.hostname,
      port: Number(this.proxy.port || 80),
      method: 'CONNECT',
      path: target,
      agent: false,
      headers: { Host: target, ...proxyAuthorization(this.proxy) },
      timeout: CONNECT_TIMEOUT_MS,
    });
    const fail = (message: string, code: string) =>
      done(Object.assign(new Error(`proxy ${shownProxy(this.proxy)}: ${message}`), { code }), undefined as unknown as Duplex);
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return fail(`CONNECT ${target} answered HTTP ${res.statusCode}`, 'EPROXY');
      }
      const servername = options.servername ?? (isIP(host) ? undefined : host);
      const { path: _path, ...rest } = options; // with a socket given, `path` would only confuse (it names an IPC path)
      done(null, tls.connect({ ...(rest as tls.ConnectionOptions), socket, ...(servername ? { servername } : {}) }));
    });
    connect.once('timeout', () => connect.destroy(Object.assign(new Error('CONNECT timed out'), { code: 'ETIMEDOUT' })));
    // EPROXY (not the socket's own code): "connection refused" must not read as the API server refusing, and a dead
    // proxy is reported at once, not retried
    connect.once('error', (err: NodeJS.ErrnoException) => fail(err.message, 'EPROXY'));
    connect.end();
    return undefined;
  }
}
