import type { Container, EnvVar, Probe, Quantity, SecurityContext, VolumeMount } from './k8s-types.js';
import {
  CLOUD_SQL_HEALTH_PORT,
  CLOUD_SQL_PROXY_NAME,
  CLOUD_SQL_PROXY_RESOURCES,
  cloudSqlListeners,
  SIDECAR_DEFAULT_CPU,
} from '../declaration/sidecar-defaults.js';
import type { CloudSqlDeclaration, InitContainerDeclaration, ServiceDeclaration, SidecarDeclaration } from '../declaration/types.js';
import { int, qty } from './kube.js';

/*
 * Native sidecars (KEP-753, on by default since Kubernetes 1.29, GKE ≥ 1.29): init containers with
 * `restartPolicy: Always` start before the app container, in order, each one waiting for the previous
 * one's startup probe; they keep running next to the app and are stopped after it. A Job's pod
 * completes when its main container exits. The 1.27 structs cdk8s-plus-27 ships have no container
 * `restartPolicy`, so it is added to the plain JSON (as WebService does for `preStop.sleep`).
 */

/** A container with the field the 1.27 structs lack. */
export type SidecarContainer = Container & { readonly restartPolicy: 'Always' };

/** The Cloud SQL Auth Proxy v2, pinned (bump deliberately; release notes: GoogleCloudPlatform/cloud-sql-proxy). */
export const CLOUD_SQL_PROXY_IMAGE = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.25.4';

/** The proxy's resources (resolved in the declaration: quota checks count them too). */
export { CLOUD_SQL_PROXY_RESOURCES };

/** A sidecar's local disk (logs; its /tmp shares the pod's /tmp emptyDir limit). */
export const SIDECAR_EPHEMERAL_STORAGE = { request: '64Mi', limit: '256Mi' };

/** The same restricted security context as the app container (pod-template.ts); UID/GID come from the pod. */
const RESTRICTED: SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** What decides a pod's init containers: a service's `sidecars`, `init` and `cloudSql` (a job inherits `cloudSql` from its service). */
export type SidecarSource = Pick<ServiceDeclaration, 'sidecars' | 'cloudSql' | 'init'>;

/**
 * The pod's `initContainers`: the Cloud SQL Auth Proxy first (when `cloudSql` is set, so the init steps, the
 * app and the other sidecars start once it is up: an init step may migrate or wait for the database), then
 * the plain `init` steps in order (each runs to completion before the next container starts), then the
 * declared native sidecars in order (started after the init steps, so an init step cannot rely on them).
 * `tmpVolume` names the pod's /tmp emptyDir: each declared sidecar gets a private, writable /tmp in it.
 * Undefined when there is none (no empty `initContainers` list in the manifest).
 */
export function sidecarContainers(pod: SidecarSource, tmpVolume: string, shared: readonly VolumeMount[] = []): Container[] | undefined {
  const containers = [
    ...(pod.cloudSql ? [cloudSqlProxyContainer(pod.cloudSql)] : []),
    ...(pod.init ?? []).map((c) => initContainer(c, tmpVolume, shared)),
    ...(pod.sidecars ?? []).map((c) => sidecarContainer(c, tmpVolume)),
  ];
  return containers.length > 0 ? containers : undefined;
}

/**
 * A plain init step (no `restartPolicy`: runs to completion), with the sidecars' security, resources and private
 * /tmp, plus the app container's declared volumes (`shared`: mounts, writable paths, storage), so a step can
 * prepare files the app reads (copy assets into a writable path, fix up a data directory).
 */
function initContainer(c: InitContainerDeclaration, tmpVolume: string, shared: readonly VolumeMount[]): Container {
  const { restartPolicy: _r, ports: _p, volumeMounts: _v, ...rest } = sidecarContainer(c, tmpVolume);
  return { ...rest, volumeMounts: [{ name: tmpVolume, mountPath: '/tmp', subPath: `init-${c.name}` }, ...shared] };
}

function sidecarContainer(c: SidecarDeclaration, tmpVolume: string): SidecarContainer {
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: pullPolicy(c.image),
    restartPolicy: 'Always',
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    ports: c.port !== undefined ? [{ containerPort: c.port, protocol: 'TCP' }] : undefined,
    env: envVars(c),
    resources: resources(c.memory, c.cpu ?? SIDECAR_DEFAULT_CPU),
    securityContext: RESTRICTED,
    // A read-only root filesystem breaks most images that write temporary files: a private /tmp, inside
    // the pod's /tmp emptyDir (one size limit for the pod), which the app container does not share.
    volumeMounts: [{ name: tmpVolume, mountPath: '/tmp', subPath: `sidecar-${c.name}` }],
  };
}

/**
 * The Cloud SQL Auth Proxy v2: one listener per instance on 127.0.0.1 (5432, 5433, …, in declared order),
 * authenticated by Workload Identity; its startup probe holds the app until the proxy is up. It writes
 * nothing to disk (TCP listeners, no Unix sockets), so it gets no /tmp.
 */
export function cloudSqlProxyContainer(cloudSql: CloudSqlDeclaration): SidecarContainer {
  return {
    name: CLOUD_SQL_PROXY_NAME,
    image: CLOUD_SQL_PROXY_IMAGE,
    imagePullPolicy: pullPolicy(CLOUD_SQL_PROXY_IMAGE),
    restartPolicy: 'Always',
    args: [
      '--structured-logs',
      // Stopped after the app (native sidecar): a SIGTERM then is the normal end, not a failure.
      '--exit-zero-on-sigterm',
      '--health-check',
      '--http-address=0.0.0.0',
      `--http-port=${CLOUD_SQL_HEALTH_PORT}`,
      ...(cloudSql.privateIp ? ['--private-ip'] : []),
      ...cloudSqlListeners(cloudSql).map(([instance, port]) => `${instance}?port=${port}`),
    ],
    resources: resources(CLOUD_SQL_PROXY_RESOURCES.memory, CLOUD_SQL_PROXY_RESOURCES.cpu),
    securityContext: RESTRICTED,
    // Up to 60 s for the first start (the Workload Identity token and certificates), checked every second.
    startupProbe: proxyProbe('/startup', { periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60 }),
    // The proxy's own advice: 5 × 60 s covers its certificate refresh window before a restart.
    livenessProbe: proxyProbe('/liveness', { periodSeconds: 60, timeoutSeconds: 30, failureThreshold: 5 }),
  };
}

function proxyProbe(path: string, timing: Pick<Probe, 'periodSeconds' | 'timeoutSeconds' | 'failureThreshold'>): Probe {
  return { httpGet: { path, port: int(CLOUD_SQL_HEALTH_PORT) }, ...timing };
}

/** Tags can be re-pushed, digests cannot (the app container's rule). */
function pullPolicy(image: string): string {
  return image.includes('@sha256:') ? 'IfNotPresent' : 'Always';
}

/** Memory request = limit (no overcommit), CPU request only, bounded local disk. */
function resources(memory: string, cpu: string): Container['resources'] {
  const limits: Record<string, Quantity> = { memory: qty(memory), 'ephemeral-storage': qty(SIDECAR_EPHEMERAL_STORAGE.limit) };
  return { requests: { cpu: qty(cpu), memory: qty(memory), 'ephemeral-storage': qty(SIDECAR_EPHEMERAL_STORAGE.request) }, limits };
}

/** Secret references first, then plain values, each in declared order: a `$(NAME)` value can use a secret. */
function envVars(c: SidecarDeclaration): EnvVar[] | undefined {
  const secret: EnvVar[] = Object.entries(c.secretEnv ?? {}).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } }));
  const plain: EnvVar[] = Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value }));
  const all = [...secret, ...plain];
  return all.length > 0 ? all : undefined;
}
