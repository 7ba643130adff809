import { disruptionBudget, isZero, maxPods, rolloutOf, SAFE_TO_EVICT } from '../../src/declaration/knobs.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

const render = (overrides: Parameters<typeof service>[0]) => env(renderPlatform(platform([service(overrides)])), 'production').objects;
const AUTOSCALED = { replicas: undefined, autoscaling: { min: 1, max: 20 } };

describe('rollout', () => {
  test('defaults: one extra pod for a fixed count, a quarter for an autoscaled service, never one fewer', () => {
    expect(rolloutOf({})).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(rolloutOf({ autoscaling: { min: 2, max: 30 } })).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
    // AND a declared value replaces only its own field
    expect(rolloutOf({ autoscaling: { min: 2, max: 30 }, rollout: { maxUnavailable: '10%' } })).toEqual({ maxSurge: '25%', maxUnavailable: '10%' });
  });

  test('the Deployment strategy carries the declared pace, numbers as numbers and percentages as strings', () => {
    // GIVEN an autoscaled service with a declared pace WHEN rendered
    const strategy = find(render({ ...AUTOSCALED, rollout: { maxSurge: '50%', maxUnavailable: 2 } }), 'Deployment', 'api').spec.strategy;
    // THEN the rolling update uses it
    expect(strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 2 } });
    expect(find(render(AUTOSCALED), 'Deployment', 'api').spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
  });

  test('zero is recognised in both forms', () => {
    expect([0, '0%', '00%'].map(isZero)).toEqual([true, true, true]);
    expect([1, '10%', '100%'].map(isZero)).toEqual([false, false, false]);
  });
});

describe('disruption', () => {
  test('a PDB whenever the service can run more than one pod, autoscaled from min 1 included', () => {
    // GIVEN an HPA with min 1 and max 20 WHEN rendered THEN a PDB with maxUnavailable 1
    expect(maxPods(AUTOSCALED)).toBe(20);
    expect(find(render(AUTOSCALED), 'PodDisruptionBudget', 'api').spec).toMatchObject({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    });
    // AND none for one fixed pod
    expect(kinds(render({ replicas: 1 }), 'PodDisruptionBudget')).toHaveLength(0);
    expect(disruptionBudget({ replicas: 1 })).toBeUndefined();
  });

  test('disruption: never makes a PDB of maxUnavailable 0 and tells the cluster autoscaler not to evict', () => {
    // GIVEN a singleton exporter that must not be evicted mid-run
    const objects = render({ singleton: true, replicas: undefined, disruption: 'never', podAnnotations: { 'example.com/team': 'data' } });
    // THEN its budget allows no eviction and the pod carries safe-to-evict "false" next to its own annotations
    expect(find(objects, 'PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(0);
    expect(find(objects, 'Deployment', 'api').spec.template.metadata.annotations).toEqual({ 'example.com/team': 'data', [SAFE_TO_EVICT]: 'false' });
    expect(find(objects, 'Deployment', 'api').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('without disruption: never the pod carries no safe-to-evict annotation', () => {
    expect(find(render({}), 'Deployment', 'api').spec.template.metadata.annotations).toBeUndefined();
  });
});
