import type { ApiObject } from 'cdk8s';
import { cdk8s } from '../../src/constructs/cjs.js';
import { kube } from '../../src/constructs/kube.js';
import { parseAllDocuments } from 'yaml';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { renderChart, renderPlatform } from '../../src/render/render.js';
import { env, platform, service, type Json } from '../helpers.js';

const chartWith = () => new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service()] });

describe('renderPlatform', () => {
  test('objects come in apply order, Namespace first and Ingress last', () => {
    const kinds = env(renderPlatform(platform([service()])), 'production').objects.map((o) => o.kind);
    expect(kinds).toEqual([
      'Namespace',
      'BackendConfig',
      'PriorityClass',
      'NetworkPolicy',
      'NetworkPolicy',
      'NetworkPolicy',
      'ServiceAccount',
      'Service',
      'Deployment',
      'PodDisruptionBudget',
      'Ingress',
    ]);
  });

  test(
    'layout: per-service: 00-namespace.yaml, 00-priority-classes.yaml, one app-<service>.yaml each, ingress.yaml and routes.md; ' +
      'the YAML parses back to the objects',
    () => {
      const services = [service(), service({ name: 'worker', host: undefined, port: undefined })];
      const e = env(renderPlatform(platform(services, { production: { namespace: 'production', layout: 'per-service' } })), 'production');
      expect(e.files.map((f) => f.path)).toEqual([
        '00-namespace.yaml',
        '00-priority-classes.yaml',
        'app-api.yaml',
        'app-worker.yaml',
        'ingress.yaml',
        'network-policies.yaml',
        'routes.md',
      ]);
      const parsed = e.files.filter((f) => f.path.endsWith('.yaml')).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS()));
      expect(parsed).toHaveLength(e.objects.length);
      expect(new Set(parsed.map((o) => `${o.kind}/${o.metadata.name}`))).toEqual(new Set(e.objects.map((o) => `${o.kind}/${o.metadata.name}`)));
    },
  );

  test('the default layout (single-file) puts every object in resources.yaml, in apply order, next to routes.md', () => {
    // GIVEN the same two services rendered with the default layout and with layout: per-service
    const services = [service(), service({ name: 'worker', host: undefined, port: undefined })];
    const perService = env(renderPlatform(platform(services, { production: { namespace: 'production', layout: 'per-service' } })), 'production');
    const single = env(renderPlatform(platform(services)), 'production');
    // THEN the objects are the same, and the one YAML file holds all of them in the same (apply) order
    expect(single.files.map((f) => f.path)).toEqual(['resources.yaml', 'routes.md']);
    expect(single.objects).toEqual(perService.objects);
    const parsed = parseAllDocuments(single.files[0].content).map((d) => d.toJS());
    expect(parsed).toEqual(perService.objects);
    expect(parsed[0].kind).toBe('Namespace');
  });

  test('the routes summary lists host, path, service, port, health and sizing', () => {
    const summary = env(renderPlatform(platform([service({ autoscaling: { min: 2, max: 5 }, replicas: undefined })])), 'production').files.find(
      (f) => f.path === 'routes.md',
    )!.content;
    expect(summary).toContain('| api.example.com | / | api | 8000 | /healthz | 512Mi / 250m | 2–5 (HPA at 70% CPU) |');
  });

  test('the same declaration renders byte-identical output twice', () => {
    const decl = platform([service(), service({ name: 'web', host: 'web.example.com' })]);
    expect(renderPlatform(decl)).toEqual(renderPlatform(decl));
  });

  test('the TypeScript form goes through the same validator as YAML', () => {
    expect(() => renderPlatform(platform([service({ image: 'registry.example.com/api:latest' })]))).toThrow(/services\[0\]\.image .*":latest"/);
    expect(() => validatePlatform(platform([service({ memory: '1GB' })]))).toThrow(/not a Kubernetes quantity/);
  });

  test('unknown environment names are refused with a hint', () => {
    expect(() => renderPlatform(platform([service()]), { environments: ['prodution'] })).toThrow(
      /"prodution": is not a declared environment.*did you mean "production"/,
    );
  });
});

describe('escape hatches on berth objects', () => {
  test('metadata.addLabel and addJsonPatch reach the output, apiVersion/kind/metadata first', () => {
    // GIVEN a chart whose Deployment is tweaked through the cdk8s escape hatches
    const chart = chartWith();
    const deployment = chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === 'Deployment')!;
    deployment.metadata.addLabel('team', 'payments');
    deployment.metadata.addAnnotation('owner', 'payments@example.com');
    deployment.addJsonPatch(cdk8s.JsonPatch.add('/spec/minReadySeconds', 10));
    // WHEN rendered
    const json = renderChart('production', 'production', chart).objects.find((o) => o.kind === 'Deployment') as Json;
    // THEN both changes are there, and apiVersion/kind/metadata lead
    expect(json.metadata.labels.team).toBe('payments');
    expect(json.metadata.annotations.owner).toBe('payments@example.com');
    expect(json.spec.minReadySeconds).toBe(10);
    expect(Object.keys(json).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
  });
});

describe('renderChart GKE checks', () => {
  test('a second Ingress added through an escape hatch fails: it would be a second load balancer', () => {
    const chart = chartWith();
    kube(
      chart,
      'Extra',
      'Ingress',
      { name: 'extra', namespace: 'production', labels: {}, annotations: { 'kubernetes.io/ingress.class': 'gce' } },
      { spec: {} },
    );
    expect(() => renderChart('production', 'production', chart)).toThrow(/2 Ingresses \(extra, production\) would create 2 load balancers/);
  });

  test('a LoadBalancer Service fails', () => {
    const chart = chartWith();
    kube(chart, 'Lb', 'Service', { name: 'lb', namespace: 'production', labels: {} }, { spec: { type: 'LoadBalancer' } });
    expect(() => renderChart('production', 'production', chart)).toThrow(/Service "lb": type LoadBalancer would create a second load balancer/);
  });

  test('an Ingress with ingressClassName fails', () => {
    const chart = chartWith();
    const ingress = chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === 'Ingress')!;
    ingress.addJsonPatch(cdk8s.JsonPatch.add('/spec/ingressClassName', 'gce'));
    expect(() => renderChart('production', 'production', chart)).toThrow(/ingressClassName makes GKE ignore the Ingress/);
  });
});
