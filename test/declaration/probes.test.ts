import { appProtocolOf, livenessOf, loadBalancerProtocolOf, mainPortName, readinessOf, servicePortOf, startupOf } from '../../src/declaration/probes.js';
import { service } from '../helpers.js';

describe('protocol defaults, resolved in one place', () => {
  test('protocol decides the main port name, the appProtocol and what the load balancer speaks', () => {
    const rows = (['http', 'http2', 'grpc', 'tcp'] as const).map((protocol) => {
      const s = service({ protocol });
      return [protocol, mainPortName(s), appProtocolOf(s), loadBalancerProtocolOf(s)];
    });
    expect(rows).toEqual([
      ['http', 'http', 'http', 'HTTP'],
      ['http2', 'http2', 'kubernetes.io/h2c', 'HTTP2'],
      ['grpc', 'grpc', 'grpc', 'HTTP2'],
      ['tcp', 'tcp', undefined, 'HTTP'],
    ]);
    // AND a port serving TLS is https to meshes, HTTPS (or HTTP2 over TLS) to the load balancer
    expect(appProtocolOf(service({ protocol: 'grpc', backendTls: true }))).toBe('https');
    expect(loadBalancerProtocolOf(service({ backendTls: true }))).toBe('HTTPS');
  });

  test("no health: grpc and tcp derive their protocol's check, http and http2 get none (validation requires one)", () => {
    expect(readinessOf(service({ protocol: 'grpc', health: undefined }))).toMatchObject({ kind: 'grpc', port: 8000, periodSeconds: 5, failureThreshold: 2 });
    expect(readinessOf(service({ protocol: 'tcp', health: undefined }))).toMatchObject({ kind: 'tcp', portName: 'tcp' });
    expect(readinessOf(service({ health: undefined }))).toBeUndefined();
    expect(readinessOf(service({ protocol: 'http2', health: undefined }))).toBeUndefined();
    // AND a worker has no checks at all
    expect(readinessOf(service({ port: undefined, host: undefined }))).toBeUndefined();
    expect(livenessOf(service({ port: undefined, host: undefined, liveness: '/livez' }))).toBeUndefined();
  });

  test('liveness defaults are slower than readiness; the object form overrides them', () => {
    expect(livenessOf(service({ liveness: '/livez' }))).toMatchObject({ kind: 'path', path: '/livez', periodSeconds: 10, failureThreshold: 3 });
    expect(livenessOf(service({ liveness: { path: '/livez', periodSeconds: 30, failureThreshold: 1 } }))).toMatchObject({
      periodSeconds: 30,
      failureThreshold: 1,
    });
  });

  test('HTTPS only on the TLS main port, not on an extra plaintext port', () => {
    const s = service({ backendTls: true, ports: [{ name: 'admin', port: 9090 }], liveness: { path: '/livez', port: 9090 } });
    expect(readinessOf(s)!.scheme).toBe('HTTPS');
    expect(livenessOf(s)).toMatchObject({ scheme: 'HTTP', portName: 'admin' });
  });

  test('the startup budget covers startupSeconds with 5 s periods', () => {
    for (const seconds of [1, 5, 6, 59, 60, 600]) {
      const startup = startupOf(service({ startupSeconds: seconds }))!;
      expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(seconds);
      expect(startup.periodSeconds * (startup.failureThreshold - 1)).toBeLessThan(seconds);
    }
  });

  test('servicePort defaults to port', () => {
    expect(servicePortOf(service({ port: 8080 }))).toBe(8080);
    expect(servicePortOf(service({ port: 8080, servicePort: 80 }))).toBe(80);
    expect(servicePortOf(service({ port: undefined, host: undefined }))).toBeUndefined();
  });
});
