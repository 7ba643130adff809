/** Load-balancer features: environment defaults, per-service overrides field by field, HSTS with TLS, internal environments. */
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import { find } from '../helpers.js';

const SERVICE = { image: 'registry.example.com/app:1.0.0', port: 8080, health: '/healthz', memory: '256Mi', cpu: '100m' };

function render(platform: PlatformDeclaration, env: string) {
  return renderPlatform(platform).find((e) => e.name === env)!.objects;
}

describe('load-balancer features', () => {
  test("environment defaults merge with a service's own fields, headers per name, HSTS added with TLS", () => {
    // GIVEN an environment default and a service overriding one field and adding a header
    const platform: PlatformDeclaration = {
      environments: {
        production: {
          tls: { managed: true },
          loadBalancer: { securityPolicy: 'edge', logging: { sampleRate: 0.2 }, responseHeaders: { 'X-Frame-Options': 'DENY' } },
        },
      },
      services: [
        {
          name: 'web',
          ...SERVICE,
          host: 'www.example.com',
          loadBalancer: { logging: { sampleRate: 0.5 }, responseHeaders: { 'X-Team': 'web' }, sessionAffinity: { type: 'CLIENT_IP' } },
        },
      ],
    };
    // WHEN rendered
    const spec = find(render(platform, 'production'), 'BackendConfig', 'web').spec;
    // THEN the service wins field by field and keeps the environment's other fields
    expect(spec.securityPolicy).toEqual({ name: 'edge' });
    expect(spec.logging).toEqual({ enable: true, sampleRate: 0.5 });
    expect(spec.sessionAffinity).toEqual({ affinityType: 'CLIENT_IP' });
    expect(spec.customResponseHeaders.headers).toEqual([
      'X-Frame-Options: DENY',
      'X-Team: web',
      'Strict-Transport-Security: max-age=31536000; includeSubDomains',
    ]);
  });

  test('HSTS: none without TLS, and an empty value opts out', () => {
    const base = { name: 'web', ...SERVICE, host: 'www.example.com' };
    // GIVEN one environment without TLS and one with TLS that opts out
    const platform: PlatformDeclaration = {
      environments: {
        dev: { services: { web: { host: 'www.dev.example.com' } } },
        production: { tls: { managed: true }, loadBalancer: { responseHeaders: { 'strict-transport-security': '' } } },
      },
      services: [base],
    };
    // THEN neither BackendConfig carries response headers
    expect(find(render(platform, 'dev'), 'BackendConfig', 'web').spec.customResponseHeaders).toBeUndefined();
    expect(find(render(platform, 'production'), 'BackendConfig', 'web').spec.customResponseHeaders).toBeUndefined();
  });

  test('IAP, CDN with defaults, request headers, cookie affinity', () => {
    const platform: PlatformDeclaration = {
      environments: { production: { loadBalancer: { iap: { secret: 'iap-oauth' }, requestHeaders: { 'X-Client-Region': '{client_region}' } } } },
      services: [
        { name: 'web', ...SERVICE, host: 'www.example.com', loadBalancer: { cdn: {}, sessionAffinity: { type: 'GENERATED_COOKIE', cookieTtlSeconds: 60 } } },
      ],
    };
    const spec = find(render(platform, 'production'), 'BackendConfig', 'web').spec;
    expect(spec.iap).toEqual({ enabled: true, oauthclientCredentials: { secretName: 'iap-oauth' } });
    expect(spec.cdn).toEqual({
      enabled: true,
      cacheMode: 'CACHE_ALL_STATIC',
      cachePolicy: { includeHost: true, includeProtocol: true, includeQueryString: true },
    });
    expect(spec.customRequestHeaders).toEqual({ headers: ['X-Client-Region: {client_region}'] });
    expect(spec.sessionAffinity).toEqual({ affinityType: 'GENERATED_COOKIE', affinityCookieTtlSec: 60 });
  });

  test('ingress: internal renders a gce-internal Ingress with a regional address, no ManagedCertificate, HTTP closed', () => {
    // GIVEN an internal environment with a regional pre-shared certificate
    const platform: PlatformDeclaration = {
      environments: { corp: { ingress: 'internal', staticIp: 'corp-ip', tls: { managed: false, preSharedCerts: ['corp-cert'] } } },
      services: [{ name: 'web', ...SERVICE, host: 'web.corp.example.com' }],
    };
    // WHEN rendered
    const objects = render(platform, 'corp');
    const ingress = find(objects, 'Ingress', 'corp');
    // THEN
    expect(ingress.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce-internal',
      'kubernetes.io/ingress.regional-static-ip-name': 'corp-ip',
      'kubernetes.io/ingress.allow-http': 'false',
      'ingress.gcp.kubernetes.io/pre-shared-cert': 'corp-cert',
    });
    expect(objects.filter((o) => o.kind === 'ManagedCertificate' || o.kind === 'FrontendConfig')).toEqual([]);
    expect(find(objects, 'Service', 'web').metadata.annotations['cloud.google.com/neg']).toBe('{"ingress": true}');
  });
});
