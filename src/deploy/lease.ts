/**
 * One deploy (or prune) at a time per environment: a coordination.k8s.io/v1 Lease held for the whole run and renewed
 * while it runs. It lives in the `default` namespace (it exists before the environment's own namespace does, so a
 * first deploy is locked too), named `berth.<environment namespace>` (environments and namespaces are one to one).
 * A lease held by someone else is an error naming the holder and its age; it is taken over only once expired
 * (last renewal older than its duration), or by the same holder identity (a rerun that names itself the same way,
 * after a run whose release could not reach the API server). Writes use resourceVersion preconditions, so two takers never both win.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { KubeApiError } from './client.js';
import type { DeployContext } from './context.js';

export const LEASE_NAMESPACE = 'default';
/** @default 60 s; renewed every third of it. */
export const DEFAULT_LEASE_SECONDS = 60;

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

export function leaseName(namespace: string): string {
  return `berth.${namespace}`;
}

/** `user@host pid N (id)`: who holds it, for the other side's error message. */
export function defaultHolder(command: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return `${user}@${hostname()} pid ${process.pid} berth ${command} (${randomBytes(3).toString('hex')})`;
}

/** Kubernetes MicroTime: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/** Another run holds the environment's lease: nothing was done. */
export class LeaseHeldError extends Error {
  constructor(
    environment: string,
    namespace: string,
    readonly holder: string,
    spec: LeaseSpec,
    now: number,
  ) {
    const acquired = spec.acquireTime ? `acquired ${ago(now - Date.parse(spec.acquireTime))} ago, ` : '';
    const renewed = spec.renewTime ? `last renewed ${ago(now - Date.parse(spec.renewTime))} ago` : 'never renewed';
    super(
      `environment "${environment}" is being deployed by ${holder} (${acquired}${renewed}; Lease ${LEASE_NAMESPACE}/${leaseName(namespace)}, ` +
        `valid ${spec.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS}s after its last renewal); nothing was done.\n` +
        'fix: wait for that run to finish and retry; if it died, its lease expires by itself and the next run takes it over',
    );
    this.name = 'LeaseHeldError';
  }
}

export interface HeldLease {
  /** Throws when the lease was lost (taken over after missed renewals). */
  verify(): Promise<void>;
  release(): Promise<void>;
}

function expired(spec: LeaseSpec, now: number): boolean {
  if (!spec.holderIdentity) return true;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  return Number.isNaN(renewed) || renewed + (spec.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS) * 1000 < now;
}

/**
 * Takes the lease of the environment in `namespace` for `holder`, or throws LeaseHeldError. The returned handle
 * renews it every third of `seconds` until released. The usual case (no lease: the last run released it) costs one
 * request, a create; only an existing lease is read, then taken over (expired, or ours) or reported as held.
 */
export async function acquireLease(
  ctx: DeployContext,
  env: { name: string; namespace: string },
  holder: string,
  seconds = DEFAULT_LEASE_SECONDS,
): Promise<HeldLease> {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`;
  const name = leaseName(env.namespace);
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = Date.now();
    const spec: LeaseSpec = { holderIdentity: holder, leaseDurationSeconds: seconds, acquireTime: microTime(now), renewTime: microTime(now) };
    const metadata = { name, namespace: LEASE_NAMESPACE };
    const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec: { ...spec, leaseTransitions: 0 } };
    const created = await conflictAsUndefined(ctx.client.request<Lease>({ method: 'POST', path, lease: true, body }));
    if (created) return held(ctx, `${path}/${name}`, holder, seconds, created);
    const live = await getLease(ctx, `${path}/${name}`);
    if (!live) continue; // released between the create and the read: create again
    if (!expired(live.spec, now) && live.spec.holderIdentity !== holder) {
      throw new LeaseHeldError(env.name, env.namespace, live.spec.holderIdentity ?? '?', live.spec, now);
    }
    if (live.spec.holderIdentity)
      ctx.reporter.warn(`taking over the expired lease of ${live.spec.holderIdentity} (last renewed ${ago(now - Date.parse(live.spec.renewTime ?? ''))} ago)`);
    const taken = await conflictAsUndefined(
      ctx.client.request<Lease>({
        method: 'PUT',
        path: `${path}/${name}`,
        lease: true,
        body: { ...live, spec: { ...spec, leaseTransitions: (live.spec.leaseTransitions ?? 0) + 1 } },
      }),
    );
    if (taken) return held(ctx, `${path}/${name}`, holder, seconds, taken);
  }
  throw new Error(`could not take the lease ${LEASE_NAMESPACE}/${name}: it kept changing (another run is starting)`);
}

/** The answer, or undefined on 409 (created or changed by someone else meanwhile: the resourceVersion precondition). */
async function conflictAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 409) return undefined;
    throw err;
  }
}

async function getLease(ctx: DeployContext, path: string): Promise<Lease | undefined> {
  try {
    return await ctx.client.request<Lease>({ method: 'GET', path, lease: true });
  } catch (err) {
    if (err instanceof KubeApiError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * The handle of a lease this run wrote (`written`, as the server answered). Every write of ours records the
 * resourceVersion it produced, so release is one DELETE with that precondition; only when that fails with 409 (a
 * write since: ours or a takeover) is the lease read again, and deleted only while it still names this run.
 */
function held(ctx: DeployContext, path: string, holder: string, seconds: number, written: Lease): HeldLease {
  let lost: string | undefined;
  let version = written.metadata.resourceVersion;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async (): Promise<void> => {
    const live = await getLease(ctx, path);
    if (!live || live.spec.holderIdentity !== holder) {
      lost = live ? `taken over by ${live.spec.holderIdentity ?? 'nobody'}` : 'deleted';
      return;
    }
    const body = { ...live, spec: { ...live.spec, renewTime: microTime(Date.now()) } };
    version = (await ctx.client.request<Lease>({ method: 'PUT', path, lease: true, body })).metadata.resourceVersion;
  };
  const timer = setInterval(
    () => {
      renewing = renew().catch((err: unknown) => ctx.reporter.warn(`renewing the deploy lease failed (retrying): ${(err as Error).message}`));
    },
    Math.max(200, (seconds * 1000) / 3),
  );
  timer.unref();
  // after Ctrl-C too; one attempt each: an unreachable server leaves the lease to expire
  const remove = (resourceVersion: string | undefined) =>
    ctx.client.request({
      method: 'DELETE',
      path,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion } },
      ignoreAbort: true,
      maxAttempts: 1,
      lease: true,
    });
  /** True when done with: deleted, already gone, or unreachable (it expires); false when changed since (409). */
  const removedAt = (resourceVersion: string) =>
    remove(resourceVersion).then(
      () => true,
      (err: unknown) => !(err instanceof KubeApiError && err.status === 409),
    );
  return {
    async verify() {
      await renew();
      if (lost) throw new Error(`lost the deploy lease (${lost}) while running: another run may be changing this environment; nothing more was done`);
    },
    async release() {
      clearInterval(timer);
      await renewing;
      if (lost) return;
      if (version !== undefined && (await removedAt(version))) return;
      const live = await ctx.client.request<Lease>({ method: 'GET', path, ignoreAbort: true, maxAttempts: 1, lease: true }).catch(() => undefined);
      if (live?.spec.holderIdentity === holder) await remove(live.metadata.resourceVersion).catch(() => undefined);
    },
  };
}

export interface LeaseOptions {
  /** Who holds the lease (shown to a concurrent run). @default defaultHolder(command) */
  readonly holder?: string;
  /** Validity after each renewal. @default DEFAULT_LEASE_SECONDS */
  readonly seconds?: number;
}

/** Runs `fn` holding the environment's lease; always releases it. */
export async function withLease<T>(
  ctx: DeployContext,
  env: { name: string; namespace: string },
  command: string,
  opts: LeaseOptions,
  fn: (lease: HeldLease) => Promise<T>,
): Promise<T> {
  const lease = await acquireLease(ctx, env, opts.holder ?? defaultHolder(command), opts.seconds ?? DEFAULT_LEASE_SECONDS);
  try {
    return await fn(lease);
  } finally {
    await lease.release();
  }
}
