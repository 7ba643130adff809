/**
 * cdk8s's contract, kept by berth's fast object rendering (PlainApiObject.toJson): the same JSON as
 * cdk8s's own ApiObject.toJson() for every object of every example, Lazy values resolved, and construct
 * validations (node.addValidation) run — through berth's renderer and through cdk8s's own app.synth().
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiObject, App, Chart, IResolver, ResolutionContext } from 'cdk8s';
import { shopApp } from '../../charts/examples/typescript-app/shop.js';
import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { PlainApiObject } from '../../src/constructs/kube.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import { renderAppOutput } from '../../src/render/app.js';
import { ConstructValidationError } from '../../src/render/construct-validation.js';
import { platformCharts, renderChart } from '../../src/render/render.js';
import { find, tempDir } from '../helpers.js';

const YAML_EXAMPLES = [
  'charts/platform.yaml',
  ...readdirSync('charts/examples')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `charts/examples/${f}`),
];

function apiObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof cdk8s.ApiObject);
}

/** What cdk8s itself renders for the object (its own toJson, bypassing berth's override). */
function cdk8sJson(o: ApiObject): unknown {
  return cdk8s.ApiObject.prototype.toJson.call(o);
}

function productionChart(app: App): Chart {
  return app.charts.find((c) => c.node.id === 'production')!;
}

function webDeployment(app: App): ApiObject {
  return productionChart(app).node.findChild('web').node.findChild('Deployment') as ApiObject;
}

describe("berth renders every object exactly as cdk8s's own ApiObject.toJson()", () => {
  const charts: [string, Chart][] = [
    ...YAML_EXAMPLES.flatMap((file) => platformCharts(loadPlatformFile(file)).map(({ name, chart }): [string, Chart] => [`${file} ${name}`, chart])),
    ...shopApp({ namespace: 'shop' }).charts.map((chart): [string, Chart] => [`charts/examples/typescript-app ${chart.node.id}`, chart]),
  ];

  test("every example platform and environment is covered, with berth's fast objects among them", () => {
    // GIVEN the examples  THEN each environment of each has a chart whose objects are mostly PlainApiObjects
    expect(charts.map(([label]) => label)).toEqual(expect.arrayContaining(['charts/platform.yaml production', 'charts/examples/typescript-app production']));
    expect(charts.length).toBeGreaterThanOrEqual(YAML_EXAMPLES.length * 2 + 2);
    for (const [, chart] of charts) expect(apiObjects(chart).filter((o) => o instanceof PlainApiObject).length).toBeGreaterThan(5);
  });

  test.each(charts)('%s: same JSON, same key order, for every object', (_label, chart) => {
    // GIVEN the chart's objects  WHEN rendered by berth and by cdk8s
    for (const o of apiObjects(chart)) {
      const ours = o.toJson();
      const theirs = cdk8sJson(o);
      // THEN they are deeply equal, and equal as text (key order, which reaches the YAML)
      expect(ours).toStrictEqual(theirs);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    }
  });
});

describe("Lazy values a user adds to berth's objects", () => {
  test("render resolved through berth's renderer and through cdk8s's app.synth()", () => {
    // GIVEN the TypeScript example, and a user's Lazy annotation, label and metadata field on berth's web Deployment, decided after construction
    const app = shopApp({ namespace: 'shop', outdir: tempDir('berth-lazy-') });
    let build = 'unset';
    const web = webDeployment(app);
    web.metadata.addAnnotation('example.com/build', cdk8s.Lazy.any({ produce: () => `build-${build}` }));
    web.metadata.addLabel('example.com/track', cdk8s.Lazy.any({ produce: () => 'stable' }));
    web.metadata.add('generateName', cdk8s.Lazy.any({ produce: () => undefined }));
    build = '42';
    // WHEN berth renders the chart, and cdk8s synthesizes the app (what `berth synth --app` reads)
    const rendered = renderChart('production', 'shop', productionChart(app));
    app.synth();
    const viaApp = renderAppOutput(app.outdir, 'the lazy example').find((e) => e.name === 'production')!;
    // THEN both have the produced values, and the YAML berth writes has no unresolved value
    for (const objects of [rendered.objects, viaApp.objects]) {
      const d = find(objects, 'Deployment', 'web');
      expect(d.metadata.annotations['example.com/build']).toBe('build-42');
      expect(d.metadata.labels['example.com/track']).toBe('stable');
      expect(d.metadata).not.toHaveProperty('generateName');
    }
    expect(find(rendered.objects, 'Deployment', 'web')).toStrictEqual(cdk8sJson(web));
    const file = rendered.files.find((f) => f.path === 'resources.yaml')!.content;
    expect(file).toContain('example.com/build: build-42');
    expect(file).not.toMatch(/producer|Token\[/);
    expect(readFileSync(join(app.outdir, 'production.k8s.yaml'), 'utf8')).toContain('example.com/build: build-42');
  });

  test("an app with its own resolver gets cdk8s's resolution for berth's objects too", () => {
    // GIVEN a cdk8s app whose resolver rewrites one image, with berth's EnvironmentChart in it
    const pin: IResolver = {
      resolve(context: ResolutionContext) {
        if (context.value === 'registry.example.com/shop/web:2.3.1') context.replaceValue('registry.example.com/shop/web@sha256:abc');
      },
    };
    const app = new cdk8s.App({ resolvers: [pin] });
    const chart = new EnvironmentChart(app, 'production', {
      environment: 'production',
      declaration: { namespace: 'shop' },
      services: [
        {
          name: 'web',
          image: 'registry.example.com/shop/web:2.3.1',
          port: 8080,
          host: 'shop.example.com',
          health: '/healthz',
          memory: '128Mi',
          cpu: '50m',
          replicas: 2,
        },
      ],
    });
    // WHEN berth renders it
    const rendered = renderChart('production', 'shop', chart);
    // THEN the resolver ran, and every object is what cdk8s renders
    expect(find(rendered.objects, 'Deployment', 'web').spec.template.spec.containers[0].image).toBe('registry.example.com/shop/web@sha256:abc');
    for (const o of apiObjects(chart)) expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(cdk8sJson(o)));
  });
});

describe('construct validations a user adds', () => {
  test("fail berth's rendering and cdk8s's app.synth() with the user's message", () => {
    // GIVEN the TypeScript example with a validation on berth's web service construct
    const app = shopApp({ namespace: 'shop', outdir: tempDir('berth-validation-') });
    const chart = productionChart(app);
    chart.node.findChild('web').node.addValidation({ validate: () => ['every service needs an owner annotation'] });
    // WHEN rendered by berth  THEN a ConstructValidationError names the construct and carries the message
    expect(() => renderChart('production', 'shop', chart)).toThrow(ConstructValidationError);
    expect(() => renderChart('production', 'shop', chart)).toThrow('[production/web] every service needs an owner annotation');
    // AND cdk8s's own synth (what `berth synth --app` runs) fails with it too
    expect(() => app.synth()).toThrow(/\[production\/web\] every service needs an owner annotation/);
  });

  test('that pass let the rendering through', () => {
    // GIVEN a validation that finds nothing wrong  WHEN rendered  THEN the environment renders
    const app = shopApp({ namespace: 'shop' });
    const chart = productionChart(app);
    let ran = 0;
    chart.node.addValidation({ validate: () => (ran++, []) });
    expect(renderChart('production', 'shop', chart).objects.length).toBeGreaterThan(5);
    expect(ran).toBe(1);
  });
});
