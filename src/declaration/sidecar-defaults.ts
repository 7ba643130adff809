import type { CloudSqlDeclaration } from './types.js';

/*
 * Facts about sidecars that both the validator (port and name clashes) and the constructs (rendering) need,
 * resolved here once. Everything about how the proxy is rendered (image, flags, probes) is in
 * src/constructs/sidecars.ts.
 */

/** CPU request of a sidecar that declares none: enough for a log shipper or a small proxy. */
export const SIDECAR_DEFAULT_CPU = '50m';

/** The Cloud SQL Auth Proxy's resources: memory grows with open connections, CPU with traffic; enough for a typical app pod. */
export const CLOUD_SQL_PROXY_RESOURCES = { memory: '128Mi', cpu: '100m' };

/** Name of the Cloud SQL Auth Proxy container (reserved: no sidecar may use it when `cloudSql` is set). */
export const CLOUD_SQL_PROXY_NAME = 'cloud-sql-proxy';

/** The proxy's first database listener, on 127.0.0.1: the i-th instance listens on `5432 + i`. */
export const CLOUD_SQL_FIRST_PORT = 5432;

/** The proxy's health-check HTTP server (`/startup`, `/liveness`, `/readiness`), on 0.0.0.0 for the kubelet. */
export const CLOUD_SQL_HEALTH_PORT = 9801;

/** `[instance, port]` for each instance, in declared order. */
export function cloudSqlListeners(cloudSql: CloudSqlDeclaration): [instance: string, port: number][] {
  return cloudSql.instances.map((instance, i) => [instance, CLOUD_SQL_FIRST_PORT + i]);
}
