import { ephemeralStorage, formatBytes } from '../../src/constructs/volumes.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, find, platform, service } from '../helpers.js';

const podOf = (overrides: Parameters<typeof service>[0]) =>
  find(env(renderPlatform(platform([service(overrides)])), 'production').objects, 'Deployment', 'api').spec.template.spec;

describe('mounts', () => {
  test('emptyDir with a size limit, Secret and ConfigMap read-only; names derived from kind and path', () => {
    // GIVEN three mounts
    const pod = podOf({
      mounts: [
        { path: '/var/cache/nginx', emptyDir: '1Gi' },
        { path: '/etc/tls', secret: 'api-tls' },
        { path: '/etc/app', configMap: 'api-config' },
      ],
    });
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
    const pod = podOf({
      mounts: [
        { path: '/a_b', emptyDir: '64Mi' },
        { path: '/a-b', emptyDir: '64Mi' },
        { path: `/${'x'.repeat(80)}`, emptyDir: '64Mi' },
      ],
    });
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

describe('scratch and writable', () => {
  test('scratch sizes /tmp; writable paths are emptyDirs; ephemeral-storage is derived from them', () => {
    // GIVEN a Rails-like app with 2Gi of /tmp for uploads and two writable paths
    const pod = podOf({ scratch: '2Gi', writable: { '/app/tmp/pids': '16Mi', '/app/.next/cache': '1Gi' } });
    // THEN /tmp has the declared size and each path its own emptyDir, mounted writable
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '2Gi' } },
      { name: 'scratch-app-tmp-pids', emptyDir: { sizeLimit: '16Mi' } },
      { name: 'scratch-app-next-cache', emptyDir: { sizeLimit: '1Gi' } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'scratch-app-tmp-pids', mountPath: '/app/tmp/pids' },
      { name: 'scratch-app-next-cache', mountPath: '/app/.next/cache' },
    ]);
    // AND request = 2Gi + 16Mi + 1Gi, limit = request + 768Mi
    expect(pod.containers[0].resources.requests['ephemeral-storage']).toBe('3088Mi');
    expect(pod.containers[0].resources.limits['ephemeral-storage']).toBe('3856Mi');
  });

  test('the formula keeps the former defaults and counts emptyDir mounts too', () => {
    expect(ephemeralStorage({})).toEqual({ request: '256Mi', limit: '1Gi' });
    expect(ephemeralStorage({ scratch: '1Gi', mounts: [{ path: '/cache', emptyDir: '1Gi' }], writable: { '/app/tmp': '512Mi' } })).toEqual({
      request: '2560Mi',
      limit: '3328Mi',
    });
  });

  test("sidecars and init steps keep their private /tmp inside the pod's scratch volume", () => {
    // GIVEN a larger scratch and a sidecar plus an init step
    const pod = podOf({
      scratch: '1Gi',
      init: [{ name: 'assets', image: 'registry.example.com/assets:1.0.0', memory: '32Mi' }],
      sidecars: [{ name: 'log-shipper', image: 'registry.example.com/shipper:2.1.0', memory: '64Mi' }],
    });
    // THEN both mount a subPath of the one tmp volume
    expect(pod.initContainers.map((c: { volumeMounts: unknown }) => c.volumeMounts)).toEqual([
      [{ name: 'tmp', mountPath: '/tmp', subPath: 'init-assets' }],
      [{ name: 'tmp', mountPath: '/tmp', subPath: 'sidecar-log-shipper' }],
    ]);
    expect(pod.volumes[0]).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } });
  });
});
