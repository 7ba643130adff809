import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service, type Json } from '../helpers.js';

describe('EnvironmentChart', () => {
  const services = [
    service({ name: 'web', host: 'www.example.com', port: 3000 }),
    service({ name: 'api', host: 'api.example.com' }),
    service({ name: 'billing', host: 'api.example.com', paths: ['/billing'], port: 8080 }),
    service({ name: 'internal', host: undefined }),
  ];

  test('the Namespace enforces, warns and audits the restricted Pod Security profile', () => {
    const ns = find(env(renderPlatform(platform(services)), 'production').objects, 'Namespace', 'production');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(ns.metadata.namespace).toBeUndefined();
  });

  test('exactly one Ingress holds every host and path, with the gce class annotation and no ingressClassName', () => {
    // GIVEN three public services on two hosts WHEN rendered
    const objects = env(renderPlatform(platform(services)), 'production').objects;
    // THEN there is one Ingress
    const [ingress, ...others] = kinds(objects, 'Ingress');
    expect(others).toHaveLength(0);
    expect(ingress.metadata.annotations['kubernetes.io/ingress.class']).toBe('gce');
    expect(ingress.spec.ingressClassName).toBeUndefined();
    // AND hosts are sorted, paths sorted within a host, each pointing at its service port
    expect(
      ingress.spec.rules.map((r: Json) => [r.host, r.http.paths.map((p: Json) => `${p.path}->${p.backend.service.name}:${p.backend.service.port.number}`)]),
    ).toEqual([
      ['api.example.com', ['/->api:8000', '/billing->billing:8080']],
      ['www.example.com', ['/->web:3000']],
    ]);
    expect(kinds(objects, 'Service').every((s) => s.spec.type === 'ClusterIP')).toBe(true);
  });

  test('every object carries an explicit, non-default namespace (except the cluster-scoped Namespace and PriorityClasses)', () => {
    const objects = env(renderPlatform(platform(services, { production: { namespace: 'prod' } })), 'production').objects;
    expect(objects.filter((o) => o.kind !== 'Namespace' && o.kind !== 'PriorityClass').every((o) => o.metadata.namespace === 'prod')).toBe(true);
    expect(objects.filter((o) => o.kind === 'PriorityClass').map((o) => [o.metadata.name, o.metadata.namespace])).toEqual([['berth-normal', undefined]]);
  });

  test('managed TLS adds a ManagedCertificate for every host, a FrontendConfig with HTTPS redirect and a static IP', () => {
    const objects = env(renderPlatform(platform(services, { production: { tls: { managed: true }, staticIp: 'prod-ip' } })), 'production').objects;
    expect(find(objects, 'ManagedCertificate', 'production-cert-api.example.com').spec.domains).toEqual(['api.example.com']);
    expect(find(objects, 'ManagedCertificate', 'production-cert-www.example.com').spec.domains).toEqual(['www.example.com']);
    expect(find(objects, 'FrontendConfig', 'production').spec.redirectToHttps).toEqual({ enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' });
    expect(find(objects, 'Ingress', 'production').metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce',
      'kubernetes.io/ingress.global-static-ip-name': 'prod-ip',
      'networking.gke.io/managed-certificates': 'production-cert-api.example.com,production-cert-www.example.com',
      'networking.gke.io/v1beta1.FrontendConfig': 'production',
    });
  });

  test('more than 15 hosts share 10 hash-bucket ManagedCertificates', () => {
    const many = Array.from({ length: 150 }, (_, i) => service({ name: `s${i}`, host: `s${i}.example.com` }));
    const objects = env(renderPlatform(platform(many, { production: { tls: {} } })), 'production').objects;
    const certs = kinds(objects, 'ManagedCertificate');
    expect(certs.map((c) => c.metadata.name)).toEqual(Array.from({ length: 10 }, (_, b) => `production-certs-${b}`));
    expect(certs.reduce((n, c) => n + c.spec.domains.length, 0)).toBe(150);
    expect(find(objects, 'Ingress', 'production').metadata.annotations['networking.gke.io/managed-certificates']).toBe(
      certs.map((c) => c.metadata.name).join(','),
    );
  });

  test('pre-shared certificates and an SSL policy without redirect', () => {
    const objects = env(
      renderPlatform(platform(services, { production: { tls: { managed: false, preSharedCerts: ['wildcard'], sslPolicy: 'modern', redirectHttps: false } } })),
      'production',
    ).objects;
    expect(kinds(objects, 'ManagedCertificate')).toHaveLength(0);
    expect(find(objects, 'FrontendConfig', 'production').spec).toEqual({ sslPolicy: 'modern' });
    expect(find(objects, 'Ingress', 'production').metadata.annotations['ingress.gcp.kubernetes.io/pre-shared-cert']).toBe('wildcard');
  });

  test('no public service means no Ingress (no load balancer)', () => {
    const objects = env(renderPlatform(platform([service({ host: undefined })])), 'production').objects;
    expect(kinds(objects, 'Ingress')).toHaveLength(0);
  });

  test('environment overrides apply per environment; enabled: false leaves a service out; null drops a field', () => {
    const decl = platform([service({ autoscaling: { min: 2, max: 4 }, replicas: undefined }), service({ name: 'worker', host: undefined, port: undefined })], {
      production: {},
      staging: { services: { api: { host: 'api.staging.example.com', autoscaling: null, replicas: 1 }, worker: { enabled: false } } },
    });
    const rendered = renderPlatform(decl);
    const staging = env(rendered, 'staging').objects;
    expect(find(staging, 'Deployment', 'api').spec.replicas).toBe(1);
    expect(kinds(staging, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(find(staging, 'Ingress', 'staging').spec.rules[0].host).toBe('api.staging.example.com');
    expect(staging.some((o) => o.metadata.name === 'worker')).toBe(false);
    expect(find(env(rendered, 'production').objects, 'Deployment', 'worker')).toBeDefined();
  });
});
