import { cpuTargetOf, environmentNeeds, isUnder, layoutOf, podNeeds, priorityOf, prioritiesUsed, routeBackendName } from '../../src/declaration/env-knobs.js';
import { routesOf } from '../../src/declaration/routing.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { issuesOf, platform, service } from '../helpers.js';

const withEnv = (env: Record<string, unknown>, services = [service()]): PlatformDeclaration => platform(services, { dev: { namespace: 'dev', ...env } });

describe('quota', () => {
  test('a quota that holds the services at their minimum plus surge is valid', () => {
    // GIVEN api: 2 replicas + 1 surge × (250m, 512Mi) = 750m, 1536Mi, 3 pods
    expect(() => validatePlatform(withEnv({ quota: { cpu: '750m', memory: '1536Mi', pods: 3 } }))).not.toThrow();
  });

  test('a quota smaller than the services need is an error naming the numbers', () => {
    // GIVEN a quota just below what api needs WHEN validated
    const issues = issuesOf(withEnv({ quota: { cpu: '700m', memory: '1Gi', pods: 2 } }));
    // THEN each dimension is reported, with the required amount and the breakdown
    expect(issues.map((i) => i.path)).toEqual(['environments.dev.quota.cpu', 'environments.dev.quota.memory', 'environments.dev.quota.pods']);
    expect(issues[0].message).toMatch(/less than the 750m of CPU requests .*api 2\+1 surge × \(250m, 512Mi\)/);
    expect(issues[0].fix).toMatch(/at least 750m/);
    expect(issues[1].message).toMatch(/less than the 1536Mi of memory/);
    expect(issues[2].message).toMatch(/less than the 3 pods/);
  });

  test('sidecars, the Cloud SQL proxy and memory limits count; singletons and StatefulSets do not surge', () => {
    const api = service({ sidecars: [{ name: 'shipper', image: 'registry.example.com/s:1.0.0', memory: '64Mi' }], memoryLimit: '1Gi' });
    expect(podNeeds(api)).toEqual({ cpu: 0.3, memory: 576 * 2 ** 20, memoryLimit: 1088 * 2 ** 20 });
    const beat = service({ name: 'beat', host: undefined, singleton: true, replicas: undefined });
    const db = service({ name: 'db', host: undefined, storage: { path: '/data', size: '1Gi' } });
    expect(environmentNeeds([beat, db]).pods).toBe(3);
    // AND a memory limit above the request is what memory must hold (limits.memory is the same quota)
    const issues = issuesOf(withEnv({ quota: { memory: '1728Mi' } }, [api]));
    expect(issues[0].message).toMatch(/3264Mi of memory limits/);
  });

  test('bad quantities, an empty quota and out-of-range pods are field errors', () => {
    const issues = issuesOf(withEnv({ quota: { cpu: '2 cores', memory: '8GB', pods: 0 } }));
    expect(issues.map((i) => i.path)).toEqual(['environments.dev.quota.cpu', 'environments.dev.quota.memory', 'environments.dev.quota.pods']);
    expect(issuesOf(withEnv({ quota: {} }))[0].message).toBe('declares no limit');
  });
});

describe('priority', () => {
  test('a service priority wins over the environment default, which defaults to normal', () => {
    expect(priorityOf(service(), {})).toBe('normal');
    expect(priorityOf(service(), { defaultPriority: 'high' })).toBe('high');
    expect(priorityOf(service({ priority: 'low' }), { defaultPriority: 'high' })).toBe('low');
    expect(prioritiesUsed([service({ priority: 'low' }), service({ name: 'web' })], { defaultPriority: 'high' })).toEqual(['high', 'low']);
  });

  test('an unknown priority is an error on the service and on the environment', () => {
    expect(issuesOf(platform([service({ priority: 'urgent' as never })]))[0]).toMatchObject({
      path: 'services[0].priority',
      message: 'must be one of high, normal, low',
    });
    expect(issuesOf(withEnv({ defaultPriority: 'High' }))[0]).toMatchObject({ path: 'environments.dev.defaultPriority', value: 'High' });
  });

  test('an unknown layout is an error naming the environment, the value and the two layouts', () => {
    expect(issuesOf(withEnv({ layout: 'one-file' }))[0]).toMatchObject({
      path: 'environments.dev.layout',
      value: 'one-file',
      message: 'must be one of per-service, single-file',
    });
    expect(() => validatePlatform(withEnv({ layout: 'per-service' }))).not.toThrow();
    expect(layoutOf({})).toBe('single-file');
  });
});

describe('autoscaling metrics', () => {
  const external = {
    metric: 'pubsub.googleapis.com|subscription|num_undelivered_messages',
    selector: { 'resource.labels.subscription_id': 'orders' },
    targetAverageValue: '100',
  };

  test('CPU defaults to 70 % only when no other metric is declared', () => {
    expect(cpuTargetOf({ min: 1, max: 3 })).toBe(70);
    expect(cpuTargetOf({ min: 1, max: 3, memoryPercent: 80 })).toBeUndefined();
    expect(cpuTargetOf({ min: 1, max: 3, external })).toBeUndefined();
    expect(cpuTargetOf({ min: 1, max: 3, cpuPercent: 60, external })).toBe(60);
  });

  test('memory and external metrics validate', () => {
    expect(() => validatePlatform(platform([service({ replicas: undefined, autoscaling: { min: 1, max: 5, memoryPercent: 80, external } })]))).not.toThrow();
    const bad = issuesOf(
      platform([
        service({
          replicas: undefined,
          autoscaling: {
            min: 1,
            max: 5,
            memoryPercent: 5,
            external: { metric: 'pubsub.googleapis.com/subscription/x', targetValue: '-1', targetAverageValue: '1' },
          },
        }),
      ]),
    );
    expect(bad.map((i) => i.path)).toEqual([
      'services[0].autoscaling.memoryPercent',
      'services[0].autoscaling.external.metric',
      'services[0].autoscaling.external',
      'services[0].autoscaling.external.targetValue',
    ]);
    expect(bad[1].message).toMatch(/writes "\/" as "\|"/);
    expect(bad[2].message).toMatch(/exactly one of targetAverageValue .* got both/);
  });
});

describe('routes', () => {
  const api = service({
    paths: ['/', '/v1'],
    routes: [
      { path: '/cable', timeoutSeconds: 3600 },
      { path: '/v1/uploads', timeoutSeconds: 900 },
    ],
  });

  test('each route goes to its own backend; other paths stay on the service', () => {
    expect(routesOf([api]).map((r) => `${r.path}->${r.backend ?? r.service}`)).toEqual(['/->api', '/cable->api-r1', '/v1->api', '/v1/uploads->api-r2']);
  });

  test('a route equal to one of the paths replaces it (no duplicate host+path)', () => {
    const s = service({ paths: ['/', '/cable'], routes: [{ path: '/cable', timeoutSeconds: 3600 }] });
    expect(() => validatePlatform(platform([s]))).not.toThrow();
    expect(routesOf([s]).map((r) => `${r.path}->${r.backend ?? r.service}`)).toEqual(['/->api', '/cable->api-r1']);
  });

  test('names are deterministic and at most 63 characters', () => {
    expect(routeBackendName('api', 0)).toBe('api-r1');
    const long = `a${'b'.repeat(62)}`;
    expect(routeBackendName(long, 11)).toHaveLength(63);
    expect(routeBackendName(long, 11).endsWith('-r12')).toBe(true);
    expect(isUnder('/v10', '/v1')).toBe(false);
    expect(isUnder('/v1/uploads', '/v1/')).toBe(true);
  });

  test('a route outside the paths, on an internal service, twice, or clashing with a service name is an error', () => {
    expect(issuesOf(platform([service({ paths: ['/api'], routes: [{ path: '/cable' }] })]))[0]).toMatchObject({
      path: 'services[0].routes[0].path',
      message: expect.stringMatching(/not one of the service's paths \(\/api\)/),
    });
    expect(issuesOf(platform([service({ host: undefined, routes: [{ path: '/cable' }] })]))[0].message).toMatch(/only apply to a public service/);
    expect(issuesOf(platform([service({ routes: [{ path: '/cable' }, { path: '/cable' }] })]))[0].message).toBe('is already declared by routes[0]');
    const clash = issuesOf(platform([service({ routes: [{ path: '/cable' }] }), service({ name: 'api-r1', host: undefined })]));
    expect(clash[0].message).toMatch(/needs a Service named "api-r1", which service "api-r1" already uses/);
  });
});
