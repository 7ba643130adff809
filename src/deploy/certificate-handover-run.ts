/**
 * Running the certificate handover (certificate-handover.ts) inside a deploy: the first step replaces the desired
 * Ingress before the plan (so its dry run is part of the all-or-nothing preflight); after the wait, each further step
 * is applied and waited for until the desired Ingress itself is applied. Without the load-balancer wait the step
 * stays in place and one line says so; the next deploy continues from the live state.
 */
import type { KubeObject } from '../render/types.js';
import { serverSideApply } from './apply.js';
import { FIELD_MANAGER } from './applyset.js';
import { isUpToDate } from './compare.js';
import { type DeployContext, describe, keyOf } from './context.js';
import { type LiveState, getOptional, listObjects } from './live.js';
import { knownResource } from './resources.js';
import { type HandoverStep, pendingLine, planHandover } from './certificate-handover.js';
import { waitForReady } from './wait.js';

const MANAGED_CERTIFICATES = knownResource('networking.gke.io/v1', 'ManagedCertificate')!;

export interface Handover {
  /** The desired (final) Ingress. */
  readonly final: KubeObject;
  /** The step applied by this deploy's plan. */
  readonly step: HandoverStep;
}

function byName(objects: Iterable<KubeObject>, namespace: string | undefined): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'ManagedCertificate' && o.metadata.namespace === namespace) out.set(o.metadata.name, o);
  return out;
}

/** The desired objects with each Ingress replaced by its first handover step where one is needed. */
export function withHandovers(ctx: DeployContext, desired: readonly KubeObject[], live: LiveState): { desired: KubeObject[]; handovers: Handover[] } {
  const handovers: Handover[] = [];
  const out = desired.map((d) => {
    if (d.kind !== 'Ingress') return d;
    const ns = d.metadata.namespace;
    const step = planHandover({
      desired: d,
      desiredCerts: byName(desired, ns),
      live: live.objects.get(keyOf(d)),
      liveCerts: byName(live.objects.values(), ns),
    });
    if (!step) return d;
    handovers.push({ final: d, step });
    report(ctx, d, step);
    return step.ingress;
  });
  return { desired: out, handovers };
}

function report(ctx: DeployContext, ingress: KubeObject, step: HandoverStep): void {
  const old = step.bridging.map((b) => b.name).join(', ');
  ctx.reporter.info(
    `certificate handover on ${describe(ingress)}: ${old || '(none)'} stay attached while ${step.awaiting.join(', ')} become Active` +
      (step.deferred.length ? `; ${step.deferred.join(', ')} follow in a later step (at most 15 certificates per Ingress)` : ''),
  );
  if (step.uncovered.length) {
    ctx.reporter.warn(
      `certificate handover: ${step.uncovered.join(', ')} go without a valid certificate until ${step.awaiting.join(', ')} is Active: ` +
        `${step.evicted.map((e) => e.name).join(', ')} had to be detached to make room (an Ingress takes at most 15 certificates). ` +
        `Avoid it with a wildcard preShared certificate or a TLS Secret (README "Certificates")`,
    );
  }
}

/** ManagedCertificates not attached by the first steps: the rollout wait must not wait for them. */
export function deferredKeys(handovers: readonly Handover[]): Set<string> {
  return new Set(
    handovers.flatMap((h) =>
      h.step.deferred.map((name) =>
        keyOf({ apiVersion: 'networking.gke.io/v1', kind: 'ManagedCertificate', metadata: { name, namespace: h.final.metadata.namespace } }),
      ),
    ),
  );
}

export interface FinishOptions {
  /** Wait for certificates (deploy's wait and load-balancer wait both on). */
  readonly wait: boolean;
  /** Epoch ms after which waiting ends with a RolloutError. */
  readonly deadline: number;
  readonly force?: boolean;
  readonly desired: readonly KubeObject[];
}

/**
 * Steps every handover to its end (with `wait`) or leaves the step in place with one line saying so; returns each
 * Ingress as it is afterwards (prune keeps the ManagedCertificates they name).
 */
export async function finishHandovers(ctx: DeployContext, handovers: readonly Handover[], opts: FinishOptions): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const h of handovers) {
    if (opts.wait) out.push(await finishOne(ctx, h, opts));
    else {
      ctx.reporter.warn(pendingLine(h.step));
      out.push(h.step.ingress);
    }
  }
  return out;
}

async function finishOne(ctx: DeployContext, h: Handover, opts: FinishOptions): Promise<KubeObject> {
  const ns = h.final.metadata.namespace;
  const desiredCerts = byName(opts.desired, ns);
  for (;;) {
    const live = await getOptional(ctx, await ctx.resources.pathOf(h.final));
    const liveCerts = byName(await listObjects(ctx, MANAGED_CERTIFICATES, ns), ns);
    const step = planHandover({ desired: h.final, desiredCerts, live, liveCerts });
    if (!step) {
      await applyIngress(ctx, h.final, live, opts.force);
      ctx.reporter.info(`certificate handover on ${describe(h.final)} finished: the Ingress names only its declared certificates`);
      return h.final;
    }
    if (!isUpToDate(step.ingress, live)) report(ctx, h.final, step);
    await applyIngress(ctx, step.ingress, live, opts.force);
    const awaiting = step.awaiting.map((name) => desiredCerts.get(name)!).filter(Boolean);
    try {
      await waitForReady(ctx, awaiting, ns ?? '', { timeoutMs: Math.max(0, opts.deadline - Date.now()), waitLb: true });
    } catch (err) {
      ctx.reporter.warn(pendingLine(step));
      throw err;
    }
  }
}

/** A dry run, then the apply (skipped when the live Ingress already is this one). */
async function applyIngress(ctx: DeployContext, ingress: KubeObject, live: KubeObject | undefined, force = false): Promise<void> {
  if (isUpToDate(ingress, live)) return;
  await serverSideApply(ctx, ingress, true, FIELD_MANAGER, force);
  await serverSideApply(ctx, ingress, false, FIELD_MANAGER, force);
  ctx.reporter.object({ action: 'configured', object: describe(ingress), changes: [] });
}
