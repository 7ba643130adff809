import type { ApiObject } from 'cdk8s';
import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { renderChart, renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

describe('WebService: routes and autoscaling metrics', () => {
  const api = service({
    paths: ['/', '/v1'],
    drainSeconds: 60,
    timeoutSeconds: 45,
    routes: [{ path: '/cable', timeoutSeconds: 3600 }, { path: '/v1/uploads' }],
  });

  test('each route gets a Service + BackendConfig over the same pods, health check = readiness, drain copied', () => {
    // WHEN a service with two routes is rendered
    const objects = env(renderPlatform(platform([api])), 'production').objects;
    // THEN api-r1 and api-r2 exist next to api, selecting the same pods, each linked to its BackendConfig
    for (const name of ['api-r1', 'api-r2']) {
      const svc = find(objects, 'Service', name);
      expect(svc.spec.selector).toEqual(find(objects, 'Service', 'api').spec.selector);
      expect(svc.metadata.annotations['cloud.google.com/backend-config']).toBe(JSON.stringify({ default: name }));
      expect(svc.metadata.annotations['cloud.google.com/neg']).toBe('{"ingress": true}');
      const bc = find(objects, 'BackendConfig', name);
      expect(bc.spec.healthCheck).toEqual(find(objects, 'BackendConfig', 'api').spec.healthCheck);
      expect(bc.spec.connectionDraining).toEqual({ drainingTimeoutSec: 60 });
    }
    // AND the timeouts are the route's, else the service's
    expect([
      find(objects, 'BackendConfig', 'api').spec.timeoutSec,
      find(objects, 'BackendConfig', 'api-r1').spec.timeoutSec,
      find(objects, 'BackendConfig', 'api-r2').spec.timeoutSec,
    ]).toEqual([45, 3600, 45]);
    // AND the one Ingress sends each route path to its Service
    const [ingress, ...others] = kinds(objects, 'Ingress');
    expect(others).toEqual([]);
    expect(
      ingress.spec.rules[0].http.paths.map((p: { path: string; backend: { service: { name: string } } }) => `${p.path}->${p.backend.service.name}`),
    ).toEqual(['/->api', '/cable->api-r1', '/v1->api', '/v1/uploads->api-r2']);
  });

  test('a route BackendConfig is held to the same render check: its health check must equal the readiness probe', () => {
    // GIVEN the route's BackendConfig patched (escape hatch) to another path
    const chart = new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [api] });
    const bc = chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === 'BackendConfig' && c.name === 'api-r1')!;
    expect(() => renderChart('production', 'production', chart)).not.toThrow();
    bc.addJsonPatch(cdk8s.JsonPatch.replace('/spec/healthCheck/requestPath', '/cable'));
    // WHEN rendered THEN the check finds the service's pods through the label and names the mismatch
    expect(() => renderChart('production', 'production', chart)).toThrow(
      /BackendConfig "api-r1": healthCheck\.requestPath \/cable differs from the readiness probe path \/healthz/,
    );
  });

  test('HPA metrics: memory and an external metric, CPU only when declared', () => {
    const worker = service({
      name: 'worker',
      host: undefined,
      replicas: undefined,
      autoscaling: {
        min: 1,
        max: 20,
        memoryPercent: 80,
        external: {
          metric: 'pubsub.googleapis.com|subscription|num_undelivered_messages',
          selector: { 'resource.labels.subscription_id': 'orders' },
          targetAverageValue: '100',
        },
      },
    });
    const hpa = find(env(renderPlatform(platform([worker])), 'production').objects, 'HorizontalPodAutoscaler', 'worker');
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      {
        type: 'External',
        external: {
          metric: {
            name: 'pubsub.googleapis.com|subscription|num_undelivered_messages',
            selector: { matchLabels: { 'resource.labels.subscription_id': 'orders' } },
          },
          target: { type: 'AverageValue', averageValue: '100' },
        },
      },
    ]);
    const total = service({
      name: 'total',
      host: undefined,
      replicas: undefined,
      autoscaling: { min: 1, max: 3, cpuPercent: 60, external: { metric: 'custom.googleapis.com|queue_depth', targetValue: '500' } },
    });
    expect(find(env(renderPlatform(platform([total])), 'production').objects, 'HorizontalPodAutoscaler', 'total').spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'External', external: { metric: { name: 'custom.googleapis.com|queue_depth' }, target: { type: 'Value', value: '500' } } },
    ]);
  });
});
