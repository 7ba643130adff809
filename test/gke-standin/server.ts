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
  /**
   * Also play Google's STS token endpoint (`POST /v1/token`, RFC 8693 exchange as used by `external_account`
   * Application Default Credentials): answers with this access token.
   */
  readonly stsAccessToken?: () => string;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
}

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
  if (req.method === 'POST' && url.pathname === '/v1/token' && opts.stsAccessToken) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: opts.stsAccessToken(),
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      }),
    );
    return;
  }
  const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+)$/.exec(url.pathname);
  if (!auth?.startsWith('Bearer ') || !opts.acceptToken(auth.slice(7))) {
    return sendError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
  }
  if (req.method !== 'GET' || !m) return sendError(res, 404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
  const cluster = opts.clusters[m[1]];
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
    host: '127.0.0.1',
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An `external_account` ADC file whose token exchange goes to the stand-in: the CLI's real ADC path
 * (google-auth-library reads GOOGLE_APPLICATION_CREDENTIALS) without reaching Google.
 */
export function externalAccountCredentials(standin: Standin, subjectTokenFile: string): Record<string, unknown> {
  return {
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/local',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `http://${standin.host}:${standin.port}/v1/token`,
    credential_source: { file: subjectTokenFile },
  };
}

/** A Cluster like GKE returns for a public cluster whose API server is `server` (https://host:port) with CA `caData`. */
export function publicCluster(name: string, server: string, caData: string): Record<string, unknown> {
  const host = new URL(server).host;
  return {
    name,
    status: 'RUNNING',
    endpoint: host,
    location: 'europe-west1',
    masterAuth: { clusterCaCertificate: caData },
    controlPlaneEndpointsConfig: {
      ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true, publicEndpoint: host, privateEndpoint: '10.0.0.2' },
      dnsEndpointConfig: { endpoint: `gke-0123456789abcdef.europe-west1.gke.goog`, allowExternalTraffic: false },
    },
  };
}
