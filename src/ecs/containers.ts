/**
 * The containers of one ECS task, derived from a service (or job) declaration without any AWS construct:
 * the app container first, then the Cloud SQL Auth Proxy and the declared sidecars (each one a container the
 * app `dependsOn`, so it starts first, as a native sidecar does on GKE).
 */
import { cloudSqlListeners, CLOUD_SQL_HEALTH_PORT, CLOUD_SQL_PROXY_NAME, SIDECAR_DEFAULT_CPU } from '../declaration/sidecar-defaults.js';
import type { CloudSqlDeclaration, SecretRef, SidecarDeclaration } from '../declaration/types.js';
import { cpuUnits, mebibytes } from './units.js';

/** The Cloud SQL Auth Proxy image and resources berth's GKE rendering uses (src/constructs/sidecars.ts). */
export const CLOUD_SQL_PROXY_IMAGE = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.25.4';
export const CLOUD_SQL_PROXY_RESOURCES = { memory: '128Mi', cpu: '100m' } as const;
/** The Secrets Manager secret (under the secret prefix) holding the proxy's service-account key, JSON key `credentials`. */
export const CLOUD_SQL_KEY_SECRET: SecretRef = { secret: 'cloud-sql-proxy', key: 'credentials' };

export interface PortSpec {
  /** Port mapping name (Service Connect refers to it). */
  readonly name: string;
  readonly containerPort: number;
  readonly appProtocol?: 'http' | 'http2' | 'grpc';
}

/** One container definition, in ECS terms. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** CPU units (request × 1024). */
  readonly cpu: number;
  /** Soft memory (the request), MiB. */
  readonly memoryReservationMiB: number;
  /** Hard memory (the limit), MiB. */
  readonly memoryLimitMiB: number;
  /** Kubernetes `command` (ECS `entryPoint`). */
  readonly entryPoint?: readonly string[];
  /** Kubernetes `args` (ECS `command`). */
  readonly command?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, SecretRef>>;
  readonly ports: readonly PortSpec[];
  /** Containers that must have started before this one. */
  readonly dependsOn: readonly string[];
}

/** What the app container is built from (a service, or a resolved job). */
export interface AppSource {
  readonly name: string;
  readonly image: string;
  readonly memory: string;
  readonly memoryLimit?: string;
  readonly cpu: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly secretEnv?: Readonly<Record<string, SecretRef>>;
  readonly sidecars?: readonly SidecarDeclaration[];
  readonly cloudSql?: CloudSqlDeclaration;
}

/** Every container of the task: app first, then the proxy, then declared sidecars. */
export function containersOf(source: AppSource, ports: readonly PortSpec[]): ContainerSpec[] {
  const sidecars = [...(source.cloudSql ? [cloudSqlProxy(source.cloudSql)] : []), ...(source.sidecars ?? []).map(sidecar)];
  const app: ContainerSpec = {
    name: source.name,
    image: source.image,
    cpu: cpuUnits(source.cpu),
    memoryReservationMiB: mebibytes(source.memory),
    memoryLimitMiB: mebibytes(source.memoryLimit ?? source.memory),
    entryPoint: source.command,
    command: source.args,
    environment: source.env ?? {},
    secrets: source.secretEnv ?? {},
    ports,
    dependsOn: sidecars.map((c) => c.name),
  };
  return [app, ...sidecars];
}

function sidecar(c: SidecarDeclaration): ContainerSpec {
  const memory = mebibytes(c.memory);
  return {
    name: c.name,
    image: c.image,
    cpu: cpuUnits(c.cpu ?? SIDECAR_DEFAULT_CPU),
    memoryReservationMiB: memory,
    memoryLimitMiB: memory,
    entryPoint: c.command,
    command: c.args,
    environment: c.env ?? {},
    secrets: c.secretEnv ?? {},
    ports: c.port === undefined ? [] : [{ name: `${c.name}-${c.port}`, containerPort: c.port }],
    dependsOn: [],
  };
}

/** The proxy as on GKE, except its credentials: a service-account key from Secrets Manager (no Workload Identity on AWS). */
function cloudSqlProxy(cloudSql: CloudSqlDeclaration): ContainerSpec {
  const memory = mebibytes(CLOUD_SQL_PROXY_RESOURCES.memory);
  return {
    name: CLOUD_SQL_PROXY_NAME,
    image: CLOUD_SQL_PROXY_IMAGE,
    cpu: cpuUnits(CLOUD_SQL_PROXY_RESOURCES.cpu),
    memoryReservationMiB: memory,
    memoryLimitMiB: memory,
    command: [
      '--structured-logs',
      '--exit-zero-on-sigterm',
      '--health-check',
      '--http-address=0.0.0.0',
      `--http-port=${CLOUD_SQL_HEALTH_PORT}`,
      ...(cloudSql.privateIp ? ['--private-ip'] : []),
      ...cloudSqlListeners(cloudSql).map(([instance, port]) => `${instance}?port=${port}`),
    ],
    environment: {},
    secrets: { CSQL_PROXY_JSON_CREDENTIALS: CLOUD_SQL_KEY_SECRET },
    ports: [],
    dependsOn: [],
  };
}

/** Totals of a task's containers. */
export function totals(containers: readonly ContainerSpec[]): { cpu: number; reservation: number; limit: number } {
  return containers.reduce((t, c) => ({ cpu: t.cpu + c.cpu, reservation: t.reservation + c.memoryReservationMiB, limit: t.limit + c.memoryLimitMiB }), {
    cpu: 0,
    reservation: 0,
    limit: 0,
  });
}
