/**
 * Which certificate serves each host of an environment, chosen so that a host's certificate never changes because
 * another host was added or removed (pure and stateless: derived from the hosts themselves).
 *
 * gke-managed-certs recreates a ManagedCertificate's SslCertificate whenever its domain list changes (a new
 * certificate takes up to an hour to provision), so the rule keeps every other certificate's domain list fixed:
 * - while the environment needs ≤ 15 certificates with one ManagedCertificate per managed host, every managed host
 *   gets its own, named after the host (`<ingress>-cert-<host>`): adding or removing a host adds or
 *   removes exactly its own certificate;
 * - beyond that, managed hosts go to 10 fixed buckets by a hash of the host (`<ingress>-certs-<n>`): adding or
 *   removing a host changes only its own bucket's domain list (that bucket's hosts are re-provisioned, no other).
 *   Crossing the threshold moves every managed host once; see README "Certificates".
 */
import { createHash } from 'node:crypto';
import { MAX_CERTIFICATES } from './routing.js';
import type { HostCertificate, TlsDeclaration } from './types.js';

export { DOMAINS_PER_MANAGED_CERTIFICATE, MAX_CERTIFICATES } from './routing.js';
/** Fixed number of hash buckets for managed hosts once one certificate per host would exceed MAX_CERTIFICATES. */
export const MANAGED_BUCKETS = 10;

/** A host's resolved source: its own declaration, the environment's managed default, its preSharedCerts, or none. */
export type HostSource =
  | { readonly kind: 'managed' }
  | { readonly kind: 'preShared'; readonly name: string }
  | { readonly kind: 'secret'; readonly name: string }
  | { readonly kind: 'environment' }
  | { readonly kind: 'none' };

export interface ManagedCertificatePlan {
  readonly name: string;
  readonly domains: readonly string[];
}

export interface CertificatePlan {
  readonly managed: readonly ManagedCertificatePlan[];
  /** Every pre-shared certificate: the environment's `preSharedCerts`, then per-host ones (deduplicated). */
  readonly preShared: readonly string[];
  /** `spec.tls` entries, one per Secret, sorted by Secret name. */
  readonly secrets: readonly { readonly secretName: string; readonly hosts: readonly string[] }[];
  /** Managed hosts share hash buckets (more than MAX_CERTIFICATES certificates with one per host). */
  readonly bucketed: boolean;
  /** Certificates on the target HTTPS proxy. */
  readonly count: number;
}

/** A Google-managed certificate can cover this host (no wildcard, ≤ 63 characters). */
export function manageable(host: string): boolean {
  return !host.startsWith('*.') && host.length <= 63;
}

/** The entry's one source, or undefined when it sets none or several. */
export function entrySource(entry: HostCertificate): HostSource | undefined {
  const set = [entry.managed === true, entry.preShared !== undefined, entry.secret !== undefined].filter(Boolean).length;
  if (set !== 1) return undefined;
  if (entry.managed === true) return { kind: 'managed' };
  return entry.preShared !== undefined ? { kind: 'preShared', name: entry.preShared } : { kind: 'secret', name: entry.secret! };
}

/** Where the host's certificate comes from. */
export function hostSource(host: string, tls: TlsDeclaration): HostSource {
  const entry = tls.certificates?.[host];
  if (entry) return entrySource(entry) ?? { kind: 'none' };
  if ((tls.managed ?? true) && manageable(host)) return { kind: 'managed' };
  return (tls.preSharedCerts?.length ?? 0) > 0 ? { kind: 'environment' } : { kind: 'none' };
}

function hashOf(host: string): string {
  return createHash('sha256').update(host).digest('hex');
}

/** The bucket (0 … MANAGED_BUCKETS-1) a managed host belongs to once certificates are bucketed. */
export function bucketOf(host: string): number {
  return Number.parseInt(hashOf(host).slice(0, 8), 16) % MANAGED_BUCKETS;
}

/** Name of the host's own ManagedCertificate (≤ 15 certificates): readable, unique per host, a DNS-1123 subdomain. */
export function hostCertificateName(ingress: string, host: string): string {
  return `${ingress}-cert-${host}`;
}

/** Name of a bucket's ManagedCertificate (> 15 certificates). */
export function bucketCertificateName(ingress: string, bucket: number): string {
  return `${ingress}-certs-${bucket}`;
}

/** The certificates of an environment's Ingress for these hosts (duplicates ignored). */
export function planCertificates(ingress: string, hosts: readonly string[], tls: TlsDeclaration): CertificatePlan {
  const unique = [...new Set(hosts)].sort();
  const managedHosts: string[] = [];
  const preShared = new Set(tls.preSharedCerts ?? []);
  const secrets = new Map<string, string[]>();
  for (const host of unique) {
    const source = hostSource(host, tls);
    if (source.kind === 'managed') managedHosts.push(host);
    else if (source.kind === 'preShared') preShared.add(source.name);
    else if (source.kind === 'secret') secrets.set(source.name, [...(secrets.get(source.name) ?? []), host]);
  }
  const others = preShared.size + secrets.size;
  const bucketed = managedHosts.length + others > MAX_CERTIFICATES;
  const managed = bucketed ? buckets(ingress, managedHosts) : managedHosts.map((h) => ({ name: hostCertificateName(ingress, h), domains: [h] }));
  const secretList = [...secrets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([secretName, list]) => ({ secretName, hosts: list }));
  return { managed, preShared: [...preShared], secrets: secretList, bucketed, count: managed.length + others };
}

function buckets(ingress: string, hosts: readonly string[]): ManagedCertificatePlan[] {
  const byBucket = new Map<number, string[]>();
  for (const h of hosts) byBucket.set(bucketOf(h), [...(byBucket.get(bucketOf(h)) ?? []), h]);
  return [...byBucket].sort(([a], [b]) => a - b).map(([b, domains]) => ({ name: bucketCertificateName(ingress, b), domains }));
}
