import type { DeclarationIssue } from './errors.js';
import { isInternal, mergeLoadBalancer } from './load-balancer.js';
import * as r from './rules.js';
import type { EnvironmentDeclaration, LoadBalancerDeclaration, ServiceDeclaration } from './types.js';

/** RFC 7230 `token`: the characters a header field name may have. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: visible characters, spaces and tabs; never CR, LF or another control character. */
const HEADER_VALUE = /^[^\x00-\x08\x0a-\x1f\x7f]*$/; // eslint-disable-line no-control-regex -- matching control characters is the point
const AFFINITY_TYPES = ['CLIENT_IP', 'GENERATED_COOKIE'];
const CACHE_MODES = ['CACHE_ALL_STATIC', 'USE_ORIGIN_HEADERS', 'FORCE_CACHE_ALL'];
/** GKE's limit on a generated cookie's lifetime: 14 days. */
const MAX_COOKIE_TTL = 1_209_600;

type Push = (field: string, value: unknown, message: string, fix: string) => void;

/** The values of one `loadBalancer` block (an environment's or a service's), at `path`. */
export function checkLoadBalancer(lb: LoadBalancerDeclaration, path: string, issues: DeclarationIssue[], service?: string): void {
  const push: Push = (field, value, message, fix) => issues.push({ path: `${path}.${field}`, service, value, message, fix });
  if (lb.securityPolicy !== undefined) {
    const res = r.checkGcpName(lb.securityPolicy);
    if (res) push('securityPolicy', lb.securityPolicy, `${res[0]} (a Cloud Armor security policy name)`, res[1]);
  }
  if (lb.iap) checkIap(lb.iap, push);
  const rate = lb.logging?.sampleRate;
  if (rate !== undefined && !(rate >= 0 && rate <= 1))
    push('logging.sampleRate', rate, 'must be between 0 and 1 (the fraction of requests logged)', 'write e.g. 0.1 to log one request in ten');
  if (rate !== undefined && lb.logging?.enabled === false)
    push('logging.sampleRate', rate, 'is set while logging is disabled', 'remove sampleRate or set enabled: true');
  checkHeaders(lb.requestHeaders, 'requestHeaders', push);
  checkHeaders(lb.responseHeaders, 'responseHeaders', push);
  if (lb.sessionAffinity) checkAffinity(lb.sessionAffinity, push);
  const mode = lb.cdn?.cacheMode;
  if (mode !== undefined && !CACHE_MODES.includes(mode)) push('cdn.cacheMode', mode, 'is not a Cloud CDN cache mode', `use one of ${CACHE_MODES.join(', ')}`);
}

function checkIap(iap: NonNullable<LoadBalancerDeclaration['iap']>, push: Push): void {
  if (iap.secret === undefined) {
    if (iap.enabled !== false)
      push(
        'iap.secret',
        undefined,
        'is required: Identity-Aware Proxy needs the OAuth client credentials',
        'create a Secret with keys client_id and client_secret in the namespace and name it here, e.g. iap: { secret: iap-oauth }',
      );
    return;
  }
  const res = r.checkSecretName(iap.secret);
  if (res) push('iap.secret', iap.secret, res[0], res[1]);
}

function checkHeaders(headers: Readonly<Record<string, string>> | undefined, field: string, push: Push): void {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name))
      push(
        `${field}`,
        name,
        'has a header name that is not an RFC 7230 token',
        'use letters, digits and -, e.g. X-Frame-Options (no spaces, colons or quotes)',
      );
    else if (!HEADER_VALUE.test(value))
      push(`${field}.${name}`, value.replace(/[\r\n]/g, '⏎'), 'contains a line break or control character', 'write the header value on one line');
  }
}

function checkAffinity(a: NonNullable<LoadBalancerDeclaration['sessionAffinity']>, push: Push): void {
  if (!AFFINITY_TYPES.includes(a.type)) push('sessionAffinity.type', a.type, 'is not a session affinity type', `use ${AFFINITY_TYPES.join(' or ')}`);
  if (a.cookieTtlSeconds === undefined) return;
  if (a.type !== 'GENERATED_COOKIE')
    push(
      'sessionAffinity.cookieTtlSeconds',
      a.cookieTtlSeconds,
      'applies only to type GENERATED_COOKIE',
      'remove cookieTtlSeconds or use type: GENERATED_COOKIE',
    );
  const res = r.checkIntRange(a.cookieTtlSeconds, 0, MAX_COOKIE_TTL, '3600');
  if (res) push('sessionAffinity.cookieTtlSeconds', a.cookieTtlSeconds, `${res[0]} (at most 14 days)`, res[1]);
}

/**
 * Environment-wide rules: the `ingress` kind, and what a regional internal Application Load Balancer cannot do
 * (Google-managed certificates, Cloud Armor, Cloud CDN, the HTTP-to-HTTPS redirect of a FrontendConfig).
 */
export function checkIngressKind(decl: EnvironmentDeclaration, env: string, services: readonly ServiceDeclaration[], issues: DeclarationIssue[]): void {
  const path = `environments.${env}`;
  if (decl.ingress !== undefined && decl.ingress !== 'external' && decl.ingress !== 'internal') {
    issues.push({ path: `${path}.ingress`, value: decl.ingress, message: 'is not an Ingress kind', fix: 'write external (the default) or internal' });
    return;
  }
  if (decl.loadBalancer) checkLoadBalancer(decl.loadBalancer, `${path}.loadBalancer`, issues);
  if (!isInternal(decl)) return;
  if (decl.tls && (decl.tls.managed ?? true)) {
    issues.push({
      path: `${path}.tls.managed`,
      value: decl.tls.managed ?? true,
      message: 'Google-managed certificates are not supported by the internal load balancer (ingress: internal)',
      fix: 'set managed: false and list regional SSL certificates in preSharedCerts (gcloud compute ssl-certificates create --region)',
    });
  }
  if (decl.tls?.redirectHttps === true) {
    issues.push({
      path: `${path}.tls.redirectHttps`,
      value: true,
      message: 'the HTTP-to-HTTPS redirect (FrontendConfig) is not supported by the internal load balancer',
      fix: 'remove redirectHttps (internal environments set kubernetes.io/ingress.allow-http: "false" instead)',
    });
  }
  for (const s of services) {
    const lb = mergeLoadBalancer(decl.loadBalancer, s.loadBalancer);
    for (const field of ['securityPolicy', 'cdn'] as const) {
      if (lb[field] === undefined || (field === 'cdn' && lb.cdn?.enabled === false)) continue;
      const what = field === 'cdn' ? 'Cloud CDN' : 'Cloud Armor';
      issues.push({
        path: `${path}.loadBalancer.${field}`,
        service: s.name,
        value: lb[field],
        message: `${what} is not supported by the internal load balancer (ingress: internal)`,
        fix: `remove ${field} from the environment and from service "${s.name}", or use ingress: external`,
      });
    }
  }
}
