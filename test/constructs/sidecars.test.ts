import { CLOUD_SQL_PROXY_IMAGE, cloudSqlProxyContainer, sidecarContainers } from '../../src/constructs/sidecars.js';
import { renderPlatform } from '../../src/render/render.js';
import type { ServiceDeclaration } from '../../src/declaration/types.js';
import { env, find, platform, service } from '../helpers.js';

const GSA = 'api-runner@acme-prod.iam.gserviceaccount.com';
const SHIPPER = { name: 'log-shipper', image: 'registry.example.com/shipper:2.1.0', memory: '64Mi' } as const;

const podOf = (overrides: Partial<ServiceDeclaration>) =>
  find(env(renderPlatform(platform([service(overrides)])), 'production').objects, 'Deployment', 'api').spec.template.spec;

describe('sidecars', () => {
  test('a sidecar is a native sidecar: an init container with restartPolicy Always, next to the app container', () => {
    // GIVEN a service with one sidecar WHEN rendered
    const pod = podOf({ sidecars: [{ ...SHIPPER, args: ['--to', 'stdout'], port: 9100 }] });
    // THEN the app stays the only regular container and the sidecar is an init container that keeps running
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['api']);
    expect(pod.initContainers).toHaveLength(1);
    const sidecar = pod.initContainers[0];
    expect(sidecar).toMatchObject({ name: 'log-shipper', image: SHIPPER.image, restartPolicy: 'Always', args: ['--to', 'stdout'], imagePullPolicy: 'Always' });
    expect(sidecar.ports).toEqual([{ containerPort: 9100, protocol: 'TCP' }]);
    expect(sidecar.command).toBeUndefined();
  });

  test("a sidecar has exactly the app container's restricted security context", () => {
    const pod = podOf({ sidecars: [SHIPPER], cloudSql: { instances: ['acme-prod:europe-west1:main-db'] }, gcpServiceAccount: GSA });
    for (const c of pod.initContainers) expect(c.securityContext).toEqual(pod.containers[0].securityContext);
    expect(pod.initContainers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('memory request = limit, CPU request only (50m by default), bounded local disk', () => {
    const pod = podOf({ sidecars: [SHIPPER, { ...SHIPPER, name: 'metrics', memory: '32Mi', cpu: '20m' }] });
    expect(pod.initContainers[0].resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
      limits: { memory: '64Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(pod.initContainers[1].resources.requests.cpu).toBe('20m');
    expect(pod.initContainers[1].resources.limits.cpu).toBeUndefined();
  });

  test("each sidecar gets a private writable /tmp inside the pod's /tmp volume", () => {
    const pod = podOf({ sidecars: [SHIPPER] });
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp', subPath: 'sidecar-log-shipper' }]);
    expect(pod.volumes.map((v: { name: string }) => v.name)).toContain('tmp');
  });

  test('env: Secret references first, then plain values, each in declared order', () => {
    const pod = podOf({
      sidecars: [{ ...SHIPPER, env: { Z: '1', DSN: 'user:$(PASS)@x', A: '2' }, secretEnv: { PASS: { secret: 'shipper', key: 'password' } } }],
    });
    expect(pod.initContainers[0].env).toEqual([
      { name: 'PASS', valueFrom: { secretKeyRef: { name: 'shipper', key: 'password' } } },
      { name: 'Z', value: '1' },
      { name: 'DSN', value: 'user:$(PASS)@x' },
      { name: 'A', value: '2' },
    ]);
  });

  test('no sidecar: no initContainers field at all', () => {
    expect(podOf({}).initContainers).toBeUndefined();
    expect(sidecarContainers({}, 'tmp')).toBeUndefined();
  });
});

describe('cloudSql', () => {
  const cloudSql = { instances: ['acme-prod:europe-west1:main-db', 'acme-prod:europe-west1:reports'] };

  test('adds the pinned Cloud SQL Auth Proxy v2 first, one listener per instance from port 5432', () => {
    // GIVEN a service with two instances and a sidecar WHEN rendered
    const pod = podOf({ cloudSql, gcpServiceAccount: GSA, sidecars: [SHIPPER] });
    // THEN the proxy is the first native sidecar, so the app and the other sidecars start after it is up
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['cloud-sql-proxy', 'log-shipper']);
    const proxy = pod.initContainers[0];
    expect(proxy.image).toBe(CLOUD_SQL_PROXY_IMAGE);
    expect(proxy.image).toMatch(/^gcr\.io\/cloud-sql-connectors\/cloud-sql-proxy:2\.\d+\.\d+$/);
    expect(proxy.restartPolicy).toBe('Always');
    // AND listeners are explicit: the first instance on 5432, the second on 5433
    expect(proxy.args).toEqual([
      '--structured-logs',
      '--exit-zero-on-sigterm',
      '--health-check',
      '--http-address=0.0.0.0',
      '--http-port=9801',
      'acme-prod:europe-west1:main-db?port=5432',
      'acme-prod:europe-west1:reports?port=5433',
    ]);
  });

  test('privateIp adds --private-ip', () => {
    expect(cloudSqlProxyContainer({ ...cloudSql, privateIp: true }).args).toContain('--private-ip');
    expect(cloudSqlProxyContainer({ ...cloudSql, privateIp: false }).args).not.toContain('--private-ip');
  });

  test('the startup probe (/startup) gates the app; liveness on /liveness; both on the health port', () => {
    const proxy = cloudSqlProxyContainer(cloudSql);
    expect(proxy.startupProbe).toEqual({ httpGet: { path: '/startup', port: 9801 }, periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 60 });
    expect(proxy.livenessProbe).toEqual({ httpGet: { path: '/liveness', port: 9801 }, periodSeconds: 60, timeoutSeconds: 30, failureThreshold: 5 });
    expect(proxy.readinessProbe).toBeUndefined();
  });

  test('resources 128Mi / 100m, memory request = limit; non-root, read-only root, no /tmp', () => {
    const proxy = podOf({ cloudSql, gcpServiceAccount: GSA }).initContainers[0];
    expect(proxy.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { memory: '128Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(proxy.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(proxy.volumeMounts).toBeUndefined();
  });

  test('Workload Identity: the service account the proxy runs as is annotated with the GSA', () => {
    const objects = env(renderPlatform(platform([service({ cloudSql, gcpServiceAccount: GSA })])), 'production').objects;
    expect(find(objects, 'ServiceAccount', 'api').metadata.annotations['iam.gke.io/gcp-service-account']).toBe(GSA);
    expect(find(objects, 'Deployment', 'api').spec.template.spec.serviceAccountName).toBe('api');
  });

  test('requires gcpServiceAccount: rendering without it fails with the fix', () => {
    expect(() => renderPlatform(platform([service({ cloudSql })]))).toThrow(/services\[0\]\.cloudSql .*needs "gcpServiceAccount".*roles\/cloudsql\.client/);
  });

  test("a job can reuse the proxy from its service's declaration alone", () => {
    // GIVEN only the cloudSql field of a service (what a job inherits) THEN the same proxy container comes out
    const [proxy] = sidecarContainers({ cloudSql }, 'tmp')!;
    expect(proxy).toEqual(cloudSqlProxyContainer(cloudSql));
  });
});

describe('init steps', () => {
  const STEP = { name: 'wait-for-db', image: 'registry.example.com/wait:1.0.0', command: ['/wait', 'db:5432'], memory: '32Mi' } as const;

  test('order: the Cloud SQL Auth Proxy, then the init steps (run to completion), then the native sidecars', () => {
    // GIVEN a service with cloudSql, an init step and a sidecar WHEN rendered
    const pod = podOf({ gcpServiceAccount: GSA, cloudSql: { instances: ['acme-prod:europe-west1:main-db'] }, init: [STEP], sidecars: [SHIPPER] });
    // THEN the proxy comes first, the init step has no restartPolicy, the sidecar keeps Always
    expect(pod.initContainers.map((c: { name: string; restartPolicy?: string }) => [c.name, c.restartPolicy])).toEqual([
      ['cloud-sql-proxy', 'Always'],
      ['wait-for-db', undefined],
      ['log-shipper', 'Always'],
    ]);
  });

  test('an init step gets the restricted security context and memory-first resources of a sidecar, and no port', () => {
    const step = podOf({ init: [{ ...STEP, cpu: '20m', env: { TIMEOUT: '60' } }] }).initContainers[0];
    expect(step).toMatchObject({ name: 'wait-for-db', image: STEP.image, command: ['/wait', 'db:5432'], env: [{ name: 'TIMEOUT', value: '60' }] });
    expect(step.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(step.resources).toEqual({
      requests: { cpu: '20m', memory: '32Mi', 'ephemeral-storage': '64Mi' },
      limits: { memory: '32Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(step.ports).toBeUndefined();
    expect(sidecarContainers({ init: [STEP] }, 'tmp')).toHaveLength(1);
  });

  test("an init step mounts the app's writable paths and mounts, so it can prepare files for the app", () => {
    // GIVEN an assets step and a writable path WHEN rendered
    const pod = podOf({ writable: { '/app/public/packs': '256Mi' }, mounts: [{ path: '/etc/app', configMap: 'app-config' }], init: [STEP] });
    // THEN the step sees the same volumes as the app, after its private /tmp
    expect(pod.initContainers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp', subPath: 'init-wait-for-db' },
      { name: 'config-etc-app', mountPath: '/etc/app', readOnly: true },
      { name: 'scratch-app-public-packs', mountPath: '/app/public/packs' },
    ]);
  });
});
