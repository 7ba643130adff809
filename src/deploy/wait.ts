/** Waiting until Deployments and StatefulSets have rolled out and the Ingress's load balancer reports every backend healthy. */
import type { KubeObject } from '../render/types.js';
import type { DeployContext } from './context.js';
import { listObjects } from './live.js';
import { type Verdict, ingressVerdict, managedCertificateVerdict, podReasons, workloadVerdict } from './readiness.js';
import type { WaitRow } from './report.js';
import { knownResource } from './resources.js';
import { sleep } from './retry.js';

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Also wait for the Ingress load balancer and backend health. */
  readonly waitLb: boolean;
  readonly intervalMs?: number;
}

/** Rollout failed (fast) or did not finish within the timeout. */
export class RolloutError extends Error {
  constructor(
    readonly rows: readonly WaitRow[],
    readonly timedOut: boolean,
  ) {
    super(
      rows
        .filter((r) => !r.ready)
        .map((r) => `${r.object}: ${r.message}`)
        .join('\n'),
    );
    this.name = 'RolloutError';
  }
}

export interface Snapshot {
  readonly deployments: readonly KubeObject[];
  readonly ingresses: readonly KubeObject[];
  /** @default listed from the cluster when StatefulSets are desired */
  readonly statefulSets?: readonly KubeObject[];
}

const DEPLOYMENTS = knownResource('apps/v1', 'Deployment')!;
const STATEFUL_SETS = knownResource('apps/v1', 'StatefulSet')!;
const INGRESSES = knownResource('networking.k8s.io/v1', 'Ingress')!;
const PODS = knownResource('v1', 'Pod')!;
const MANAGED_CERTIFICATES = knownResource('networking.gke.io/v1', 'ManagedCertificate')!;

function byName(items: readonly KubeObject[]): Map<string, KubeObject> {
  return new Map(items.map((i) => [i.metadata.name, i]));
}

/** One readiness table: a row per declared Deployment and StatefulSet (and Ingress when waitLb). */
export async function evaluate(
  ctx: DeployContext,
  desired: readonly KubeObject[],
  namespace: string,
  waitLb: boolean,
  snap?: Snapshot,
): Promise<{ rows: WaitRow[]; failed: boolean }> {
  const wantDeps = desired.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const wantSets = wantDeps.some((o) => o.kind === 'StatefulSet');
  const wantIngs = waitLb ? desired.filter((o) => o.kind === 'Ingress') : [];
  const deps = byName(snap?.deployments ?? (wantDeps.some((o) => o.kind === 'Deployment') ? await listObjects(ctx, DEPLOYMENTS, namespace) : []));
  const sets = byName(snap?.statefulSets ?? (wantSets ? await listObjects(ctx, STATEFUL_SETS, namespace) : []));
  const ings = byName(snap?.ingresses ?? (wantIngs.length ? await listObjects(ctx, INGRESSES, namespace) : []));
  const verdicts = wantDeps.map((d): [KubeObject, Verdict, KubeObject | undefined] => {
    const live = (d.kind === 'StatefulSet' ? sets : deps).get(d.metadata.name);
    return [d, live ? workloadVerdict(live) : { state: 'progressing', message: 'not found yet' }, live];
  });
  const pods = verdicts.some(([, v]) => v.state !== 'ready') ? await listObjects(ctx, PODS, namespace) : [];
  const rows: WaitRow[] = verdicts.map(([d, v, live]) => {
    const reasons = live && v.state !== 'ready' ? podReasons(live, pods) : [];
    return { object: d.metadata.name, ready: v.state === 'ready', message: [v.message, ...reasons].join(': ') };
  });
  let failed = verdicts.some(([, v]) => v.state === 'failed');
  for (const i of wantIngs) {
    const live = ings.get(i.metadata.name);
    const v = live ? ingressVerdict(live) : { state: 'progressing' as const, message: 'not found yet' };
    rows.push({ object: `ingress/${i.metadata.name}`, ready: v.state === 'ready', message: v.message });
    failed ||= v.state === 'failed';
  }
  const certs = waitLb ? await certificateRows(ctx, desired, namespace) : { rows: [], failed: false };
  return { rows: [...rows, ...certs.rows], failed: failed || certs.failed };
}

/** A row per declared ManagedCertificate: ready once gke-managed-certs reports it `Active`. */
async function certificateRows(ctx: DeployContext, desired: readonly KubeObject[], namespace: string): Promise<{ rows: WaitRow[]; failed: boolean }> {
  const want = desired.filter((o) => o.kind === 'ManagedCertificate');
  if (want.length === 0) return { rows: [], failed: false };
  const live = byName(await listObjects(ctx, MANAGED_CERTIFICATES, namespace));
  let failed = false;
  const rows = want.map((c) => {
    const obj = live.get(c.metadata.name);
    const v = obj ? managedCertificateVerdict(obj) : { state: 'progressing' as const, message: 'not found yet' };
    failed ||= v.state === 'failed';
    return { object: `managedcertificate/${c.metadata.name}`, ready: v.state === 'ready', message: v.message };
  });
  return { rows, failed };
}

/** Polls until everything is ready; throws RolloutError on a failed rollout or when the timeout passes. */
export async function waitForReady(
  ctx: DeployContext,
  desired: readonly KubeObject[],
  namespace: string,
  opts: WaitOptions,
  first?: Snapshot,
): Promise<WaitRow[]> {
  const deadline = Date.now() + opts.timeoutMs;
  let interval = opts.intervalMs ?? 1000;
  let snap = first;
  for (;;) {
    const { rows, failed } = await evaluate(ctx, desired, namespace, opts.waitLb, snap);
    snap = undefined;
    ctx.reporter.progress(rows);
    if (failed) throw new RolloutError(rows, false);
    if (rows.every((r) => r.ready)) return rows;
    const left = deadline - Date.now();
    if (left <= 0) throw new RolloutError(rows, true);
    await sleep(Math.min(interval, left), ctx.signal);
    interval = Math.min(interval * 1.5, 5000);
  }
}
