/**
 * The certificate handover's decisions (pure): which old certificates stay attached, which new ones are attached in
 * each step, and that every step fits GKE's 15 certificates per Ingress. The Ingress and ManagedCertificates are the
 * ones berth renders; a small simulation plays GKE (new certificates become Active one step later).
 */
import { describe, expect, it } from '@jest/globals';
import type { PlatformDeclaration, TlsDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import type { KubeObject } from '../../src/render/types.js';
import { ANNOTATION_HASH } from '../../src/deploy/compare.js';
import {
  CERTIFICATE_LIMIT,
  type HandoverStep,
  MANAGED_ANNOTATION,
  PRE_SHARED_ANNOTATION,
  certificateRefs,
  pendingLine,
  planHandover,
  withoutAttached,
} from '../../src/deploy/certificate-handover.js';

type Cert = KubeObject & { spec: { domains: string[] }; status?: { certificateStatus?: string; certificateName?: string } };

const hostsOf = (n: number) => Array.from({ length: n }, (_, i) => `h${String(i).padStart(2, '0')}.example.com`);

/** The rendered Ingress and ManagedCertificates of one environment routing `hosts` with TLS. */
function rendered(hosts: readonly string[], tls: TlsDeclaration = {}): { ingress: KubeObject; certs: Map<string, Cert> } {
  const decl = {
    environments: { prod: { namespace: 'prod', tls } },
    services: [
      {
        name: 'web',
        image: 'registry.example.com/web:1.0.0',
        port: 8000,
        health: '/healthz',
        memory: '64Mi',
        cpu: '10m',
        host: hosts[0],
        hosts: hosts.slice(1),
      },
    ],
  } as unknown as PlatformDeclaration;
  const objects = renderPlatform(decl, { environments: ['prod'] })[0].objects;
  const certs = new Map(objects.filter((o) => o.kind === 'ManagedCertificate').map((c) => [c.metadata.name, c as Cert]));
  return { ingress: objects.find((o) => o.kind === 'Ingress')!, certs };
}

function active(certs: Map<string, Cert>): Map<string, Cert> {
  return new Map([...certs].map(([n, c]) => [n, { ...c, status: { certificateStatus: 'Active' } }]));
}

const managedNames = (ingress: KubeObject) => (ingress.metadata.annotations?.[MANAGED_ANNOTATION] ?? '').split(',').filter(Boolean);
const countOf = (ingress: KubeObject) => certificateRefs(ingress).length;

/**
 * Plays deploy + GKE until no step is left: each deploy applies the step (new certificates created Provisioning,
 * old ones pruned once no Ingress names them), then the certificates it awaits become Active.
 */
function simulate(from: ReturnType<typeof rendered>, to: ReturnType<typeof rendered>): { steps: HandoverStep[]; live: KubeObject; certs: Map<string, Cert> } {
  let live = from.ingress;
  let certs = active(from.certs);
  const steps: HandoverStep[] = [];
  for (let i = 0; i < 50; i++) {
    const step = planHandover({ desired: to.ingress, desiredCerts: to.certs, live, liveCerts: certs });
    live = step?.ingress ?? to.ingress;
    const attached = new Set(managedNames(live));
    const next = new Map<string, Cert>();
    for (const [n, c] of certs) if (attached.has(n) || to.certs.has(n)) next.set(n, c);
    for (const [n, c] of to.certs) if (!next.has(n) || next.get(n)!.spec.domains.join() !== c.spec.domains.join()) next.set(n, { ...c });
    for (const n of step?.awaiting ?? []) next.set(n, { ...next.get(n)!, status: { certificateStatus: 'Active' } });
    certs = next;
    if (!step) return { steps, live, certs };
    steps.push(step);
  }
  throw new Error('the handover did not finish in 50 steps');
}

describe('planHandover', () => {
  it('needs no step for a first deploy or when the certificates stay the same', () => {
    // GIVEN an environment with three hosts
    const now = rendered(hostsOf(3));
    // WHEN nothing is live, or the same Ingress is live with its certificates Active
    // THEN there is nothing to hand over
    expect(planHandover({ desired: now.ingress, desiredCerts: now.certs, live: undefined, liveCerts: new Map() })).toBeUndefined();
    expect(planHandover({ desired: now.ingress, desiredCerts: now.certs, live: now.ingress, liveCerts: active(now.certs) })).toBeUndefined();
  });

  it('keeps a pre-shared certificate attached while the host moves to a managed certificate not yet Active', () => {
    // GIVEN api.example.com served by a pre-shared certificate, now declared Google-managed
    const host = 'api.example.com';
    const before = rendered([host], { managed: false, certificates: { [host]: { preShared: 'api-cert' } } });
    const after = rendered([host]);
    // WHEN the new ManagedCertificate does not exist yet
    const step = planHandover({ desired: after.ingress, desiredCerts: after.certs, live: before.ingress, liveCerts: new Map() })!;
    // THEN the step Ingress names both, the old one kept, the new one awaited
    expect(step.ingress.metadata.annotations?.[PRE_SHARED_ANNOTATION]).toBe('api-cert');
    expect(step.ingress.metadata.annotations?.[MANAGED_ANNOTATION]).toBe(`prod-cert-${host}`);
    expect(step.bridging.map((b) => b.name)).toEqual(['api-cert']);
    expect(step.awaiting).toEqual([`prod-cert-${host}`]);
    expect(step.evicted).toEqual([]);
    // AND its config hash is its own (the final Ingress is applied later)
    expect(step.ingress.metadata.annotations?.[ANNOTATION_HASH]).not.toBe(after.ingress.metadata.annotations?.[ANNOTATION_HASH]);
    // AND once the new certificate is Active, the desired Ingress is applied as it is
    const done = active(after.certs);
    expect(planHandover({ desired: after.ingress, desiredCerts: after.certs, live: step.ingress, liveCerts: done })).toBeUndefined();
  });

  it('keeps a TLS Secret entry (with its hosts) while the host moves to a managed certificate', () => {
    // GIVEN api.example.com served from the Secret api-tls, now Google-managed
    const before = rendered(['api.example.com'], { certificates: { 'api.example.com': { secret: 'api-tls' } } });
    const after = rendered(['api.example.com']);
    // WHEN the handover is planned
    const step = planHandover({ desired: after.ingress, desiredCerts: after.certs, live: before.ingress, liveCerts: new Map() })!;
    // THEN spec.tls still holds the Secret
    expect((step.ingress as unknown as { spec: { tls?: unknown } }).spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-tls' }]);
  });

  it("drops a removed host's certificate at once even while another new host provisions", () => {
    // GIVEN h00..h02 live; the new declaration removes h02 and adds h03
    const before = rendered(hostsOf(3));
    const after = rendered([...hostsOf(2), 'h03.example.com']);
    // WHEN the handover is planned with h03's certificate not Active yet
    const step = planHandover({ desired: after.ingress, desiredCerts: after.certs, live: before.ingress, liveCerts: active(before.certs) });
    // THEN nothing is bridged: h02's certificate covers no host waiting for a certificate
    expect(step).toBeUndefined();
  });

  it('ignores the SslCertificates gke-managed-certs adds to the pre-shared annotation', () => {
    // GIVEN the live Ingress with the controller's mcrt-… names in its pre-shared annotation
    const now = rendered(hostsOf(2));
    const live = {
      ...now.ingress,
      metadata: { ...now.ingress.metadata, annotations: { ...now.ingress.metadata.annotations, [PRE_SHARED_ANNOTATION]: 'mcrt-1234,mcrt-5678' } },
    };
    // WHEN the same declaration is planned
    // THEN those names are not old certificates to keep
    expect(planHandover({ desired: now.ingress, desiredCerts: now.certs, live, liveCerts: active(now.certs) })).toBeUndefined();
  });

  it('15 per-host certificates → buckets: steps of at most 15, one host uncovered only in the first step', () => {
    // GIVEN 15 hosts with their own Active certificates, then a 16th host (bucketed)
    const before = rendered(hostsOf(15));
    const after = rendered(hostsOf(16));
    expect(managedNames(after.ingress).every((n) => n.startsWith('prod-certs-'))).toBe(true);
    // WHEN deploys run until the handover is done
    const { steps, live, certs } = simulate(before, after);
    // THEN every step fits the Ingress limit and names old and new certificates
    expect(steps.length).toBeGreaterThan(1);
    for (const s of steps) expect(countOf(s.ingress)).toBeLessThanOrEqual(CERTIFICATE_LIMIT);
    expect(managedNames(steps[0].ingress).some((n) => n.startsWith('prod-cert-h'))).toBe(true);
    expect(managedNames(steps[0].ingress).some((n) => n.startsWith('prod-certs-'))).toBe(true);
    // AND all 15 slots being used, the first step detaches one old certificate (named), later ones none
    expect(steps[0].evicted).toHaveLength(1);
    expect(steps[0].uncovered).toHaveLength(1);
    expect(steps.slice(1).flatMap((s) => s.uncovered)).toEqual([]);
    // AND the end state is the desired Ingress with only the bucket certificates left
    expect(live).toBe(after.ingress);
    expect([...certs.keys()].sort()).toEqual(managedNames(after.ingress).sort());
  });

  it('buckets → per-host certificates (back to 15 hosts): steps of at most 15, and it finishes', () => {
    // GIVEN 16 bucketed hosts, then 15 with one certificate each
    const { steps, live } = simulate(rendered(hostsOf(16)), rendered(hostsOf(15)));
    // THEN every step fits and the desired Ingress is reached
    for (const s of steps) expect(countOf(s.ingress)).toBeLessThanOrEqual(CERTIFICATE_LIMIT);
    expect(managedNames(live)).toHaveLength(15);
    expect(steps.flatMap((s) => s.uncovered).length).toBeLessThanOrEqual(1);
  });

  it('attaches the whole union at once when it fits (4 per-host certificates + a Secret host → managed)', () => {
    // GIVEN 4 per-host hosts and one on a Secret; the Secret host becomes managed
    const hosts = hostsOf(5);
    const before = rendered(hosts, { certificates: { [hosts[4]]: { secret: 'h4-tls' } } });
    const after = rendered(hosts);
    // WHEN planned
    const step = planHandover({ desired: after.ingress, desiredCerts: after.certs, live: before.ingress, liveCerts: active(before.certs) })!;
    // THEN one step: the Secret stays, the new certificate is attached, nothing deferred
    expect(step.deferred).toEqual([]);
    expect(step.awaiting).toEqual([`prod-cert-${hosts[4]}`]);
    expect(countOf(step.ingress)).toBe(6);
    expect(pendingLine(step)).toBe(
      `certificate handover: h4-tls stay attached to the Ingress until a later deploy finds prod-cert-${hosts[4]} Active (run deploy again to finish)`,
    );
  });

  it('prune keeps a ManagedCertificate an Ingress of its namespace still names', () => {
    // GIVEN two stale ManagedCertificates, one named by the live Ingress, and one of the same name in another namespace
    const now = rendered(hostsOf(2));
    const [named, other] = [...now.certs.values()];
    const elsewhere = { ...named, metadata: { ...named.metadata, namespace: 'staging' } };
    const ingress = { ...now.ingress, metadata: { ...now.ingress.metadata, annotations: { [MANAGED_ANNOTATION]: named.metadata.name } } };
    // WHEN the prune set is filtered
    const left = withoutAttached([named, other, elsewhere], [ingress]);
    // THEN only the attached one is kept out of it
    expect(left).toEqual([other, elsewhere]);
  });
});
