import { effectiveServices } from '../../src/declaration/effective.js';
import { resolvedJobs } from '../../src/declaration/jobs.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { issuesOf, platform, service } from '../helpers.js';

const issues = (overrides: Partial<ServiceDeclaration>) => issuesOf(platform([service(overrides)])).map((i) => `${i.path}: ${i.message}`);
const STEP = { name: 'wait-for-db', image: 'registry.example.com/wait:1.0.0', memory: '32Mi' };

describe('imagePullSecrets', () => {
  const p = (api: Partial<ServiceDeclaration>, staging: Record<string, unknown> = {}): PlatformDeclaration => ({
    environments: {
      production: { imagePullSecrets: ['ghcr-pull'] },
      staging: { services: { api: { host: 'api.staging.example.com', ...staging }, web: { host: 'web.staging.example.com' } } },
    },
    services: [service(api), service({ name: 'web', host: 'web.example.com', imagePullSecrets: [] })],
    jobs: [
      { name: 'migrate', from: 'api', memory: '64Mi', cpu: '50m', beforeDeploy: true },
      { name: 'report', image: 'registry.example.com/r:1.0.0', memory: '64Mi', cpu: '50m', schedule: '@daily' },
    ],
  });

  test('the environment default applies to services and jobs that declare none; a declared list, even [], replaces it', () => {
    // GIVEN a production default and a service "web" that clears it WHEN resolved
    const valid = validatePlatform(p({}));
    const [api, web] = effectiveServices(valid, 'production').map((e) => e.service);
    // THEN api and both jobs get the default, web none, and staging (no default) none
    expect(api.imagePullSecrets).toEqual(['ghcr-pull']);
    expect(web.imagePullSecrets).toEqual([]);
    expect(resolvedJobs(valid, 'production').map((j) => j.imagePullSecrets)).toEqual([['ghcr-pull'], ['ghcr-pull']]);
    expect(effectiveServices(valid, 'staging')[0].service.imagePullSecrets).toBeUndefined();
  });

  test('a service value replaces the default, and a job from it inherits the service value', () => {
    const valid = validatePlatform(p({ imagePullSecrets: ['quay-pull', 'dockerhub-pull'] }));
    expect(effectiveServices(valid, 'production')[0].service.imagePullSecrets).toEqual(['quay-pull', 'dockerhub-pull']);
    expect(resolvedJobs(valid, 'production')[0].imagePullSecrets).toEqual(['quay-pull', 'dockerhub-pull']);
  });

  test('an override with imagePullSecrets: null falls back to the environment default', () => {
    // GIVEN a service with its own list and a staging override dropping it, staging having a default
    const p2 = platform([service({ imagePullSecrets: ['quay-pull'] })], {
      production: {},
      staging: { imagePullSecrets: ['ghcr-pull'], services: { api: { imagePullSecrets: null, host: 'api.staging.example.com' } } },
    });
    // WHEN resolved THEN production keeps the service's list and staging uses its default
    const valid = validatePlatform(p2);
    expect(effectiveServices(valid, 'production')[0].service.imagePullSecrets).toEqual(['quay-pull']);
    expect(effectiveServices(valid, 'staging')[0].service.imagePullSecrets).toEqual(['ghcr-pull']);
  });

  test('names must be Secret names, each once, in services, environments and jobs', () => {
    expect(issues({ imagePullSecrets: ['GHCR_pull'] })).toEqual(['services[0].imagePullSecrets[0]: is not a valid Secret name (DNS-1123 subdomain)']);
    expect(issues({ imagePullSecrets: ['ghcr', 'ghcr'] })).toEqual(['services[0].imagePullSecrets[1]: is already listed at imagePullSecrets[0]']);
    const bad = {
      ...p({}),
      environments: { production: { imagePullSecrets: ['a', 'a'] } },
      jobs: [{ name: 'migrate', from: 'api', memory: '64Mi', cpu: '50m', beforeDeploy: true, imagePullSecrets: ['x y'] }],
    } as PlatformDeclaration;
    expect(issuesOf(bad).map((i) => i.path)).toEqual(['environments.production.imagePullSecrets[1]', 'jobs[0].imagePullSecrets[0]']);
  });
});

describe('scratch and writable', () => {
  test('sizes and paths are checked; writable paths avoid /tmp, mounts and storage', () => {
    expect(issues({ scratch: '1GB' })).toEqual(['services[0].scratch: is not a size (units are Ki, Mi, Gi, Ti — not "MB" or "GB")']);
    expect(issues({ writable: { 'app/tmp': '16Mi' } })).toEqual(['services[0].writable.app/tmp: must be an absolute path']);
    expect(issues({ writable: { '/tmp/pids': '16Mi' } })).toEqual(['services[0].writable./tmp/pids: is inside /tmp, which every pod already has writable']);
    expect(issues({ writable: { '/app/../etc': '16Mi' } })).toEqual(['services[0].writable./app/../etc: is not a normalized absolute path']);
    expect(issues({ writable: { '/cache': '16Mi' }, mounts: [{ path: '/cache', emptyDir: '1Gi' }] })).toEqual([
      'services[0].writable./cache: is also mounted by mounts[0]',
    ]);
  });
});

describe('rollout, disruption, drain sleep, init', () => {
  test('rollout values, both zero, singleton and storage are rejected', () => {
    expect(issues({ rollout: { maxSurge: '150%' } })).toEqual(['services[0].rollout.maxSurge: must be a percentage between 0% and 100%']);
    expect(issues({ rollout: { maxSurge: 'half' } })).toEqual(['services[0].rollout.maxSurge: is neither a number of pods nor a percentage']);
    expect(issues({ rollout: { maxSurge: 0 } })[0]).toMatch(/^services\[0\]\.rollout: has maxSurge 0 and maxUnavailable 0/);
    expect(issues({ singleton: true, replicas: undefined, rollout: { maxSurge: 1 } })[0]).toMatch(/rollout: does not apply to a singleton/);
    expect(issues({ storage: { path: '/data', size: '1Gi' }, rollout: { maxSurge: 1 } })[0]).toMatch(/rollout: does not apply to a service with storage/);
    // AND a valid pace passes
    expect(() => validatePlatform(platform([service({ rollout: { maxSurge: '25%', maxUnavailable: '0%' } })]))).not.toThrow();
  });

  test('disruption only knows never', () => {
    expect(issues({ disruption: 'always' as 'never' })).toEqual(['services[0].disruption: is not a disruption setting']);
  });

  test('drainSleepSeconds fits the grace period and needs a port; preStop is a real command', () => {
    expect(issues({ drainSeconds: 20, drainSleepSeconds: 25 })[0]).toMatch(
      /drainSleepSeconds: is longer than drainSeconds \(20\): the termination grace period \(drainSeconds \+ 30 = 50 s\)/,
    );
    expect(issues({ port: undefined, host: undefined, health: undefined, drainSleepSeconds: 5 })).toEqual([
      'services[0].drainSleepSeconds: only applies to a service with a port (a worker receives no traffic to drain)',
    ]);
    expect(issues({ preStop: [] })).toEqual(['services[0].preStop: is an empty command']);
  });

  test('init steps follow the sidecar rules and need names of their own', () => {
    expect(issues({ init: [STEP, STEP] })).toEqual(['services[0].init[1].name: is already the name of init[0]']);
    expect(issues({ init: [{ ...STEP, name: 'api' }] })).toEqual(['services[0].init[0].name: is already the name of the app container']);
    expect(issues({ init: [{ ...STEP, image: 'registry.example.com/wait:latest' }] }).map((i) => i.split(':')[0])).toEqual(['services[0].init[0].image']);
    expect(issues({ init: [STEP], sidecars: [{ ...STEP, image: 'registry.example.com/s:1.0.0' }] })).toEqual([
      'services[0].init[0].name: is already the name of sidecars[0]',
    ]);
  });
});
