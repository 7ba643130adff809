/** Finding a GKE cluster's API endpoint and CA with the Cluster Manager API (no gcloud). */
import type { ClusterManagerClient, protos } from '@google-cloud/container';
import type { GoogleAuth } from 'google-auth-library';

type Cluster = protos.google.container.v1.ICluster;

export interface GkeTarget {
  readonly project: string;
  readonly location: string;
  readonly cluster: string;
}

export type EndpointMode = 'public' | 'private' | 'dns';

export interface ClusterEndpoint {
  /** `https://host[:port]` */
  readonly server: string;
  /** Base64 PEM CA to pin; absent for the DNS endpoint (publicly trusted certificate). */
  readonly caData?: string;
  readonly mode: EndpointMode;
}

export interface GkeClientOptions {
  readonly auth: GoogleAuth;
  /** Host of the Cluster Manager API (tests point this at a local stand-in). */
  readonly apiEndpoint?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
}

/** The Cluster Manager API could not give the cluster's endpoint (not found, no permission, no usable endpoint): exit 6. */
export class GkeLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GkeLookupError';
  }
}

export function clusterResourceName(t: GkeTarget): string {
  return `projects/${t.project}/locations/${t.location}/clusters/${t.cluster}`;
}

/** Calls `getCluster` (REST transport) and picks the endpoint. */
export async function findCluster(target: GkeTarget, opts: GkeClientOptions, prefer?: EndpointMode): Promise<ClusterEndpoint> {
  // loaded on use: the library takes ~0.3 s (more on a busy machine) to import, a cost every other deploy would pay
  const { ClusterManagerClient: Client } = await import('@google-cloud/container');
  const client = new Client({
    fallback: true,
    // google-gax bundles its own google-auth-library 10.x; the GoogleAuth API it uses (fetch, getClient) is the same.
    auth: opts.auth as unknown as ConstructorParameters<typeof ClusterManagerClient>[0] extends infer O ? (O extends { auth?: infer A } ? A : never) : never,
    ...(opts.apiEndpoint ? { apiEndpoint: opts.apiEndpoint } : {}),
    ...(opts.port ? { port: opts.port } : {}),
    ...(opts.protocol ? { protocol: opts.protocol } : {}),
  });
  try {
    const [cluster] = await client.getCluster({ name: clusterResourceName(target) });
    return selectEndpoint(cluster, prefer);
  } catch (err) {
    throw new GkeLookupError(`cannot get GKE cluster ${clusterResourceName(target)}: ${(err as Error).message}`);
  } finally {
    await client.close();
  }
}

function dnsHost(c: Cluster): string | undefined {
  const dns = c.controlPlaneEndpointsConfig?.dnsEndpointConfig;
  return dns?.endpoint && dns.allowExternalTraffic !== false ? dns.endpoint : undefined;
}

function privateHost(c: Cluster): string | undefined {
  return c.controlPlaneEndpointsConfig?.ipEndpointsConfig?.privateEndpoint || c.privateClusterConfig?.privateEndpoint || undefined;
}

function publicHost(c: Cluster): string | undefined {
  const ip = c.controlPlaneEndpointsConfig?.ipEndpointsConfig;
  if (ip?.enabled === false || ip?.enablePublicEndpoint === false) return undefined;
  if (c.privateClusterConfig?.enablePrivateEndpoint) return undefined;
  return ip?.publicEndpoint || c.endpoint || undefined;
}

/**
 * Endpoint choice: the requested mode, else public IP, else DNS, else private IP.
 * The DNS endpoint (and any `*.gke.goog` host) gets no CA: it serves a publicly trusted certificate.
 */
export function selectEndpoint(c: Cluster, prefer?: EndpointMode): ClusterEndpoint {
  const hosts: Record<EndpointMode, string | undefined> = { public: publicHost(c), dns: dnsHost(c), private: privateHost(c) };
  const order: EndpointMode[] = prefer ? [prefer] : ['public', 'dns', 'private'];
  const mode = order.find((m) => hosts[m]);
  if (!mode) {
    const what = prefer ? `a ${prefer} endpoint` : 'any usable endpoint';
    throw new Error(`GKE cluster ${c.name ?? ''} has ${what === 'any usable endpoint' ? 'no usable endpoint' : `no ${prefer} endpoint`}`);
  }
  const host = hosts[mode] as string;
  const server = host.startsWith('https://') ? host : `https://${host}`;
  const noCa = mode === 'dns' || new URL(server).hostname.endsWith('.gke.goog');
  const ca = c.masterAuth?.clusterCaCertificate || undefined;
  return noCa || !ca ? { server, mode } : { server, caData: ca, mode };
}
