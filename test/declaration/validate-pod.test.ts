import { effectiveServices } from '../../src/declaration/effective.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { issuesOf, platform, service } from '../helpers.js';

/** The issues of an invalid declaration (fails the test when it is valid). */

const withStaging = (base: Partial<ServiceDeclaration>, override: Record<string, unknown>): PlatformDeclaration =>
  platform([service(base)], { production: {}, staging: { services: { api: { host: 'api.staging.example.com', ...override } } } });

describe('env overrides', () => {
  test('merge per key: the override sets A, deletes B, keeps the base order and other keys', () => {
    // GIVEN a base env and a staging override that changes one key, deletes one and adds one
    const p = withStaging(
      {
        env: { DJANGO_SETTINGS_MODULE: 'acme.settings', A: '1', B: '2' },
        secretEnv: { DB_PASSWORD: { secret: 'db', key: 'pw' }, OLD: { secret: 'old', key: 'k' } },
      },
      { env: { A: 'x', B: null, NEW: 'n' }, secretEnv: { OLD: null } },
    );
    // WHEN validated and resolved for staging
    const staging = effectiveServices(validatePlatform(p), 'staging')[0].service;
    // THEN keys merge, in base order with new keys last; production is untouched
    expect(staging.env).toEqual({ DJANGO_SETTINGS_MODULE: 'acme.settings', A: 'x', NEW: 'n' });
    expect(Object.keys(staging.env!)).toEqual(['DJANGO_SETTINGS_MODULE', 'A', 'NEW']);
    expect(staging.secretEnv).toEqual({ DB_PASSWORD: { secret: 'db', key: 'pw' } });
    expect(effectiveServices(p, 'production')[0].service.env).toEqual({ DJANGO_SETTINGS_MODULE: 'acme.settings', A: '1', B: '2' });
  });

  test('env: null in an override still drops the whole map', () => {
    const p = withStaging({ env: { A: '1' } }, { env: null });
    expect(effectiveServices(validatePlatform(p), 'staging')[0].service.env).toBeUndefined();
  });

  test('deleting a key the base does not declare is an error with a hint', () => {
    const [issue] = issuesOf(withStaging({ env: { DJANGO_SETTINGS_MODULE: 'a' } }, { env: { DJANGO_SETTINGS_MODUL: null } }));
    expect(issue).toMatchObject({ path: 'environments.staging.services.api.env.DJANGO_SETTINGS_MODUL', fix: 'did you mean "DJANGO_SETTINGS_MODULE"?' });
  });
});

describe('credentials built from references', () => {
  test('a URL whose password is a secretEnv reference is allowed', () => {
    const p = platform([
      service({ env: { DATABASE_URL: 'postgres://app:$(DB_PASSWORD)@127.0.0.1:5432/app' }, secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } }),
    ]);
    expect(() => validatePlatform(p)).not.toThrow();
  });

  test('a Redis URL with an empty user: a literal password is rejected, a secretEnv reference allowed', () => {
    expect(issuesOf(platform([service({ env: { BROKER_URL: 'redis://:s3cr3t@cache:6379/0' } })]))[0].message).toMatch(/contains a credential/);
    const p = platform([
      service({ env: { BROKER_URL: 'redis://:$(REDIS_PASSWORD)@cache:6379/0' }, secretEnv: { REDIS_PASSWORD: { secret: 'redis', key: 'password' } } }),
    ]);
    expect(() => validatePlatform(p)).not.toThrow();
  });

  test('a literal password next to a reference is still rejected, without echoing it', () => {
    const issues = issuesOf(
      platform([
        service({ env: { DATABASE_URL: 'postgres://app:hunter2$(DB_PASSWORD)@db/app' }, secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } }),
      ]),
    );
    expect(issues.map((i) => i.message).join()).toMatch(/contains a credential/);
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  test('a URL password taken from a PLAIN variable is rejected: its value is in the manifest', () => {
    const [issue] = issuesOf(platform([service({ env: { DB_LOGIN: 'hunter2', DATABASE_URL: 'postgres://app:$(DB_LOGIN)@db/app' } })]));
    expect(issue).toMatchObject({
      path: 'services[0].env.DATABASE_URL',
      message: expect.stringMatching(/plain variable "DB_LOGIN"/),
      fix: 'move DB_LOGIN to secretEnv',
    });
  });

  test('an unknown reference is an error naming the variable and the reference', () => {
    const [issue] = issuesOf(platform([service({ env: { URL: 'http://$(HOST)/' } })]));
    expect(issue).toMatchObject({ path: 'services[0].env.URL', value: '$(HOST)', fix: 'declare HOST in env or secretEnv, or write "$$(HOST)" for a literal' });
  });
});

describe('replicas, autoscaling and singleton', () => {
  test('replicas next to autoscaling at the same level is an error', () => {
    const [issue] = issuesOf(platform([service({ replicas: 3, autoscaling: { min: 2, max: 4 } })]));
    expect(issue).toMatchObject({ path: 'services[0].replicas', value: 3, message: expect.stringMatching(/cannot be combined with autoscaling/) });
  });

  test("an override's replicas next to an inherited autoscaling is an error with the fix autoscaling: null", () => {
    const issues = issuesOf(withStaging({ replicas: undefined, autoscaling: { min: 2, max: 4 } }, { replicas: 1 }));
    expect(issues).toEqual([expect.objectContaining({ path: 'environments.staging.services.api.replicas', fix: expect.stringMatching(/autoscaling: null/) })]);
    // AND with autoscaling: null the same override is valid, with one replica
    const fixed = withStaging({ replicas: undefined, autoscaling: { min: 2, max: 4 } }, { replicas: 1, autoscaling: null });
    expect(effectiveServices(validatePlatform(fixed), 'staging')[0].service).toMatchObject({ replicas: 1 });
  });

  test('singleton conflicts: autoscaling and replicas > 1', () => {
    expect(issuesOf(platform([service({ singleton: true, replicas: undefined, autoscaling: { min: 2, max: 3 } })]))[0]).toMatchObject({
      path: 'services[0].autoscaling',
    });
    expect(issuesOf(platform([service({ singleton: true, replicas: 2 })]))[0]).toMatchObject({
      path: 'services[0].replicas',
      message: expect.stringMatching(/0 or 1 for a singleton/),
    });
    expect(() => validatePlatform(platform([service({ singleton: true, replicas: 1 })]))).not.toThrow();
  });
});

describe('pod fields', () => {
  test('mounts: exactly one source, normalized absolute path, no duplicates, not /tmp', () => {
    const issues = issuesOf(
      platform([
        service({
          mounts: [
            { path: '/data', emptyDir: '1Gi', secret: 'x' },
            { path: 'relative', configMap: 'cfg' },
            { path: '/tmp', emptyDir: '1Gi' },
            { path: '/cache', emptyDir: '1GB' },
            { path: '/cache', secret: 'Bad_Name' },
          ],
        }),
      ]),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['services[0].mounts[0]']).toMatch(/exactly one of emptyDir, secret or configMap \(got emptyDir and secret\)/);
    expect(byPath['services[0].mounts[1].path']).toMatch(/absolute path/);
    expect(byPath['services[0].mounts[2].path']).toMatch(/already an emptyDir berth mounts/);
    expect(byPath['services[0].mounts[3].emptyDir']).toMatch(/not a size/);
    expect(byPath['services[0].mounts[4].secret']).toMatch(/not a valid Secret name/);
    expect(issues.find((i) => i.path === 'services[0].mounts[4].path' && /also mounted by mounts\[3\]/.test(i.message))).toBeDefined();
  });

  test('storage: path, size, class and a name short enough for a StatefulSet', () => {
    const issues = issuesOf(platform([service({ name: `s${'x'.repeat(55)}`, storage: { path: '/data/', size: '10GB', class: 'Fast SSD' } })]));
    expect(issues.map((i) => i.path).sort()).toEqual([`services[0].storage.class`, 'services[0].storage.path', 'services[0].storage.size']);
    const long = issuesOf(platform([service({ name: `s${'x'.repeat(55)}`, storage: { path: '/data', size: '10Gi' } })]));
    expect(long[0]).toMatchObject({ path: 'services[0].storage', message: expect.stringMatching(/at most 52 characters/) });
  });

  test('runAsUser / runAsGroup / fsGroup: never root', () => {
    const issues = issuesOf(platform([service({ runAsUser: 0, runAsGroup: -1, fsGroup: 1000 })]));
    expect(issues.map((i) => [i.path, i.value])).toEqual([
      ['services[0].runAsUser', 0],
      ['services[0].runAsGroup', -1],
    ]);
    expect(issues[0].message).toMatch(/non-root/);
  });

  test('podAnnotations, nodeSelector and tolerations are validated like the API server does', () => {
    const issues = issuesOf(
      platform([
        service({
          podAnnotations: { 'berth.dev/x': 'a', 'Example.com/x': 'b', 'example.com/ok': 'c' },
          nodeSelector: { 'cloud.google.com/gke-spot': 'yes please' },
          tolerations: [
            { key: 'cloud.google.com/gke-spot', operator: 'Exists', value: 'true' },
            { key: 'x', effect: 'NoSchedul' as never },
          ],
        }),
      ]),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'services[0].podAnnotations.berth.dev/x',
        'services[0].podAnnotations.Example.com/x',
        'services[0].nodeSelector.cloud.google.com/gke-spot',
        'services[0].tolerations[0].value',
        'services[0].tolerations[1].effect',
      ]),
    );
    expect(paths).not.toContain('services[0].podAnnotations.example.com/ok');
    expect(issues.find((i) => i.path.endsWith('berth.dev/x'))!.message).toMatch(/reserved/);
  });
});
