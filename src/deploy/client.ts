/**
 * A small Kubernetes API client: raw HTTP with the KubeConfig's TLS, proxy and auth (so request bodies reach the
 * server untouched and `fieldValidation=Strict` can see typos), bounded concurrency, retries honouring `Retry-After`,
 * and request/write counters. The connection settings come from connection.ts (berth's own kubeconfig model).
 */
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { createGunzip } from 'node:zlib';
import type { Kubeconfig } from './kubeconfig-model.js';
import { Connection, type Prepared, type TlsMaterial } from './connection.js';
import { TunnelAgent, proxyAuthorization } from './proxy.js';
import { DEFAULT_RETRY, type RetryPolicy, isRetryableNetworkError, isRetryableStatus, parseRetryAfter, retryDelay, sleep } from './retry.js';

export interface KubeRequest {
  readonly method: 'GET' | 'PATCH' | 'DELETE' | 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  /** Return the body as text (pod logs), not parsed JSON. @default false */
  readonly raw?: boolean;
  /** Socket timeout of this request. @default the client's */
  readonly timeoutMs?: number;
  /** Attempts for this request (1: no retry). @default the client's retry policy */
  readonly maxAttempts?: number;
  /** Send even after the client's signal aborted (cleanup after Ctrl-C, e.g. releasing a lease). @default false */
  readonly ignoreAbort?: boolean;
  /** Coordination traffic (the deploy lease): counted in `counters.lease`, not as requests or writes. @default false */
  readonly lease?: boolean;
}

export interface Counters {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Mutating requests that were not dry runs (each may change resourceVersion). */
  writes: number;
  dryRuns: number;
  retries: number;
  /** Requests for the deploy lease (acquire, renew, release), kept out of the counts above. */
  lease: number;
  /** Answers that came gzip-compressed (the server compresses large ones; see `Connection.compression`). */
  gzipped: number;
}

export interface ClientOptions {
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  /**
   * Bound on one request including its retries (connect and response): no attempt starts, and no attempt lasts,
   * past it. Deploy passes `--timeout`. @default none (only `timeoutMs` per attempt)
   */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** Environment exec credential plugins inherit. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A person at the terminal: exec plugins may prompt. @default false */
  readonly interactive?: boolean;
  /** Called before each retry (for logs). */
  readonly onRetry?: (info: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
}

export interface StatusCause {
  readonly field?: string;
  readonly message?: string;
  readonly reason?: string;
}

/** An error answer from the API server (a `Status` object), or an unreachable server. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    readonly causes: readonly StatusCause[] = [],
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /**
   * The server refused this object (retrying cannot help). kube-apiserver answers an apply whose fields are not in
   * the schema with HTTP 500 "failed to create typed patch object …: field not declared in schema": that is a rejection too.
   */
  get rejected(): boolean {
    if (this.status === 500) return TYPED_PATCH_ERROR.test(this.message);
    return this.status >= 400 && this.status < 500 && ![401, 403, 429].includes(this.status);
  }
}

const TYPED_PATCH_ERROR = /failed to create typed patch object|field not declared in schema|strict decoding error/;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  prepared?: Prepared;
}

export class KubeClient {
  readonly counters: Counters = { requests: 0, writes: 0, dryRuns: 0, retries: 0, lease: 0, gzipped: 0 };
  readonly server: string;
  private readonly retry: RetryPolicy;
  private readonly limit: number;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private agent: http.Agent | undefined;
  private agentTls: TlsMaterial | undefined;
  /** Agents replaced after an exec plugin rotated the client certificate: closed with the client. */
  private readonly oldAgents: http.Agent[] = [];
  readonly connection: Connection;

  constructor(
    kc: Kubeconfig,
    private readonly options: ClientOptions = {},
  ) {
    this.connection = new Connection(kc, { env: options.env, interactive: options.interactive });
    this.server = this.connection.server;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.limit = options.concurrency ?? 16;
    // every in-flight request listens for Ctrl-C on the same signal
    if (options.signal) setMaxListeners(Math.max(64, this.limit * 4), options.signal);
  }

  /** Sends a request (retrying 429/5xx/network errors) and returns the parsed JSON body. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const url = this.url(req);
    const deadline = this.options.deadlineMs === undefined ? Infinity : Date.now() + this.options.deadlineMs;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let failure: { reason: string; retryAfterMs?: number; error: Error };
      try {
        const res = await this.limited(() => this.send(req, url, deadline));
        if (res.status < 400) return (req.raw ? res.text : res.text ? JSON.parse(res.text) : {}) as T;
        // a plugin credential the server no longer accepts: run the plugin again, once, and resend at once
        if (res.status === 401 && !refreshed && res.prepared && this.connection.invalidate(res.prepared)) {
          refreshed = true;
          attempt--;
          continue;
        }
        const error = toApiError(req, res);
        if (!isRetryableStatus(res.status) || error.rejected) throw error;
        failure = { reason: `HTTP ${res.status}`, retryAfterMs: parseRetryAfter(header(res.headers, 'retry-after')), error };
      } catch (err) {
        if (err instanceof KubeApiError || !isRetryableNetworkError(err)) throw wrapNetwork(err, shownServer(this.server));
        failure = { reason: (err as { code?: string }).code ?? 'network error', error: wrapNetwork(err, shownServer(this.server)) };
      }
      const delayMs = retryDelay(this.retry, attempt, failure.retryAfterMs);
      if (attempt >= (req.maxAttempts ?? this.retry.maxAttempts)) throw withAttempts(failure.error, attempt);
      if (Date.now() + delayMs >= deadline) throw withAttempts(failure.error, attempt, this.options.deadlineMs);
      this.counters.retries++;
      this.options.onRetry?.({ method: req.method, path: req.path, attempt, delayMs, reason: failure.reason });
      await sleep(delayMs, req.ignoreAbort ? undefined : this.options.signal);
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const a of [this.agent, ...this.oldAgents.splice(0)]) a?.destroy();
    this.agent = undefined;
    this.agentTls = undefined;
  }

  private url(req: KubeRequest): URL {
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url;
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.queue.shift()?.();
    }
  }

  private async send(req: KubeRequest, url: URL, deadline = Infinity): Promise<RawResponse> {
    const prepared = await this.connection.prepare();
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'berth', ...prepared.headers };
    // the API server gzips answers over 128 KiB: a namespace's LISTs shrink about 16× on the wire
    if (this.connection.compression) headers['Accept-Encoding'] = 'gzip';
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    this.count(req, url);
    const agent = this.agentFor(url, prepared.tls);
    const timeout = Math.max(1, Math.min(req.timeoutMs ?? this.options.timeoutMs ?? 60_000, deadline - Date.now()));
    const signal = req.ignoreAbort ? undefined : this.options.signal;
    const proxy = this.connection.proxy;
    const res =
      proxy && url.protocol === 'http:'
        ? // a plain-http server behind the proxy: absolute-form request to the proxy (RFC 9112 3.2.2)
          await rawRequest(
            url,
            {
              host: proxy.hostname,
              port: Number(proxy.port || 80),
              path: url.href,
              method: req.method,
              headers: { ...headers, Host: url.host, ...proxyAuthorization(proxy) },
              agent,
              timeout,
              signal,
            },
            body,
          )
        : await rawRequest(url, { method: req.method, headers, agent, timeout, signal }, body);
    if (header(res.headers, 'content-encoding') === 'gzip') this.counters.gzipped++;
    return { ...res, prepared };
  }

  private count(req: KubeRequest, url: URL): void {
    if (req.lease) return void this.counters.lease++;
    this.counters.requests++;
    if (req.method === 'GET') return;
    if (url.searchParams.get('dryRun') === 'All') this.counters.dryRuns++;
    else this.counters.writes++;
  }

  /** One keep-alive agent per TLS setting (a new one only when an exec plugin rotates the client certificate). */
  private agentFor(url: URL, tls: TlsMaterial): http.Agent {
    if (this.agent && this.agentTls === tls) return this.agent;
    if (this.agent) this.oldAgents.push(this.agent);
    const common = { keepAlive: true, maxSockets: this.limit + 4 };
    const proxy = this.connection.proxy;
    const secure = { ...common, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized, servername: tls.servername };
    this.agent = url.protocol === 'http:' ? new http.Agent(common) : proxy ? new TunnelAgent(proxy, secure) : new https.Agent(secure);
    this.agentTls = tls;
    return this.agent;
  }
}

function rawRequest(url: URL, options: https.RequestOptions, body: string | undefined): Promise<RawResponse> {
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const cb = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      const body = header(res.headers, 'content-encoding') === 'gzip' ? res.pipe(createGunzip()) : res;
      body.on('data', (c: Buffer) => chunks.push(c));
      body.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
      if (body !== res) {
        body.on('error', (err) => {
          reject(err);
          req.destroy();
        });
      }
    };
    // through a proxy to a plain-http server the options name the proxy and carry the absolute URL as the path
    const req = options.path ? mod.request(options, cb) : mod.request(url, options, cb);
    // an absolute bound (connect and response), not only an idle one: a server that trickles bytes is cut off too
    const limit = options.timeout ?? 60_000;
    const timedOut = () => req.destroy(Object.assign(new Error(`no answer within ${Math.round(limit / 100) / 10}s`), { code: 'ETIMEDOUT' }));
    const timer = setTimeout(timedOut, limit);
    req.on('timeout', timedOut);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}

function header(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function toApiError(req: KubeRequest, res: RawResponse): KubeApiError {
  let status: { message?: string; reason?: string; details?: { causes?: StatusCause[] } } = {};
  try {
    status = JSON.parse(res.text) as typeof status;
  } catch {
    status = { message: res.text.slice(0, 300) };
  }
  const message = status.message || `HTTP ${res.status} for ${req.method} ${req.path}`;
  return new KubeApiError(message, res.status, status.reason, status.details?.causes ?? []);
}

/** The server URL as shown in messages: credentials in its userinfo (`https://user:pass@host`) replaced by `***`. */
export function shownServer(server: string): string {
  return server.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

function wrapNetwork(err: unknown, server: string): Error {
  if (err instanceof KubeApiError) return err;
  const e = err as { code?: string; message?: string; name?: string };
  if (e.name === 'AbortError') return err as Error;
  if (!e.code) return err as Error;
  return new KubeApiError(`cannot reach the Kubernetes API at ${server}: ${e.code} (${e.message ?? ''})`, 0, 'Unreachable');
}

function withAttempts(err: Error, attempts: number, deadlineMs?: number): Error {
  const bound = deadlineMs === undefined ? '' : ` within the ${Math.round(deadlineMs / 100) / 10}s timeout`;
  err.message = `${err.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}${bound})`;
  return err;
}
