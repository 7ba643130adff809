/** The TypeScript example (charts/examples/typescript-app): berth constructs + cdk8s-plus-27 + a raw ApiObject + JSON patches. */
import { shopApp } from '../../charts/examples/typescript-app/shop.js';
import { renderAppOutput } from '../../src/render/app.js';
import { find, tempDir } from '../helpers.js';

describe('the TypeScript example app', () => {
  // GIVEN the example synthesized by cdk8s (app.synth(), one <environment>.k8s.yaml per chart)
  const outdir = tempDir('berth-shop-');
  shopApp({ outdir, namespace: 'shop' }).synth();
  // WHEN berth reads it as an app's output
  const envs = renderAppOutput(outdir, 'the shop example');

  test("one environment per chart, in the namespace of berth's EnvironmentChart", () => {
    expect(envs.map((e) => [e.name, e.namespace])).toEqual([
      ['production', 'shop'],
      ['staging', 'shop-staging'],
    ]);
  });

  test("the JSON patches on berth's Deployment are in the rendering", () => {
    const web = find(envs[0].objects, 'Deployment', 'web');
    expect(web.spec.minReadySeconds).toBe(15);
    expect(web.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'shop-settings' } }]);
  });

  test("the app's own objects get their own files; berth's files are as for a declaration", () => {
    const production = envs[0];
    expect(production.files.map((f) => f.path)).toEqual([
      '00-namespace.yaml',
      '00-priority-classes.yaml',
      'app-api.yaml',
      'app-web.yaml',
      'extra-configmap-shop-settings.yaml',
      'extra-networkpolicy-api-from-web.yaml',
      'ingress.yaml',
      'network-policies.yaml',
    ]);
    expect(find(production.objects, 'ConfigMap', 'shop-settings').data).toEqual({ CATALOG_URL: 'http://api:9000', CURRENCY: 'EUR' });
    expect(find(production.objects, 'NetworkPolicy', 'api-from-web').metadata.namespace).toBe('shop');
  });

  test('staging overrides apply inside the app as in YAML', () => {
    expect(find(envs[1].objects, 'Deployment', 'web').spec.replicas).toBe(1);
    expect(find(envs[1].objects, 'Ingress', 'staging').spec.rules[0].host).toBe('staging.shop.example.com');
  });
});
