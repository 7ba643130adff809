/** The TypeScript example (charts/examples/typescript-app): berth constructs + cdk8s-plus-27 + a raw ApiObject + JSON patches. */
import { shopApp } from '../../charts/examples/typescript-app/shop.js';
import { parseAllDocuments } from 'yaml';
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

  test("the app's own objects are written with berth's, in one resources.yaml (the default layout), as for a declaration", () => {
    const production = envs[0];
    expect(production.files.map((f) => f.path)).toEqual(['resources.yaml']);
    const written = parseAllDocuments(production.files[0].content).map((d) => {
      const o = d.toJS() as { kind: string; metadata: { name: string } };
      return `${o.kind}/${o.metadata.name}`;
    });
    expect(written).toEqual(production.objects.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(written).toEqual(expect.arrayContaining(['ConfigMap/shop-settings', 'NetworkPolicy/api-from-web', 'Deployment/web', 'Ingress/production']));
    expect(find(production.objects, 'ConfigMap', 'shop-settings').data).toEqual({ CATALOG_URL: 'http://api:9000', CURRENCY: 'EUR' });
    expect(find(production.objects, 'NetworkPolicy', 'api-from-web').metadata.namespace).toBe('shop');
  });

  test('staging overrides apply inside the app as in YAML', () => {
    expect(find(envs[1].objects, 'Deployment', 'web').spec.replicas).toBe(1);
    expect(find(envs[1].objects, 'Ingress', 'staging').spec.rules[0].host).toBe('staging.shop.example.com');
  });
});
