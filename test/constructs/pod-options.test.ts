import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

const render = (overrides: Parameters<typeof service>[0]) => env(renderPlatform(platform([service(overrides)])), 'production').objects;
const podOf = (overrides: Parameters<typeof service>[0]) => find(render(overrides), 'Deployment', 'api').spec.template;

describe('pod options', () => {
  test('UID/GID default to 10001, fsGroup follows the group; declared IDs win', () => {
    expect(podOf({}).spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
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
      tolerations: [{ key: 'cloud.google.com/gke-spot', value: 'true', effect: 'NoSchedule' }, { key: 'dedicated', operator: 'Exists' }],
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
