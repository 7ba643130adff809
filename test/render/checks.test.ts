import type { ApiObject } from 'cdk8s';
import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import type { ServiceDeclaration } from '../../src/declaration/types.js';
import { renderChart } from '../../src/render/render.js';
import { service } from '../helpers.js';

/** A rendered-to-be chart of one public service, and its objects by kind for escape-hatch patches. */
function chartOf(overrides: Partial<ServiceDeclaration> = {}) {
  const chart = new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service(overrides)] });
  const object = (kind: string) => chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === kind)!;
  return { chart, object, render: () => renderChart('production', 'production', chart) };
}

describe('render checks: the load balancer health check equals the readiness probe', () => {
  test('the generated public services pass, whatever the protocol', () => {
    expect(() => chartOf().render()).not.toThrow();
    expect(() => chartOf({ protocol: 'grpc', backendTls: true, health: { path: '/healthz' } }).render()).not.toThrow();
    expect(() => chartOf({ protocol: 'http2', backendTls: true, servicePort: 443 }).render()).not.toThrow();
    expect(() => chartOf({ backendTls: true }).render()).not.toThrow();
  });

  test('a readiness probe patched to gRPC cannot back an HTTP health check', () => {
    // GIVEN a public service whose readiness probe an escape hatch turns into a gRPC probe
    const { object, render } = chartOf();
    object('Deployment').addJsonPatch(cdk8s.JsonPatch.replace('/spec/template/spec/containers/0/readinessProbe', { grpc: { port: 8000 } }));
    // WHEN rendered THEN the check names the mismatch
    expect(render).toThrow(
      /BackendConfig "api": the readiness probe of container "api" is a gRPC probe, but the load balancer health check requests an HTTP path/,
    );
  });

  test('a different path or port fails', () => {
    const { object, render } = chartOf();
    object('BackendConfig').addJsonPatch(
      cdk8s.JsonPatch.replace('/spec/healthCheck/requestPath', '/other'),
      cdk8s.JsonPatch.replace('/spec/healthCheck/port', 9090),
    );
    expect(render).toThrow(/healthCheck\.requestPath \/other differs from the readiness probe path \/healthz/);
    expect(render).toThrow(/healthCheck\.port 9090 must be the readiness probe's containerPort 8000/);
  });

  test('TLS on one side only fails: an HTTP2 health check needs an HTTPS probe', () => {
    // GIVEN a TLS backend whose probe an escape hatch turns back to plain HTTP
    const { object, render } = chartOf({ protocol: 'http2', backendTls: true });
    object('Deployment').addJsonPatch(cdk8s.JsonPatch.remove('/spec/template/spec/containers/0/readinessProbe/httpGet/scheme'));
    expect(render).toThrow(/healthCheck\.type HTTP2 is over TLS on GKE, but the readiness probe uses plain HTTP/);
  });

  test('an HTTP2 health check needs the Service annotation that makes the load balancer speak HTTP/2, and the other way round', () => {
    const a = chartOf({ protocol: 'grpc', backendTls: true, health: '/healthz' });
    a.object('Service').addJsonPatch(cdk8s.JsonPatch.remove('/metadata/annotations/cloud.google.com~1app-protocols'));
    expect(a.render).toThrow(/healthCheck\.type HTTP2 but Service "api" has no cloud\.google\.com\/app-protocols HTTP2 port/);
    const b = chartOf({ protocol: 'grpc', backendTls: true, health: '/healthz' });
    b.object('BackendConfig').addJsonPatch(cdk8s.JsonPatch.replace('/spec/healthCheck/type', 'HTTPS'));
    expect(b.render).toThrow(/Service "api" is reached over HTTP\/2 \(cloud\.google\.com\/app-protocols\) but healthCheck\.type is HTTPS; use HTTP2/);
  });
});
