/** The pure certificate plan: sources per host, the ≤ 15 / bucket rule, stable hash buckets. */
import { describe, expect, test } from '@jest/globals';
import { bucketOf, entrySource, hostSource, MANAGED_BUCKETS, planCertificates } from '../../src/declaration/certificates.js';

describe('hostSource', () => {
  test('a listed host uses its entry; others follow managed, then preSharedCerts', () => {
    const tls = { managed: true, preSharedCerts: ['wild'], certificates: { 'api.example.com': { secret: 'api-tls' } } };
    expect(hostSource('api.example.com', tls)).toEqual({ kind: 'secret', name: 'api-tls' });
    expect(hostSource('www.example.com', tls)).toEqual({ kind: 'managed' });
    expect(hostSource('*.app.example.com', tls)).toEqual({ kind: 'environment' });
    expect(hostSource(`${'a'.repeat(60)}.example.com`, tls)).toEqual({ kind: 'environment' });
    expect(hostSource('*.app.example.com', { managed: true })).toEqual({ kind: 'none' });
    expect(hostSource('www.example.com', { managed: false })).toEqual({ kind: 'none' });
  });

  test('an entry names exactly one source', () => {
    expect(entrySource({ managed: true })).toEqual({ kind: 'managed' });
    expect(entrySource({ preShared: 'p' })).toEqual({ kind: 'preShared', name: 'p' });
    expect(entrySource({ managed: false })).toBeUndefined();
    expect(entrySource({ preShared: 'p', secret: 's' })).toBeUndefined();
  });
});

describe('planCertificates', () => {
  test('one certificate per managed host while the total stays ≤ 15', () => {
    const hosts = Array.from({ length: 13 }, (_, i) => `h${i}.example.com`);
    const plan = planCertificates('production', [...hosts, 'h0.example.com'], { preSharedCerts: ['a', 'b'] });
    expect(plan.bucketed).toBe(false);
    expect(plan.count).toBe(15);
    expect(plan.managed.every((c) => c.domains.length === 1 && c.name === `production-cert-${c.domains[0]}`)).toBe(true);
  });

  test('one more certificate switches managed hosts to the fixed hash buckets', () => {
    const hosts = Array.from({ length: 14 }, (_, i) => `h${i}.example.com`);
    const plan = planCertificates('production', hosts, { preSharedCerts: ['a', 'b'] });
    expect(plan.bucketed).toBe(true);
    for (const c of plan.managed) expect(c.domains.every((h) => `production-certs-${bucketOf(h)}` === c.name)).toBe(true);
    expect(plan.count).toBe(plan.managed.length + 2);
  });

  test('bucketOf is a pure function of the host, within range, and spreads hosts', () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => `host-${i}.example.com`);
    const counts = Array<number>(MANAGED_BUCKETS).fill(0);
    for (const h of hosts) counts[bucketOf(h)] += 1;
    expect(bucketOf('api.example.com')).toBe(bucketOf('api.example.com'));
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(140);
  });
});
