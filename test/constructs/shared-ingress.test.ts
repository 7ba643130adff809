/**
 * The shared Ingress's certificates: one ManagedCertificate per host (≤ 15 certificates), hash buckets beyond, per-host
 * sources (managed, pre-shared, TLS Secret), wildcard hosts, and stability: changing one host of a 151-host
 * environment changes that host's certificate object only.
 */
import { describe, expect, test } from '@jest/globals';
import { bucketOf, MANAGED_BUCKETS } from '../../src/declaration/certificates.js';
import type { PlatformDeclaration, TlsDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import type { KubeObject } from '../../src/render/types.js';
import { env, find, kinds, platform, service } from '../helpers.js';

/** One service per host, in production with `tls`. */
function hostsPlatform(hosts: readonly string[], tls: TlsDeclaration): PlatformDeclaration {
  return platform(
    hosts.map((host, i) => service({ name: `s${i}`, host })),
    { production: { tls } },
  );
}

function render(p: PlatformDeclaration): readonly KubeObject[] {
  return env(renderPlatform(p), 'production').objects;
}

/** Every ManagedCertificate as name → its serialized object. */
function certificates(objects: readonly KubeObject[]): Map<string, string> {
  return new Map(kinds(objects, 'ManagedCertificate').map((c) => [c.metadata.name as string, JSON.stringify(c)]));
}

/** Names of certificates added, removed or changed between two renders. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

const HOSTS_151 = Array.from({ length: 151 }, (_, i) => `h${String(i).padStart(3, '0')}.example.com`);

describe('certificate stability', () => {
  test('≤ 15 certificates: adding and removing a host adds or removes only its own ManagedCertificate', () => {
    // GIVEN 14 hosts, each on its own certificate
    const hosts = HOSTS_151.slice(0, 14);
    const before = certificates(render(hostsPlatform(hosts, {})));
    expect(before.size).toBe(14);
    // WHEN one host is added, or one removed
    const added = certificates(render(hostsPlatform([...hosts, 'new.example.com'], {})));
    const removed = certificates(
      render(
        hostsPlatform(
          hosts.filter((h) => h !== 'h005.example.com'),
          {},
        ),
      ),
    );
    // THEN exactly that host's certificate appears or disappears, and every other is byte-identical
    expect(changed(before, added)).toEqual(['production-cert-new.example.com']);
    expect(changed(before, removed)).toEqual(['production-cert-h005.example.com']);
  });

  test('151 hosts: adding, removing or renaming one host changes only the certificate object(s) of that host', () => {
    // GIVEN 151 managed hosts (hash buckets: one certificate per host would exceed 15)
    const before = certificates(render(hostsPlatform(HOSTS_151, {})));
    expect(before.size).toBe(MANAGED_BUCKETS);
    // WHEN a host is added
    const added = certificates(render(hostsPlatform([...HOSTS_151, 'shop.example.com'], {})));
    // THEN only the new host's bucket changed
    expect(changed(before, added)).toEqual([`production-certs-${bucketOf('shop.example.com')}`]);
    // WHEN a host is removed
    const removed = certificates(
      render(
        hostsPlatform(
          HOSTS_151.filter((h) => h !== 'h077.example.com'),
          {},
        ),
      ),
    );
    expect(changed(before, removed)).toEqual([`production-certs-${bucketOf('h077.example.com')}`]);
    // WHEN a host is renamed: the old host's bucket and the new host's bucket, nothing else
    const renamed = certificates(
      render(
        hostsPlatform(
          HOSTS_151.map((h) => (h === 'h077.example.com' ? 'h077b.example.com' : h)),
          {},
        ),
      ),
    );
    expect(changed(before, renamed)).toEqual(
      [...new Set([bucketOf('h077.example.com'), bucketOf('h077b.example.com')])].map((b) => `production-certs-${b}`).sort(),
    );
  });

  test('moving a host to a pre-shared certificate changes only its own bucket', () => {
    // GIVEN 151 managed hosts WHEN one of them gets a pre-shared certificate
    const before = certificates(render(hostsPlatform(HOSTS_151, {})));
    const objects = render(hostsPlatform(HOSTS_151, { certificates: { 'h010.example.com': { preShared: 'h010-cert' } } }));
    // THEN its bucket lost it, no other certificate changed, and the Ingress names the pre-shared one
    expect(changed(before, certificates(objects))).toEqual([`production-certs-${bucketOf('h010.example.com')}`]);
    expect(find(objects, 'Ingress', 'production').metadata.annotations['ingress.gcp.kubernetes.io/pre-shared-cert']).toBe('h010-cert');
  });
});

describe('certificate sources', () => {
  test('a wildcard host on a pre-shared certificate next to managed hosts (managed: true)', () => {
    // GIVEN managed TLS, a concrete host and a wildcard host whose certificate is pre-shared
    const objects = render(
      hostsPlatform(['shop.example.com', '*.app.example.com'], { managed: true, certificates: { '*.app.example.com': { preShared: 'wildcard-app' } } }),
    );
    // THEN only the concrete host is Google-managed, and the wildcard certificate is attached
    expect([...certificates(objects).keys()]).toEqual(['production-cert-shop.example.com']);
    const annotations = find(objects, 'Ingress', 'production').metadata.annotations;
    expect(annotations['networking.gke.io/managed-certificates']).toBe('production-cert-shop.example.com');
    expect(annotations['ingress.gcp.kubernetes.io/pre-shared-cert']).toBe('wildcard-app');
  });

  test("a wildcard host falls back to the environment's preSharedCerts while other hosts stay managed", () => {
    const objects = render(hostsPlatform(['shop.example.com', '*.app.example.com'], { preSharedCerts: ['wildcard-app'] }));
    expect([...certificates(objects).keys()]).toEqual(['production-cert-shop.example.com']);
    expect(find(objects, 'Ingress', 'production').metadata.annotations['ingress.gcp.kubernetes.io/pre-shared-cert']).toBe('wildcard-app');
  });

  test('TLS Secrets become spec.tls, one entry per Secret with its hosts', () => {
    // GIVEN two hosts on one cert-manager Secret and one on another
    const objects = render(
      hostsPlatform(['a.example.com', 'b.example.com', '*.c.example.com'], {
        managed: false,
        certificates: { 'a.example.com': { secret: 'ab-tls' }, 'b.example.com': { secret: 'ab-tls' }, '*.c.example.com': { secret: 'c-wildcard-tls' } },
      }),
    );
    // THEN no ManagedCertificate, no pre-shared annotation, and spec.tls lists both Secrets
    expect(certificates(objects).size).toBe(0);
    const ingress = find(objects, 'Ingress', 'production');
    expect(ingress.metadata.annotations['ingress.gcp.kubernetes.io/pre-shared-cert']).toBeUndefined();
    expect(ingress.spec.tls).toEqual([
      { hosts: ['a.example.com', 'b.example.com'], secretName: 'ab-tls' },
      { hosts: ['*.c.example.com'], secretName: 'c-wildcard-tls' },
    ]);
  });

  test('managed: false keeps a host that asks for { managed: true } Google-managed', () => {
    const objects = render(
      hostsPlatform(['a.example.com', 'b.example.com'], { managed: false, preSharedCerts: ['legacy'], certificates: { 'b.example.com': { managed: true } } }),
    );
    expect([...certificates(objects).keys()]).toEqual(['production-cert-b.example.com']);
    expect(find(objects, 'Ingress', 'production').metadata.annotations['ingress.gcp.kubernetes.io/pre-shared-cert']).toBe('legacy');
  });
});
