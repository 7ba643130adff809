/**
 * Replicas ↔ autoscaling without scaling down, as the server-side apply docs describe for handing `spec.replicas`
 * to an HPA ("Transferring ownership"): when berth stops declaring `spec.replicas` (the service switched to
 * `autoscaling`), a separate field manager, `berth-handover`, first applies `spec.replicas` at its LIVE value, so
 * the field keeps an owner when berth's own apply drops it (otherwise the server removes it and the default, 1,
 * scales the workload down before the HPA reacts). The HPA controller then takes the field over by scaling.
 * Back to fixed `replicas`: the field is owned by `berth-handover` or the HPA's controller; berth takes it back
 * (a forced apply for that object, the HPA is pruned).
 */
import type { KubeObject } from '../render/types.js';
import { FIELD_MANAGER } from './applyset.js';
import type { DeployContext } from './context.js';
import type { Conflict } from './ownership.js';

export const HANDOVER_FIELD_MANAGER = 'berth-handover';
/** The field manager kube-controller-manager's HPA scales with (the `scale` subresource). */
const HPA_MANAGERS = new Set([HANDOVER_FIELD_MANAGER, 'kube-controller-manager', 'horizontal-pod-autoscaler']);
const SCALED_KINDS = new Set(['Deployment', 'StatefulSet']);

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: { 'f:spec'?: Record<string, unknown> };
}

function ownsReplicas(live: KubeObject, manager: string): boolean {
  const entries = (live.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? [];
  return entries.some((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource && !!e.fieldsV1?.['f:spec']?.['f:replicas']);
}

/**
 * The live replica count to hand over, when berth's apply of `desired` would drop a `spec.replicas` berth owns;
 * undefined otherwise.
 */
export function handoverReplicas(desired: KubeObject, live: KubeObject | undefined): number | undefined {
  if (!live || !SCALED_KINDS.has(desired.kind)) return undefined;
  if ((desired as { spec?: { replicas?: number } }).spec?.replicas !== undefined) return undefined;
  const current = (live as { spec?: { replicas?: number } }).spec?.replicas;
  return current !== undefined && ownsReplicas(live, FIELD_MANAGER) ? current : undefined;
}

/** Conflicts that only concern `spec.replicas` held by the handover manager or an HPA: berth takes the field back. */
export function isReplicasTakeBack(desired: KubeObject, conflicts: readonly Conflict[]): boolean {
  return SCALED_KINDS.has(desired.kind) && conflicts.length > 0 && conflicts.every((c) => c.field === '.spec.replicas' && HPA_MANAGERS.has(c.manager));
}

/** Applies `spec.replicas: <count>` as `berth-handover` (same value as live: no conflict, nothing scales). */
export async function applyHandover(ctx: DeployContext, desired: KubeObject, count: number, dryRun: boolean): Promise<void> {
  const { name, namespace } = desired.metadata;
  await ctx.client.request({
    method: 'PATCH',
    path: await ctx.resources.pathOf(desired),
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: HANDOVER_FIELD_MANAGER, dryRun: dryRun ? 'All' : undefined },
    body: { apiVersion: desired.apiVersion, kind: desired.kind, metadata: { name, namespace }, spec: { replicas: count } },
  });
}
