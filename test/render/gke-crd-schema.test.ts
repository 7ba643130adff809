/**
 * Every BackendConfig and FrontendConfig berth renders — for every example platform and for a declaration using every
 * load-balancer feature — is valid against the openAPIV3Schema of the shared GKE CRDs (../shared/crds/gke, or
 * BERTH_SHARED_DIR), with unknown fields treated as errors (the API server would prune them silently).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { shopPlatform } from '../../charts/examples/typescript-app/shop.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import type { KubeObject } from '../../src/render/types.js';

const CRD_DIR = join(process.env.BERTH_SHARED_DIR ?? resolve(process.cwd(), '../shared'), 'crds', 'gke');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Objects with `properties` reject other keys unless the schema preserves unknown fields. */
function closed(schema: Json): Json {
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = Array.isArray(schema) ? schema.map(closed) : Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if (!Array.isArray(schema) && schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields'])
    out.additionalProperties = false;
  return out;
}

/** The top level (apiVersion, kind, metadata) stays as the API server checks it; `spec` is closed. */
function closedSpec(schema: Json): Json {
  return { ...schema, properties: { ...schema.properties, spec: closed(schema.properties.spec) } };
}

/** `<kind>/<apiVersion>` → validator, from the CRD files. */
function validators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const out = new Map<string, ValidateFunction>();
  for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    const crd = parse(readFileSync(join(CRD_DIR, file), 'utf8')) as Json;
    for (const v of crd.spec.versions) out.set(`${crd.spec.names.kind}/${crd.spec.group}/${v.name}`, ajv.compile(closedSpec(v.schema.openAPIV3Schema)));
  }
  return out;
}

const SERVICE = { image: 'registry.example.com/app:1.0.0', port: 8080, health: '/healthz', memory: '256Mi', cpu: '100m' };
/** Every feature: environment defaults, a service overriding some of them, and an internal environment. */
const FEATURES: PlatformDeclaration = {
  environments: {
    production: {
      tls: { managed: true, sslPolicy: 'berth-modern' },
      loadBalancer: {
        securityPolicy: 'edge-policy',
        iap: { secret: 'iap-oauth' },
        logging: { sampleRate: 0.25 },
        responseHeaders: { 'X-Frame-Options': 'DENY' },
        requestHeaders: { 'X-Client-Region': '{client_region}' },
      },
    },
    corp: {
      ingress: 'internal',
      staticIp: 'corp-ilb-ip',
      tls: { managed: false, preSharedCerts: ['corp-regional-cert'] },
      loadBalancer: { iap: { secret: 'iap-oauth' } },
      services: {
        web: { host: 'www.corp.example.com', loadBalancer: { responseHeaders: { 'Strict-Transport-Security': '' } } },
        shop: { host: 'shop.corp.example.com' },
      },
    },
  },
  services: [
    {
      name: 'web',
      ...SERVICE,
      host: 'www.example.com',
      loadBalancer: { cdn: { cacheMode: 'USE_ORIGIN_HEADERS', cachePolicy: { includeQueryString: false } }, iap: { secret: 'x', enabled: false } },
    },
    {
      name: 'shop',
      ...SERVICE,
      host: 'shop.example.com',
      loadBalancer: { sessionAffinity: { type: 'GENERATED_COOKIE', cookieTtlSeconds: 3600 }, logging: { enabled: false } },
    },
  ],
};

const PLATFORMS: [string, PlatformDeclaration][] = [
  ['charts/platform.yaml', loadPlatformFile('charts/platform.yaml')],
  ...readdirSync('charts/examples')
    .filter((f) => f.endsWith('.yaml'))
    .map((f): [string, PlatformDeclaration] => [`charts/examples/${f}`, loadPlatformFile(join('charts/examples', f))]),
  ['charts/examples/typescript-app', shopPlatform('shop')],
  ['every load-balancer feature', FEATURES],
];

describe('rendered GKE custom resources against the shared CRD schemas', () => {
  const schemas = validators();

  test('the CRDs of BackendConfig and FrontendConfig are there', () => {
    expect([...schemas.keys()]).toEqual(expect.arrayContaining(['BackendConfig/cloud.google.com/v1', 'FrontendConfig/networking.gke.io/v1beta1']));
  });

  test('a misspelled field fails the schema (the check can fail)', () => {
    const validate = schemas.get('BackendConfig/cloud.google.com/v1')!;
    expect(validate({ apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'x' }, spec: { logging: { sampleRat: 1 } } })).toBe(false);
    expect(
      validate({
        apiVersion: 'cloud.google.com/v1',
        kind: 'BackendConfig',
        metadata: { name: 'x' },
        spec: { iap: { enabled: true, oauthclientCredentials: {} } },
      }),
    ).toBe(false);
  });

  test.each(PLATFORMS)('%s: every BackendConfig and FrontendConfig is valid', (_name, platform) => {
    // GIVEN the platform  WHEN rendered
    const objects: KubeObject[] = renderPlatform(platform)
      .flatMap((e) => e.objects)
      .filter((o) => o.kind === 'BackendConfig' || o.kind === 'FrontendConfig');
    expect(objects.length).toBeGreaterThan(0);
    // THEN each object passes its CRD's schema
    for (const o of objects) {
      const [group, version] = o.apiVersion.split('/');
      const validate = schemas.get(`${o.kind}/${group}/${version}`);
      expect(validate).toBeDefined();
      const ok = validate!(o);
      expect({ object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, errors: ok ? null : validate!.errors }).toEqual({
        object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
        errors: null,
      });
    }
  });
});
