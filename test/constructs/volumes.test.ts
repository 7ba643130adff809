import { ephemeralStorage, formatBytes } from '../../src/constructs/volumes.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, find, platform, service } from '../helpers.js';

const podOf = (overrides: Parameters<typeof service>[0]) =>
  find(env(renderPlatform(platform([service(overrides)])), 'production').objects, 'Deployment', 'api').spec.template.spec;

describe('mounts', () => {
  test('emptyDir with a size limit, Secret and ConfigMap read-only; names derived from kind and path', () => {
    // GIVEN three mounts
    const pod = podOf({ mounts: [
      { path: '/var/cache/nginx', emptyDir: '1Gi' }, { path: '/etc/tls', secret: 'api-tls' }, { path: '/etc/app', configMap: 'api-config' },
    ] });
    // WHEN rendered THEN /tmp stays first and each mount has its own volume
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'scratch-var-cache-nginx', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'secret-etc-tls', secret: { secretName: 'api-tls' } },
      { name: 'config-etc-app', configMap: { name: 'api-config' } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'scratch-var-cache-nginx', mountPath: '/var/cache/nginx' },
      { name: 'secret-etc-tls', mountPath: '/etc/tls', readOnly: true },
      { name: 'config-etc-app', mountPath: '/etc/app', readOnly: true },
    ]);
    // AND the emptyDir's size is added to the container's local-disk request and limit
    expect(pod.containers[0].resources.requests['ephemeral-storage']).toBe('1280Mi');
    expect(pod.containers[0].resources.limits['ephemeral-storage']).toBe('2Gi');
  });

  test('paths that slug to the same name get a short hash of the path; names stay valid labels', () => {
    const pod = podOf({ mounts: [{ path: '/a_b', emptyDir: '64Mi' }, { path: '/a-b', emptyDir: '64Mi' }, { path: `/${'x'.repeat(80)}`, emptyDir: '64Mi' }] });
    const names: string[] = pod.volumes.map((v: { name: string }) => v.name);
    expect(new Set(names).size).toBe(4);
    expect(names.slice(1).every((n) => /^scratch-[a-z0-9-]+-[0-9a-f]{8}$/.test(n) && n.length <= 63)).toBe(true);
  });

  test('without mounts the fixed local-disk values stay', () => {
    expect(ephemeralStorage({})).toEqual({ request: '256Mi', limit: '1Gi' });
    expect(formatBytes(1e9)).toBe('1000000000');
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
  });
});
