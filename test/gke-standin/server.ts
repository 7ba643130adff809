/**
 * A local stand-in for the GKE Cluster Manager API, speaking the REST transport that `@google-cloud/container`
 * uses with `{ fallback: true }`: `GET /v1/projects/{p}/locations/{l}/clusters/{c}` with a bearer token, JSON Cluster
 * (lowerCamelCase) back, Google-style JSON errors. Point the client at it with `apiEndpoint`/`port`/`protocol: 'http'`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandinOptions {
  /** Cluster JSON by resource name `projects/p/locations/l/clusters/c`. */
  readonly clusters: Readonly<Record<string, Record<string, unknown>>>;
  /** Accepts a bearer token (the test's token source must have produced it). */
  readonly acceptToken: (token: string) => boolean;
}

export interface SeenRequest { readonly method: string; readonly url: string; readonly authorization?: string }

export interface Standin {
  readonly host: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

function sendError(res: ServerResponse, code: number, status: string, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify({ error: { code, message, status } }));
}

function handle(opts: StandinOptions, seen: SeenRequest[], req: IncomingMessage, res: ServerResponse): void {
  const auth = req.headers.authorization;
  seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: auth });
  const url = new URL(req.url ?? '/', 'http://standin');
  const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+)$/.exec(url.pathname);
  if (!auth?.startsWith('Bearer ') || !opts.acceptToken(auth.slice(7))) {
    return sendError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
  }
  if (req.method !== 'GET' || !m) return sendError(res, 404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
  const cluster = opts.clusters[m[1]!];
  if (!cluster) return sendError(res, 404, 'NOT_FOUND', `Not found: ${m[1]}.`);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(cluster));
}

export async function startGkeStandin(opts: StandinOptions): Promise<Standin> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(opts, requests, req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1', port, requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A Cluster like GKE returns for a public cluster whose API server is `server` (https://host:port) with CA `caData`. */
export function publicCluster(name: string, server: string, caData: string): Record<string, unknown> {
  const host = new URL(server).host;
  return {
    name, status: 'RUNNING', endpoint: host, location: 'europe-west1',
    masterAuth: { clusterCaCertificate: caData },
    controlPlaneEndpointsConfig: {
      ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true, publicEndpoint: host, privateEndpoint: '10.0.0.2' },
      dnsEndpointConfig: { endpoint: `gke-0123456789abcdef.europe-west1.gke.goog`, allowExternalTraffic: false },
    },
  };
}
