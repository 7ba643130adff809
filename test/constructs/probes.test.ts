import { renderPlatform } from '../../src/render/render.js';
import { env, find, platform, service } from '../helpers.js';

type Svc = Parameters<typeof service>[0];
const render = (...services: Svc[]) => env(renderPlatform(platform(services.map((s) => service(s)))), 'production').objects;
const containerOf = (objects: ReturnType<typeof render>, name = 'api') => find(objects, 'Deployment', name).spec.template.spec.containers[0];
const internal = (s: Svc): Svc => ({ host: undefined, health: undefined, ...s });

describe('protocols, probes and ports', () => {
  test('an http service keeps its httpGet readiness probe and gets appProtocol http', () => {
    // GIVEN a plain public http service WHEN rendered
    const objects = render({ health: '/ready' });
    // THEN readiness is an httpGet on the named main port, and the Service port says http
    expect(containerOf(objects).readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'http' },
      periodSeconds: 5,
      failureThreshold: 2,
      timeoutSeconds: 2,
    });
    expect(find(objects, 'Service', 'api').spec.ports[0]).toMatchObject({ name: 'http', appProtocol: 'http' });
    // AND the load balancer speaks plain HTTP: no app-protocols annotation, an HTTP health check
    expect(find(objects, 'Service', 'api').metadata.annotations['cloud.google.com/app-protocols']).toBeUndefined();
    expect(find(objects, 'BackendConfig', 'api').spec.healthCheck.type).toBe('HTTP');
  });

  test('a grpc service without health gets the native gRPC probe on its port number, and appProtocol grpc', () => {
    // GIVEN an internal gRPC backend that declares no health check
    const objects = render(internal({ protocol: 'grpc', port: 7070 }));
    // THEN readiness uses the gRPC health protocol (the probe takes a port number, not a name)
    const c = containerOf(objects);
    expect(c.readinessProbe).toEqual({ grpc: { port: 7070 }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 });
    expect(c.ports).toEqual([{ name: 'grpc', containerPort: 7070, protocol: 'TCP' }]);
    expect(find(objects, 'Service', 'api').spec.ports).toEqual([{ name: 'grpc', port: 7070, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' }]);
  });

  test('a named gRPC health service reaches the probe', () => {
    const c = containerOf(render(internal({ protocol: 'grpc', port: 7070, health: { grpc: 'hipstershop.CartService', periodSeconds: 10 } })));
    expect(c.readinessProbe.grpc).toEqual({ port: 7070, service: 'hipstershop.CartService' });
    expect(c.readinessProbe.periodSeconds).toBe(10);
  });

  test('a tcp service gets a tcpSocket probe and no appProtocol', () => {
    const objects = render(internal({ name: 'redis', image: 'registry.example.com/redis:7.2', protocol: 'tcp', port: 6379 }));
    expect(containerOf(objects, 'redis').readinessProbe).toEqual({ tcpSocket: { port: 'tcp' }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 });
    const port = find(objects, 'Service', 'redis').spec.ports[0];
    expect(port).toEqual({ name: 'tcp', port: 6379, targetPort: 'tcp', protocol: 'TCP' });
  });

  test('an internal http2 service is cleartext h2c', () => {
    const objects = render(internal({ protocol: 'http2', health: '/healthz' }));
    expect(find(objects, 'Service', 'api').spec.ports[0].appProtocol).toBe('kubernetes.io/h2c');
    expect(containerOf(objects).readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http2' });
  });

  test('a public grpc service with backendTls: HTTPS probe, app-protocols HTTP2 and an HTTP2 health check equal to the probe', () => {
    // GIVEN a public gRPC service serving TLS, health-checked on an HTTP path
    const objects = render({ protocol: 'grpc', port: 8443, backendTls: true, health: { path: '/healthz' } });
    // THEN kubelet checks the path over TLS
    const c = containerOf(objects);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'grpc', scheme: 'HTTPS' });
    // AND the load balancer speaks HTTP/2 (over TLS) to the named port, and health-checks the same path and port
    const svc = find(objects, 'Service', 'api');
    expect(JSON.parse(svc.metadata.annotations['cloud.google.com/app-protocols'])).toEqual({ grpc: 'HTTP2' });
    expect(svc.spec.ports[0].appProtocol).toBe('https');
    expect(find(objects, 'BackendConfig', 'api').spec.healthCheck).toMatchObject({ type: 'HTTP2', requestPath: '/healthz', port: 8443 });
  });

  test('a public http service with backendTls is reached and checked over HTTPS', () => {
    const objects = render({ backendTls: true, health: '/healthz' });
    expect(JSON.parse(find(objects, 'Service', 'api').metadata.annotations['cloud.google.com/app-protocols'])).toEqual({ http: 'HTTPS' });
    expect(find(objects, 'BackendConfig', 'api').spec.healthCheck.type).toBe('HTTPS');
    expect(containerOf(objects).readinessProbe.httpGet.scheme).toBe('HTTPS');
  });

  test('health headers become httpGet.httpHeaders; liveness takes the object form too', () => {
    const c = containerOf(
      render(
        internal({
          health: { path: '/_healthz', headers: { Cookie: 'shop_session-id=x-readiness-probe' } },
          liveness: { path: '/_healthz', headers: { Cookie: 'shop_session-id=x-liveness-probe' }, port: 9090, failureThreshold: 5 },
          ports: [{ name: 'admin', port: 9090 }],
        }),
      ),
    );
    expect(c.readinessProbe.httpGet.httpHeaders).toEqual([{ name: 'Cookie', value: 'shop_session-id=x-readiness-probe' }]);
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/_healthz', port: 'admin', httpHeaders: [{ name: 'Cookie', value: 'shop_session-id=x-liveness-probe' }] },
      periodSeconds: 10,
      failureThreshold: 5,
      timeoutSeconds: 2,
    });
  });

  test('a tcp liveness check next to an HTTP readiness path', () => {
    const c = containerOf(render({ liveness: { tcp: true } }));
    expect(c.livenessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 });
  });

  test('startupSeconds adds a startup probe of the readiness kind whose budget covers it', () => {
    // GIVEN slow starters of each kind
    const http = containerOf(render({ startupSeconds: 120 }));
    const grpc = containerOf(render(internal({ protocol: 'grpc', startupSeconds: 61 })));
    // THEN the startup probe checks what readiness checks, with failureThreshold × periodSeconds ≥ startupSeconds
    expect(http.startupProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, failureThreshold: 24, timeoutSeconds: 2 });
    expect(grpc.startupProbe.grpc).toEqual({ port: 8000 });
    expect(grpc.startupProbe.failureThreshold * grpc.startupProbe.periodSeconds).toBeGreaterThanOrEqual(61);
    // AND without startupSeconds there is none
    expect(containerOf(render({})).startupProbe).toBeUndefined();
  });

  test('servicePort is the Service port and the Ingress backend port; the target stays the named container port', () => {
    const objects = render({ port: 8080, servicePort: 80 });
    expect(find(objects, 'Service', 'api').spec.ports[0]).toMatchObject({ name: 'http', port: 80, targetPort: 'http' });
    expect(containerOf(objects).ports[0].containerPort).toBe(8080);
    const backend = find(objects, 'Ingress', 'production').spec.rules[0].http.paths[0].backend;
    expect(backend).toEqual({ service: { name: 'api', port: { number: 80 } } });
    // AND the NEG health check still targets the container port
    expect(find(objects, 'BackendConfig', 'api').spec.healthCheck.port).toBe(8080);
  });

  test('extra ports are on the container and on the Service, TCP by default; routes and health stay on the main port', () => {
    const objects = render({
      ports: [
        { name: 'metrics', port: 9090 },
        { name: 'syslog', port: 5514, protocol: 'UDP' },
      ],
    });
    expect(containerOf(objects).ports).toEqual([
      { name: 'http', containerPort: 8000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'syslog', containerPort: 5514, protocol: 'UDP' },
    ]);
    expect(find(objects, 'Service', 'api').spec.ports).toEqual([
      { name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      { name: 'syslog', port: 5514, targetPort: 'syslog', protocol: 'UDP' },
    ]);
    expect(find(objects, 'Ingress', 'production').spec.rules[0].http.paths[0].backend.service.port.number).toBe(8000);
    expect(find(objects, 'BackendConfig', 'api').spec.healthCheck.port).toBe(8000);
  });

  test('the routes summary shows the check each service really gets', () => {
    const [e] = renderPlatform(
      platform([
        service({ port: 8080, servicePort: 80 }),
        service({ name: 'cart', host: undefined, health: undefined, protocol: 'grpc', port: 7070 }),
        service({ name: 'redis', host: undefined, health: undefined, protocol: 'tcp', port: 6379 }),
      ]),
    );
    const summary = e.files.find((f) => f.path === 'routes.md')!.content;
    expect(summary).toContain('| api.example.com | / | api | 80 → 8080 | /healthz |');
    expect(summary).toContain('| cart | 7070 grpc | gRPC health |');
    expect(summary).toContain('| redis | 6379 tcp | TCP connect |');
  });
});
