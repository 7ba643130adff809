import { LIMIT_RANGE_DEFAULTS } from '../../src/constructs/environment-quota.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

describe('EnvironmentQuota', () => {
  test('a quota renders a ResourceQuota on requests.cpu, requests.memory, limits.memory and pods, and a LimitRange', () => {
    // GIVEN dev with a quota WHEN rendered
    const dev = env(renderPlatform(platform([service()], { dev: { quota: { cpu: '4', memory: '8Gi', pods: 20 }, layout: 'per-service' } })), 'dev');
    // THEN the ResourceQuota holds the declared amounts
    expect(find(dev.objects, 'ResourceQuota', 'berth-quota').spec).toEqual({
      hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', pods: '20' },
    });
    // AND the LimitRange gives containers without resources a CPU request and memory request = limit, no CPU limit
    expect(find(dev.objects, 'LimitRange', 'berth-defaults').spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: LIMIT_RANGE_DEFAULTS.cpuRequest, memory: LIMIT_RANGE_DEFAULTS.memory },
        default: { memory: LIMIT_RANGE_DEFAULTS.memory },
      },
    ]);
    // AND both go to 00-quota.yaml (layout: per-service) in the namespace
    expect(dev.files.find((f) => f.path === '00-quota.yaml')!.content).toMatch(/kind: LimitRange[\s\S]*kind: ResourceQuota/);
    expect(find(dev.objects, 'ResourceQuota', 'berth-quota').metadata.namespace).toBe('dev');
  });

  test('only declared dimensions are limited; no quota, no objects', () => {
    const dev = env(
      renderPlatform(platform([service()], { dev: { quota: { pods: 10 }, services: { api: { host: 'api.dev.example.com' } } }, production: {} })),
      'dev',
    );
    expect(find(dev.objects, 'ResourceQuota', 'berth-quota').spec.hard).toEqual({ pods: '10' });
    const production = env(
      renderPlatform(platform([service()], { dev: { quota: { pods: 10 }, services: { api: { host: 'api.dev.example.com' } } }, production: {} })),
      'production',
    );
    expect([...kinds(production.objects, 'ResourceQuota'), ...kinds(production.objects, 'LimitRange')]).toEqual([]);
  });
});
