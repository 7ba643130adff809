import { SHARED_LABEL } from '../../src/constructs/labels.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

describe('PriorityClasses', () => {
  const p = platform([service(), service({ name: 'loadtest', host: undefined, priority: 'low' })], {
    production: { defaultPriority: 'high', layout: 'per-service' },
    dev: { services: { api: { host: 'api.dev.example.com' } } },
  });

  test('each environment renders the classes its services use, cluster-scoped and shared, in 00-priority-classes.yaml (layout: per-service)', () => {
    // WHEN rendered
    const production = env(renderPlatform(p), 'production');
    const dev = env(renderPlatform(p), 'dev');
    // THEN production uses high (its default) and low; dev normal (the default) and low
    expect(kinds(production.objects, 'PriorityClass').map((o) => o.metadata.name)).toEqual(['berth-high', 'berth-low']);
    expect(kinds(dev.objects, 'PriorityClass').map((o) => o.metadata.name)).toEqual(['berth-low', 'berth-normal']);
    // AND they carry no namespace and no environment label (environments share them), only the shared label
    const high = find(production.objects, 'PriorityClass', 'berth-high');
    expect(high.metadata.namespace).toBeUndefined();
    expect(high.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'berth', [SHARED_LABEL]: 'true' });
    expect(high.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled', 'argocd.argoproj.io/sync-options': 'Prune=false' });
    expect(high).toMatchObject({ value: 100000, preemptionPolicy: 'PreemptLowerPriority' });
    expect(high.globalDefault).toBeUndefined();
    expect(find(dev.objects, 'PriorityClass', 'berth-low')).toMatchObject({ value: 1000, preemptionPolicy: 'Never' });
    // AND the same class renders identically in every environment (no environment fights over a field)
    expect(find(dev.objects, 'PriorityClass', 'berth-low')).toEqual(find(production.objects, 'PriorityClass', 'berth-low'));
    expect(production.files.map((f) => f.path)).toContain('00-priority-classes.yaml');
  });

  test('pods name their class', () => {
    const production = env(renderPlatform(p), 'production');
    expect(find(production.objects, 'Deployment', 'api').spec.template.spec.priorityClassName).toBe('berth-high');
    expect(find(production.objects, 'Deployment', 'loadtest').spec.template.spec.priorityClassName).toBe('berth-low');
  });
});
