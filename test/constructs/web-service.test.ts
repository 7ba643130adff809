import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

const render = (...services: Parameters<typeof service>[0][]) => env(renderPlatform(platform(services.map((s) => service(s)))), 'production').objects;

describe('WebService', () => {
  test('a public service gets a Deployment, a NEG Service and a BackendConfig matching its readiness probe', () => {
    // GIVEN a public service WHEN rendered
    const objects = render({ health: '/ready', port: 8080 });
    // THEN the Service is ClusterIP with NEG and backend-config annotations, and its port is the container port
    const svc = find(objects, 'Service', 'api');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.metadata.annotations['cloud.google.com/neg']).toBe('{"ingress": true}');
    expect(JSON.parse(svc.metadata.annotations['cloud.google.com/backend-config'])).toEqual({ default: 'api' });
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }]);
    // AND the LB health check is the readiness probe's path on the container port
    const container = find(objects, 'Deployment', 'api').spec.template.spec.containers[0];
    const bc = find(objects, 'BackendConfig', 'api');
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(bc.spec.healthCheck.requestPath).toBe('/ready');
    expect(bc.spec.healthCheck.port).toBe(8080);
    expect(container.ports[0].containerPort).toBe(8080);
  });

  test('one drain budget sets preStop sleep < grace period and draining ≤ grace period', () => {
    const objects = render({ drainSeconds: 40 });
    const pod = find(objects, 'Deployment', 'api').spec.template.spec;
    const sleep = pod.containers[0].lifecycle.preStop.sleep.seconds;
    const draining = find(objects, 'BackendConfig', 'api').spec.connectionDraining.drainingTimeoutSec;
    expect(sleep).toBe(20);
    expect(draining).toBe(40);
    expect(pod.terminationGracePeriodSeconds).toBe(70);
    expect(sleep).toBeGreaterThan(0);
    expect(sleep).toBeLessThan(pod.terminationGracePeriodSeconds);
    expect(draining).toBeLessThanOrEqual(pod.terminationGracePeriodSeconds);
  });

  test('rollouts never drop capacity: maxUnavailable 0, maxSurge 1', () => {
    const strategy = find(render({}), 'Deployment', 'api').spec.strategy;
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  test('pods meet the restricted Pod Security profile and run without a service account token', () => {
    const pod = find(render({}), 'Deployment', 'api').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  test('memory request equals limit, CPU has a request and no limit, local disk is bounded', () => {
    const resources = find(render({ memory: '1Gi', cpu: '300m' }), 'Deployment', 'api').spec.template.spec.containers[0].resources;
    expect(resources).toEqual({
      requests: { cpu: '300m', memory: '1Gi', 'ephemeral-storage': '256Mi' },
      limits: { memory: '1Gi', 'ephemeral-storage': '1Gi' },
    });
  });

  test('memoryLimit and cpuLimit opt in to larger/explicit limits', () => {
    const resources = find(render({ memoryLimit: '2Gi', cpuLimit: '1' }), 'Deployment', 'api').spec.template.spec.containers[0].resources;
    expect(resources.limits).toEqual({ memory: '2Gi', cpu: '1', 'ephemeral-storage': '1Gi' });
  });

  test('selectors use stable app.kubernetes.io labels, no hashes', () => {
    const objects = render({});
    const deployment = find(objects, 'Deployment', 'api');
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(find(objects, 'Service', 'api').spec.selector).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(find(objects, 'PodDisruptionBudget', 'api').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api' });
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
    expect(objects.every((o) => !/-[0-9a-f]{8}$/.test(o.metadata.name))).toBe(true);
  });

  test('a PodDisruptionBudget only from two replicas, with maxUnavailable 1', () => {
    expect(find(render({ replicas: 2 }), 'PodDisruptionBudget', 'api').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(kinds(render({ replicas: 1 }), 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('pods spread across zones and prefer different nodes', () => {
    const pod = find(render({}), 'Deployment', 'api').spec.template.spec;
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('autoscaling adds an HPA and removes the fixed replica count', () => {
    const objects = render({ autoscaling: { min: 3, max: 9, cpuPercent: 60 }, replicas: undefined });
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 9, scaleTargetRef: { kind: 'Deployment', name: 'api' } });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(find(objects, 'Deployment', 'api').spec.replicas).toBeUndefined();
  });

  test('an internal service gets a plain ClusterIP Service, no NEG, no BackendConfig, no route', () => {
    const objects = render({ host: undefined });
    expect(find(objects, 'Service', 'api').metadata.annotations).toBeUndefined();
    expect(kinds(objects, 'BackendConfig')).toHaveLength(0);
    expect(kinds(objects, 'Ingress')).toHaveLength(0);
  });

  test('a worker (no port) gets no Service, no probes and no preStop hook', () => {
    const objects = render({ host: undefined, port: undefined, health: undefined });
    expect(kinds(objects, 'Service')).toHaveLength(0);
    const container = find(objects, 'Deployment', 'api').spec.template.spec.containers[0];
    expect(container.readinessProbe).toBeUndefined();
    expect(container.lifecycle).toBeUndefined();
    expect(container.ports).toBeUndefined();
  });

  test('secrets are referenced, never inlined; Secret references first, then env in declared order', () => {
    const container = find(render({ env: { Z: '1', A: '2' }, secretEnv: { DB_URL: { secret: 'db', key: 'url' } } }), 'Deployment', 'api').spec.template.spec
      .containers[0];
    expect(container.env).toEqual([
      { name: 'DB_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } },
      { name: 'Z', value: '1' },
      { name: 'A', value: '2' },
    ]);
  });

  test('tags are pulled every time, digests once', () => {
    const digest = 'registry.example.com/api@sha256:' + 'a'.repeat(64);
    expect(find(render({}), 'Deployment', 'api').spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(find(render({ image: digest }), 'Deployment', 'api').spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('a liveness probe only when declared, on its own path', () => {
    const container = find(render({ liveness: '/livez' }), 'Deployment', 'api').spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(find(render({}), 'Deployment', 'api').spec.template.spec.containers[0].livenessProbe).toBeUndefined();
  });

  test('Workload Identity annotates the ServiceAccount', () => {
    const sa = find(render({ gcpServiceAccount: 'api-runner@acme-prod.iam.gserviceaccount.com' }), 'ServiceAccount', 'api');
    expect(sa.metadata.annotations['iam.gke.io/gcp-service-account']).toBe('api-runner@acme-prod.iam.gserviceaccount.com');
    expect(sa.automountServiceAccountToken).toBe(false);
  });
});
