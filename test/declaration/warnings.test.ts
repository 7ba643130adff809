import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { synth } from '../../src/cli/commands/synth.js';
import { validate } from '../../src/cli/commands/validate.js';
import { collectWarnings, dockerHubReference, formatWarning } from '../../src/declaration/warnings.js';
import { captureIo, platform, service, snapshotDir, tempDir } from '../helpers.js';

describe('declaration warnings', () => {
  test('an image without a registry host resolves to Docker Hub; one with a host does not', () => {
    expect(dockerHubReference('redis:7.2')).toBe('docker.io/library/redis:7.2');
    expect(dockerHubReference('library/redis:7')).toBe('docker.io/library/redis:7');
    expect(dockerHubReference('bitnami/redis:7.2@sha256:' + 'a'.repeat(64))).toBe(`docker.io/bitnami/redis:7.2@sha256:${'a'.repeat(64)}`);
    expect(dockerHubReference('docker.io/library/redis:7.2')).toBeUndefined();
    expect(dockerHubReference('registry.example.com/api:1.4.2')).toBeUndefined();
    expect(dockerHubReference('localhost:5000/api:1')).toBeUndefined();
    expect(dockerHubReference('localhost/api:1')).toBeUndefined();
  });

  test('collectWarnings names path, service and value, for services and environment overrides', () => {
    // GIVEN a cache image from Docker Hub and a staging override that pulls another one
    const p = platform([service(), service({ name: 'cache', image: 'redis:7.2', host: undefined, health: undefined, protocol: 'tcp', port: 6379 })], {
      production: {},
      staging: { services: { api: { image: 'acme/api:1.4.2' } } },
    });
    // WHEN warnings are collected
    const warnings = collectWarnings(p);
    // THEN each image is reported once, where it is written
    expect(warnings.map((w) => [w.path, w.service, w.value])).toEqual([
      ['services[1].image', 'cache', 'redis:7.2'],
      ['environments.staging.services.api.image', 'api', 'acme/api:1.4.2'],
    ]);
    expect(warnings[0].message).toMatch(/resolves to Docker Hub \(docker\.io\/library\/redis:7\.2\)/);
    expect(formatWarning(warnings[0], 'platform.yaml')).toMatch(
      /^platform\.yaml: warning: services\[1\]\.image \(service "cache"\): "redis:7\.2": names no registry host/,
    );
  });

  test('readiness headers on a public service are flagged: the load balancer cannot send them', () => {
    const warnings = collectWarnings(platform([service({ health: { path: '/_healthz', headers: { Cookie: 'probe=1' } } })]));
    expect(warnings).toEqual([expect.objectContaining({ path: 'services[0].health.headers', service: 'api', value: ['Cookie'] })]);
    expect(warnings[0].message).toMatch(/not by the load balancer's health check/);
    // AND an internal service with the same headers is fine
    expect(collectWarnings(platform([service({ host: undefined, health: { path: '/_healthz', headers: { Cookie: 'probe=1' } } })]))).toEqual([]);
  });

  test('health on a worker is reported as ignored', () => {
    const warnings = collectWarnings(platform([service(), service({ name: 'worker', host: undefined, port: undefined, health: { tcp: true } })]));
    expect(warnings).toEqual([
      expect.objectContaining({
        path: 'services[1].health',
        service: 'worker',
        message: expect.stringMatching(/is ignored: a worker \(no port\) gets no probes/),
      }),
    ]);
  });

  test('a declaration with nothing to flag has no warnings', () => {
    expect(collectWarnings(platform([service()]))).toEqual([]);
  });

  describe('CLI', () => {
    // GIVEN a valid declaration whose cache image comes from Docker Hub
    const root = tempDir();
    const text = stringify({
      environments: { production: {} },
      services: [
        { name: 'api', image: 'registry.example.com/api:1.4.2', port: 8000, health: '/healthz', memory: '512Mi', cpu: '250m' },
        { name: 'cache', image: 'redis:7.2', port: 6379, protocol: 'tcp', memory: '256Mi', cpu: '100m' },
      ],
    });
    writeFileSync(join(root, 'platform.yaml'), text);

    test('validate prints the warning to stderr and still exits 0', async () => {
      const io = captureIo(root);
      expect(await validate(['--file', 'platform.yaml'], io)).toBe(0);
      expect(io.out()).toMatch(/platform\.yaml: valid/);
      expect(io.err()).toMatch(
        /^berth: using \.\/platform\.yaml\nberth: .*platform\.yaml: warning: services\[1\]\.image \(service "cache"\): "redis:7\.2": .*Docker Hub/,
      );
      expect(io.err().trim().split('\n')).toHaveLength(2);
    });

    test('synth prints it too, exits 0 and writes the rendering', async () => {
      const io = captureIo(root);
      expect(await synth(['--file', 'platform.yaml', '--out', 'out', '--quiet'], io)).toBe(0);
      expect(io.err()).toMatch(/warning: services\[1\]\.image .*Docker Hub/);
      expect(snapshotDir(join(root, 'out', 'production'))['resources.yaml']).toMatch(/^kind: Deployment\nmetadata:\n(?: .*\n)*? {2}name: cache\n/m);
    });
  });
});
