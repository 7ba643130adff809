import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

const render = (overrides: Parameters<typeof service>[0]) => env(renderPlatform(platform([service(overrides)])), 'production').objects;
const podOf = (overrides: Parameters<typeof service>[0]) => find(render(overrides), 'Deployment', 'api').spec.template;

describe('pod options', () => {
  test('UID/GID default to 10001, fsGroup follows the group; declared IDs win', () => {
    expect(podOf({}).spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podOf({ runAsUser: 999, runAsGroup: 1000 }).spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
    expect(podOf({ fsGroup: 2000 }).spec.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, fsGroup: 2000 });
  });

  test('podAnnotations go on the pod template only, next to its labels', () => {
    const objects = render({ podAnnotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' } });
    const deployment = find(objects, 'Deployment', 'api');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'true' });
    expect(deployment.metadata.annotations).toBeUndefined();
  });

  test('GKE Spot: nodeSelector and a toleration with the operator spelled out', () => {
    const pod = podOf({
      nodeSelector: { 'cloud.google.com/gke-spot': 'true' },
      tolerations: [
        { key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' },
        { key: 'dedicated', operator: 'Exists' },
      ],
    }).spec;
    expect(pod.nodeSelector).toEqual({ 'cloud.google.com/gke-spot': 'true' });
    expect(pod.tolerations).toEqual([
      { key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Exists' },
    ]);
  });

  test('singleton: one replica, Recreate, no PDB, no HPA', () => {
    // GIVEN a Celery beat-like worker declared singleton
    const objects = render({ name: 'beat', host: undefined, port: undefined, health: undefined, replicas: undefined, singleton: true });
    // THEN exactly one pod at a time: the old pod stops before the new one starts
    const deployment = find(objects, 'Deployment', 'beat');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(kinds(objects, 'PodDisruptionBudget')).toHaveLength(0);
    expect(kinds(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
  });
});

describe('imagePullSecrets', () => {
  test("the pull secrets go on the service's ServiceAccount, not the pod; an empty list adds none", () => {
    // GIVEN a service pulling from GHCR WHEN rendered
    const objects = render({ imagePullSecrets: ['ghcr-pull'] });
    // THEN its ServiceAccount carries the secret and the pod uses that account
    expect(find(objects, 'ServiceAccount', 'api').imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    expect(find(objects, 'Deployment', 'api').spec.template.spec.imagePullSecrets).toBeUndefined();
    expect(find(objects, 'Deployment', 'api').spec.template.spec.serviceAccountName).toBe('api');
    expect(find(render({ imagePullSecrets: [] }), 'ServiceAccount', 'api').imagePullSecrets).toBeUndefined();
  });

  test("jobs' ServiceAccounts carry the environment default or their own list", () => {
    // GIVEN an environment default, a migration from the service and a CronJob with its own secret
    const p = {
      ...platform([service({})], { production: { namespace: 'production', imagePullSecrets: ['ghcr-pull'] } }),
      jobs: [
        { name: 'migrate', from: 'api', memory: '64Mi', cpu: '50m', beforeDeploy: true },
        { name: 'report', image: 'quay.io/acme/report:1.0.0', memory: '64Mi', cpu: '50m', schedule: '@daily', imagePullSecrets: ['quay-pull'] },
      ],
    };
    const objects = env(renderPlatform(p), 'production').objects;
    // THEN every ServiceAccount has the right secret
    expect(find(objects, 'ServiceAccount', 'api').imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    expect(find(objects, 'ServiceAccount', 'migrate').imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    expect(find(objects, 'ServiceAccount', 'report').imagePullSecrets).toEqual([{ name: 'quay-pull' }]);
    expect(kinds(objects, 'CronJob')[0].spec.jobTemplate.spec.template.spec.imagePullSecrets).toBeUndefined();
  });
});
