/**
 * Attach before drop: when a deploy changes which certificates the Ingress names (crossing the 15-host threshold
 * between per-host and bucket ManagedCertificates, a host moving from a pre-shared or Secret certificate to a
 * managed one), GKE would serve the moved hosts without a valid certificate until the new ManagedCertificates are
 * `Active` (up to an hour). So while a newly named ManagedCertificate is not Active, the Ingress keeps naming every
 * old certificate that still covers one of its hosts ("bridging"), old ones first, and berth waits.
 *
 * Pure and stateless: each step is derived from the live Ingress and the live ManagedCertificates, so an
 * interrupted handover (`--no-wait-lb`, a timeout) is finished by the next deploy.
 *
 * A target HTTPS proxy takes at most 15 certificates. When the union does not fit, the handover runs in steps:
 * every bridging certificate stays and as many new ones as fit are attached (those freeing the most old ones
 * first); only when not even one fits (e.g. 15 per-host certificates → buckets) does berth detach the fewest old
 * certificates needed to attach one new one (those the new one covers), and names the hosts that go without a
 * valid certificate until it is Active.
 */
import type { KubeObject } from '../render/types.js';
import { ANNOTATION_HASH, withHash } from './compare.js';

export const MANAGED_ANNOTATION = 'networking.gke.io/managed-certificates';
export const PRE_SHARED_ANNOTATION = 'ingress.gcp.kubernetes.io/pre-shared-cert';
/** Certificates per target HTTPS proxy (GKE; see src/declaration/routing.ts MAX_CERTIFICATES). */
export const CERTIFICATE_LIMIT = 15;
/** gke-managed-certs names its SslCertificates `mcrt-<uuid>` and adds them to the pre-shared annotation itself. */
const CONTROLLER_PREFIX = 'mcrt-';

type CertKind = 'managed' | 'preShared' | 'secret';

/** One certificate the Ingress names, with the hosts it covers (undefined: unknown, a pre-shared GCP certificate). */
export interface CertRef {
  readonly kind: CertKind;
  readonly name: string;
  readonly hosts?: readonly string[];
}

export interface HandoverStep {
  /** The Ingress to apply now (the desired one plus the bridging certificates). */
  readonly ingress: KubeObject;
  /** Old certificates kept attached. */
  readonly bridging: readonly CertRef[];
  /** New ManagedCertificates attached in this step and not Active yet: the step is done once they are. */
  readonly awaiting: readonly string[];
  /** New ManagedCertificates not attached yet (the 15-certificate limit): a later step attaches them. */
  readonly deferred: readonly string[];
  /** Old certificates detached before their replacement is Active (only when not even one new one fits). */
  readonly evicted: readonly CertRef[];
  /** Hosts without a valid certificate until `awaiting` is Active (those of `evicted`). */
  readonly uncovered: readonly string[];
}

interface TlsEntry {
  hosts?: string[];
  secretName?: string;
}
type IngressLike = KubeObject & { spec?: { tls?: TlsEntry[] } };
type CertLike = KubeObject & { spec?: { domains?: string[] }; status?: { certificateStatus?: string; certificateName?: string } };

/** A live ManagedCertificate by name, typed by the fields read here. */
function certAt(certs: ReadonlyMap<string, KubeObject>, name: string): CertLike | undefined {
  return certs.get(name);
}

function names(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The certificates an Ingress names; live ones get their hosts from the live ManagedCertificates. */
export function certificateRefs(ingress: KubeObject, certs: ReadonlyMap<string, KubeObject> = new Map()): CertRef[] {
  const a = ingress.metadata.annotations ?? {};
  const controller = new Set([...certs.values()].map((c) => (c as CertLike).status?.certificateName).filter(Boolean));
  const managed = names(a[MANAGED_ANNOTATION]).map((name): CertRef => ({ kind: 'managed', name, hosts: certAt(certs, name)?.spec?.domains ?? [] }));
  const preShared = names(a[PRE_SHARED_ANNOTATION])
    .filter((n) => !n.startsWith(CONTROLLER_PREFIX) && !controller.has(n))
    .map((name): CertRef => ({ kind: 'preShared', name }));
  const secrets = ((ingress as IngressLike).spec?.tls ?? [])
    .filter((t) => t.secretName)
    .map((t): CertRef => ({ kind: 'secret', name: t.secretName!, hosts: t.hosts ?? [] }));
  return [...managed, ...preShared, ...secrets];
}

const sameRef = (a: CertRef, b: CertRef): boolean => a.kind === b.kind && a.name === b.name;

/** A desired ManagedCertificate that cannot serve yet: missing, not Active, or about to change its domains. */
function isPending(desired: CertLike | undefined, live: CertLike | undefined): boolean {
  if (!live || live.status?.certificateStatus !== 'Active') return true;
  const want = [...(desired?.spec?.domains ?? [])].sort().join(',');
  return desired !== undefined && want !== [...(live.spec?.domains ?? [])].sort().join(',');
}

/** Hosts of `ref` still waiting for a new certificate (all of them when its hosts are unknown). */
function waitingHosts(ref: CertRef, pendingHosts: ReadonlySet<string>): string[] {
  return ref.hosts ? ref.hosts.filter((h) => pendingHosts.has(h)) : [...pendingHosts];
}

export interface HandoverInput {
  /** The desired Ingress as berth renders it (final). */
  readonly desired: KubeObject;
  /** Desired ManagedCertificates by name. */
  readonly desiredCerts: ReadonlyMap<string, KubeObject>;
  readonly live: KubeObject | undefined;
  /** Live ManagedCertificates of the namespace by name. */
  readonly liveCerts: ReadonlyMap<string, KubeObject>;
  /** @default CERTIFICATE_LIMIT */
  readonly limit?: number;
}

/** The next handover step, or undefined when the desired Ingress can be applied as it is. */
export function planHandover(input: HandoverInput): HandoverStep | undefined {
  if (!input.live) return undefined;
  const want = certificateRefs(input.desired, input.desiredCerts);
  const pending = want.filter((r) => r.kind === 'managed' && isPending(input.desiredCerts.get(r.name) as CertLike, input.liveCerts.get(r.name) as CertLike));
  const pendingHosts = new Set(pending.flatMap((r) => r.hosts ?? []));
  const bridging = certificateRefs(input.live, input.liveCerts)
    .filter((old) => !want.some((w) => sameRef(w, old)))
    .filter((old) => old.kind !== 'managed' || certAt(input.liveCerts, old.name)?.status?.certificateStatus === 'Active')
    .filter((old) => waitingHosts(old, pendingHosts).length > 0);
  if (bridging.length === 0) return undefined;
  const attachedBefore = new Set(names(input.live.metadata.annotations?.[MANAGED_ANNOTATION]));
  const ordered = orderPending(pending, bridging, pendingHosts, attachedBefore);
  const fixed = want.length - pending.length;
  const room = (input.limit ?? CERTIFICATE_LIMIT) - fixed - bridging.length;
  const attach = room >= 1 ? ordered.slice(0, room) : ordered.slice(0, 1);
  const evicted = room >= 1 ? [] : evict(bridging, attach[0], pendingHosts, 1 - room);
  const kept = bridging.filter((b) => !evicted.includes(b));
  const notYet = new Set(ordered.slice(attach.length).map((r) => r.name));
  const uncovered = [...new Set(evicted.flatMap((e) => waitingHosts(e, pendingHosts)))].sort();
  return {
    ingress: stepIngress(
      input.desired,
      kept,
      want.filter((w) => !notYet.has(w.name) || w.kind !== 'managed'),
    ),
    bridging: kept,
    awaiting: attach.map((r) => r.name),
    deferred: [...notYet],
    evicted,
    uncovered,
  };
}

/** Already attached first, then those that free the most bridging certificates once Active, then the smallest groups. */
function orderPending(pending: readonly CertRef[], bridging: readonly CertRef[], pendingHosts: ReadonlySet<string>, attached: ReadonlySet<string>): CertRef[] {
  const frees = (p: CertRef) => bridging.filter((b) => b.hosts && covers(p, waitingHosts(b, pendingHosts))).length;
  const smallest = (p: CertRef) =>
    Math.min(
      Infinity,
      ...bridging.filter((b) => waitingHosts(b, pendingHosts).some((h) => p.hosts?.includes(h))).map((b) => waitingHosts(b, pendingHosts).length),
    );
  const key = (p: CertRef): [number, number, number] => [attached.has(p.name) ? 0 : 1, -frees(p), smallest(p)];
  return [...pending].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
}

function covers(cert: CertRef, hosts: readonly string[]): boolean {
  return hosts.length > 0 && hosts.every((h) => cert.hosts?.includes(h));
}

/** The `count` bridging certificates to detach so `next` fits: those it covers first, then the fewest waiting hosts. */
function evict(bridging: readonly CertRef[], next: CertRef, pendingHosts: ReadonlySet<string>, count: number): CertRef[] {
  const rank = (b: CertRef): [number, number] => [covers(next, waitingHosts(b, pendingHosts)) ? 0 : 1, waitingHosts(b, pendingHosts).length];
  return [...bridging].sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1] || (a.name < b.name ? -1 : 1)).slice(0, count);
}

/** The desired Ingress naming `old` (first) and `now`; its config hash is recomputed (it is not the final object). */
export function stepIngress(desired: KubeObject, old: readonly CertRef[], now: readonly CertRef[]): KubeObject {
  const all = [...old, ...now];
  const { [ANNOTATION_HASH]: _hash, [MANAGED_ANNOTATION]: _m, [PRE_SHARED_ANNOTATION]: _p, ...rest } = desired.metadata.annotations ?? {};
  const list = (kind: CertKind) => all.filter((r) => r.kind === kind).map((r) => r.name);
  const annotations: Record<string, string> = { ...rest };
  if (list('managed').length) annotations[MANAGED_ANNOTATION] = list('managed').join(',');
  if (list('preShared').length) annotations[PRE_SHARED_ANNOTATION] = list('preShared').join(',');
  const spec = { ...((desired as IngressLike).spec ?? {}) };
  const tls = all.filter((r) => r.kind === 'secret').map((r) => ({ hosts: [...(r.hosts ?? [])], secretName: r.name }));
  if (tls.length) spec.tls = tls;
  else delete spec.tls;
  return withHash({ ...desired, metadata: { ...desired.metadata, annotations }, spec });
}

/** Names of the ManagedCertificates an Ingress names (prune must keep them). */
export function attachedManaged(ingress: KubeObject | undefined): Set<string> {
  return new Set(names(ingress?.metadata.annotations?.[MANAGED_ANNOTATION]));
}

/** `stale` without the ManagedCertificates one of `ingresses` (same namespace) names: never pruned while attached. */
export function withoutAttached<T extends KubeObject>(stale: readonly T[], ingresses: Iterable<KubeObject>): T[] {
  const named = [...ingresses].filter((i) => i.kind === 'Ingress');
  return stale.filter(
    (o) => !(o.kind === 'ManagedCertificate' && named.some((i) => i.metadata.namespace === o.metadata.namespace && attachedManaged(i).has(o.metadata.name))),
  );
}

/** The one line telling the user that old certificates stay attached (`--no-wait-lb`, or a timeout). */
export function pendingLine(step: HandoverStep): string {
  const old = step.bridging.map((b) => b.name).join(', ');
  const waiting = [...step.awaiting, ...step.deferred].join(', ');
  if (!old) return `certificate handover: ${waiting} not Active yet; ${step.uncovered.join(', ')} have no valid certificate until it is`;
  return `certificate handover: ${old} stay attached to the Ingress until a later deploy finds ${waiting} Active (run deploy again to finish)`;
}
