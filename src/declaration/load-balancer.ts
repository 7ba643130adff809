import type { EnvironmentDeclaration, LoadBalancerDeclaration } from './types.js';

/**
 * Load-balancer features resolved once: the environment's `loadBalancer` defaults, a service's own
 * `loadBalancer` over them field by field (header maps per header name), and the HSTS default with TLS.
 * The result is the part of a BackendConfig spec these features set (cloud.google.com/v1 field names).
 */
export interface BackendFeatures {
  readonly securityPolicy?: { readonly name: string };
  readonly iap?: { readonly enabled: boolean; readonly oauthclientCredentials: { readonly secretName: string } };
  readonly logging?: { readonly enable: boolean; readonly sampleRate?: number };
  readonly customRequestHeaders?: { readonly headers: readonly string[] };
  readonly customResponseHeaders?: { readonly headers: readonly string[] };
  readonly sessionAffinity?: { readonly affinityType: string; readonly affinityCookieTtlSec?: number };
  readonly cdn?: {
    readonly enabled: boolean;
    readonly cacheMode: string;
    readonly cachePolicy: { readonly includeHost: boolean; readonly includeProtocol: boolean; readonly includeQueryString: boolean };
  };
}

/** The response header berth adds when TLS is on: browsers keep to HTTPS for a year, subdomains included. */
export const HSTS_HEADER = 'Strict-Transport-Security';
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/** Default Cloud CDN cache mode: static content only, so dynamic API answers are never cached by surprise. */
export const DEFAULT_CACHE_MODE = 'CACHE_ALL_STATIC';

/** The SSL policy name the README tells users to create (`gcloud compute ssl-policies create berth-modern ...`). */
export const RECOMMENDED_SSL_POLICY = 'berth-modern';

/** Whether an environment's Ingress is a regional internal Application Load Balancer. */
export function isInternal(env: EnvironmentDeclaration | undefined): boolean {
  return env?.ingress === 'internal';
}

/** Whether an environment serves HTTPS (a `tls` block). */
export function tlsOn(env: EnvironmentDeclaration | undefined): boolean {
  return env?.tls !== undefined;
}

/** The environment default with the service's declaration over it, field by field (header maps per key). */
export function mergeLoadBalancer(env: LoadBalancerDeclaration | undefined, own: LoadBalancerDeclaration | undefined): LoadBalancerDeclaration {
  const merged: Record<string, unknown> = { ...env, ...own };
  for (const key of ['responseHeaders', 'requestHeaders'] as const) {
    if (env?.[key] || own?.[key]) merged[key] = { ...env?.[key], ...own?.[key] };
  }
  return merged;
}

/** BackendConfig fields of a service's load-balancer features in an environment. */
export function backendFeatures(env: EnvironmentDeclaration | undefined, own: LoadBalancerDeclaration | undefined): BackendFeatures {
  const lb = mergeLoadBalancer(env?.loadBalancer, own);
  const out: Record<string, unknown> = {};
  if (lb.securityPolicy !== undefined) out.securityPolicy = { name: lb.securityPolicy };
  if (lb.iap && lb.iap.enabled !== false) out.iap = { enabled: true, oauthclientCredentials: { secretName: lb.iap.secret } };
  if (lb.logging) {
    const enable = lb.logging.enabled ?? true;
    out.logging = enable ? { enable, sampleRate: lb.logging.sampleRate ?? 1 } : { enable };
  }
  const requestHeaders = headerLines(lb.requestHeaders ?? {});
  if (requestHeaders.length > 0) out.customRequestHeaders = { headers: requestHeaders };
  const responseHeaders = headerLines(withHsts(lb.responseHeaders ?? {}, tlsOn(env)));
  if (responseHeaders.length > 0) out.customResponseHeaders = { headers: responseHeaders };
  if (lb.sessionAffinity) {
    const ttl = lb.sessionAffinity.type === 'GENERATED_COOKIE' ? lb.sessionAffinity.cookieTtlSeconds : undefined;
    out.sessionAffinity = ttl === undefined ? { affinityType: lb.sessionAffinity.type } : { affinityType: lb.sessionAffinity.type, affinityCookieTtlSec: ttl };
  }
  if (lb.cdn && lb.cdn.enabled !== false) {
    const p = lb.cdn.cachePolicy ?? {};
    out.cdn = {
      enabled: true,
      cacheMode: lb.cdn.cacheMode ?? DEFAULT_CACHE_MODE,
      cachePolicy: { includeHost: p.includeHost ?? true, includeProtocol: p.includeProtocol ?? true, includeQueryString: p.includeQueryString ?? true },
    };
  }
  return out;
}

/** The declared response headers plus HSTS when TLS is on and no `Strict-Transport-Security` is declared. */
function withHsts(headers: Readonly<Record<string, string>>, tls: boolean): Record<string, string> {
  const declared = Object.keys(headers).some((k) => k.toLowerCase() === HSTS_HEADER.toLowerCase());
  return tls && !declared ? { ...headers, [HSTS_HEADER]: HSTS_VALUE } : { ...headers };
}

/** `Name: value` lines, in declaration order; an empty value drops the header (the way to opt out of HSTS). */
function headerLines(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`);
}
