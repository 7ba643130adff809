import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

const render = (overrides: Parameters<typeof service>[0]) => env(renderPlatform(platform([service(overrides)])), 'production').objects;

describe('storage → StatefulSet', () => {
  test('a StatefulSet with one ReadWriteOnce claim per pod on standard-rwo, writable by the non-root group', () => {
    // GIVEN a Redis-like service with storage
    const objects = render({ name: 'cart', host: undefined, port: 6379, storage: { path: '/data', size: '10Gi' }, runAsUser: 999, runAsGroup: 999 });
    // WHEN rendered THEN there is no Deployment, but a StatefulSet governed by a headless Service
    expect(kinds(objects, 'Deployment')).toHaveLength(0);
    const sts = find(objects, 'StatefulSet', 'cart');
    expect(sts.apiVersion).toBe('apps/v1');
    expect(sts.spec).toMatchObject({
      serviceName: 'cart-headless',
      replicas: 2,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'cart' } },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard-rwo', resources: { requests: { storage: '10Gi' } } },
      },
    ]);
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    // AND the headless Service publishes every pod; the ClusterIP Service stays for clients
    const headless = find(objects, 'Service', 'cart-headless');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/name': 'cart' } });
    expect(find(objects, 'Service', 'cart').spec.type).toBe('ClusterIP');
    // AND everything else is what a Deployment's pods get: probes, drain, restricted security, a PDB from two replicas
    expect(pod.containers[0].readinessProbe.httpGet.port).toBe('http');
    expect(pod.containers[0].lifecycle.preStop.sleep.seconds).toBe(15);
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(find(objects, 'PodDisruptionBudget', 'cart').spec.maxUnavailable).toBe(1);
  });

  test('a declared class is used; autoscaling targets the StatefulSet', () => {
    const objects = render({ storage: { path: '/data', size: '50Gi', class: 'premium-rwo' }, replicas: undefined, autoscaling: { min: 2, max: 4 } });
    expect(find(objects, 'StatefulSet', 'api').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('premium-rwo');
    expect(find(objects, 'StatefulSet', 'api').spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'api').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'api' });
  });

  test('a worker with storage gets a headless Service without ports and no ClusterIP Service', () => {
    const objects = render({ host: undefined, port: undefined, health: undefined, storage: { path: '/data', size: '1Gi' } });
    expect(kinds(objects, 'Service').map((s) => s.metadata.name)).toEqual(['api-headless']);
    expect(find(objects, 'Service', 'api-headless').spec.ports).toBeUndefined();
  });
});
