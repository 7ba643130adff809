import { hostsOf } from './effective.js';
import { servicePortOf } from './probes.js';
import { routeBackendName } from './env-knobs.js';
import type { ServiceDeclaration } from './types.js';

/** One Ingress rule: host + path prefix → Service port (`servicePort`, default the container port). */
export interface Route {
  readonly host: string;
  readonly path: string;
  readonly service: string;
  readonly port: number;
  /** The Service the path goes to when it is one of the service's `routes` (`<service>-r<n>`). @default `service` */
  readonly backend?: string;
}

/**
 * Routes of the given services, hosts sorted, paths sorted within a host (stable Ingress output). A path a
 * service declares in `routes` goes to that route's own Service (`backend`) instead of the service's.
 */
export function routesOf(services: readonly ServiceDeclaration[]): Route[] {
  const routes: Route[] = [];
  for (const s of services) {
    const port = servicePortOf(s);
    if (port === undefined) continue;
    const own = (s.routes ?? []).map((r, i) => ({ path: r.path, backend: routeBackendName(s.name, i) }));
    const paths = (s.paths ?? ['/']).filter((p) => !own.some((r) => samePath(r.path, p)));
    for (const host of hostsOf(s)) {
      for (const path of paths) routes.push({ host, path, service: s.name, port });
      for (const r of own) routes.push({ host, path: r.path, service: s.name, port, backend: r.backend });
    }
  }
  return routes.sort((a, b) => cmp(a.host, b.host) || cmp(a.path, b.path));
}

/**
 * A path as GKE reads a `Prefix` path: ingress-gce turns `/foo` and `/foo/` alike into the URL-map path rules
 * `/foo` and `/foo/*` (and keeps the later of two equal rules), so a trailing slash does not make another route.
 */
export function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path;
}

/** True when GKE routes both paths identically (`/api` and `/api/`). */
export function samePath(a: string, b: string): boolean {
  return normalizePath(a) === normalizePath(b);
}

/** The URL-map path rules ingress-gce emits for a `Prefix` path: `/` stays one rule, `/foo` becomes `/foo` and `/foo/*`. */
export function gcePathRules(path: string): string[] {
  const p = normalizePath(path);
  return p === '/' ? ['/*'] : [p, `${p}/*`];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Classic Application Load Balancer URL map limit (GKE Ingress uses the classic LB). */
export const URL_MAP_LIMIT_BYTES = 64 * 1024;

/**
 * Estimated size of the URL map GKE generates for these routes. Google does not publish the exact
 * accounting; this model counts what the map stores per host rule (the host and a generated
 * path-matcher name, ~40 bytes), per path matcher (a default backend reference, ~24 bytes) and per
 * path rule (the path plus a backend reference, ~24 bytes), with the two rules ingress-gce emits per
 * `Prefix` path (`/foo` and `/foo/*`; one for `/`). It is deliberately simple and documented
 * in the README; berth fails above the limit and warns above 80 %.
 */
export function estimateUrlMapBytes(routes: readonly Route[]): number {
  const hosts = new Set(routes.map((r) => r.host));
  let bytes = 0;
  for (const h of hosts) bytes += h.length + 40 + 24;
  for (const r of routes) for (const rule of gcePathRules(r.path)) bytes += rule.length + 24;
  return bytes;
}

/** Google-managed certificates hold at most 100 domains each. */
export const DOMAINS_PER_MANAGED_CERTIFICATE = 100;
/** A target HTTPS proxy takes at most 15 certificates, of every kind. */
export const MAX_CERTIFICATES = 15;

/** Splits domains into ManagedCertificate-sized chunks (sorted, stable). */
export function certificateChunks(domains: readonly string[]): string[][] {
  const sorted = [...new Set(domains)].sort();
  const chunks: string[][] = [];
  for (let i = 0; i < sorted.length; i += DOMAINS_PER_MANAGED_CERTIFICATE) chunks.push(sorted.slice(i, i + DOMAINS_PER_MANAGED_CERTIFICATE));
  return chunks;
}
