/** Readiness verdicts from object snapshots (pure): Deployments like `kubectl rollout status`, GKE Ingress by LB state. */
import type { KubeObject } from '../render/types.js';

export interface Verdict {
  readonly state: 'ready' | 'progressing' | 'failed';
  readonly message: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
interface DeploymentLike extends KubeObject {
  spec?: { replicas?: number; paused?: boolean; selector?: { matchLabels?: Record<string, string> } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

const condition = (d: DeploymentLike, type: string): Condition | undefined => d.status?.conditions?.find((c) => c.type === type);

function podsReady(d: DeploymentLike): string {
  return `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1} pods ready`;
}

/** The rollout verdict for one Deployment (rules of kubectl's rollout_status.go). */
export function deploymentVerdict(obj: KubeObject, now = Date.now()): Verdict {
  const d = obj as DeploymentLike;
  const md = obj.metadata as KubeObject['metadata'] & { generation?: number; deletionTimestamp?: string };
  const st = d.status ?? {};
  if (md.deletionTimestamp) return { state: 'progressing', message: 'being deleted' };
  if ((md.generation ?? 0) > (st.observedGeneration ?? 0)) return { state: 'progressing', message: `${podsReady(d)}, waiting for the controller` };
  if (d.spec?.paused) return { state: 'failed', message: `${podsReady(d)}: rollout is paused` };
  const progressing = condition(d, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', message: `${podsReady(d)}: progress deadline exceeded` };
  }
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  const failure = condition(d, 'ReplicaFailure');
  const quota = failure?.status === 'True' ? quotaRejection(failure) : undefined;
  if (quota && settled(failure!, now)) return { state: 'failed', message: `${podsReady(d)}: ${quota}` };
  const suffix = failure?.status === 'True' ? `: ${failure.message ?? failure.reason}` : '';
  if (updated < want) return { state: 'progressing', message: `${podsReady(d)}, ${updated}/${want} updated${suffix}` };
  if ((st.replicas ?? 0) > updated)
    return { state: 'progressing', message: `${podsReady(d)}, ${(st.replicas ?? 0) - updated} old pod(s) terminating${suffix}` };
  if ((st.availableReplicas ?? 0) < updated)
    return { state: 'progressing', message: `${podsReady(d)}, ${st.availableReplicas ?? 0}/${updated} available${suffix}` };
  return { state: 'ready', message: `${podsReady(d)}, rolled out` };
}

/** `exceeded quota: <name>, requested: <r>, used: <u>, limited: <l>` in the API server's refusal (quota admission). */
const EXCEEDED_QUOTA = /exceeded quota: ([^,\s]+), requested: (.+?), used: (.+?), limited: (.+?)$/;

/**
 * A quota refusal counts once it has lasted QUOTA_GRACE_MS: right after a singleton's old pod is deleted
 * (Recreate), the quota controller may not have released its share yet and the ReplicaSet's retry succeeds.
 */
export const QUOTA_GRACE_MS = 10_000;

function settled(c: Condition, now: number): boolean {
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(since) || now - since >= QUOTA_GRACE_MS;
}

/**
 * A ReplicaSet that cannot create pods because the namespace's ResourceQuota is used up (condition
 * `ReplicaFailure`, reason `FailedCreate`, copied onto the Deployment) will not recover by waiting: a clear
 * message naming the quota and the requested, used and limited amounts; undefined for any other failure.
 */
export function quotaRejection(c: Condition): string | undefined {
  if (c.reason !== 'FailedCreate' || !c.message?.includes('exceeded quota')) return undefined;
  const m = EXCEEDED_QUOTA.exec(c.message.trim());
  if (!m) return `pods refused by a ResourceQuota (${c.message}); raise the environment's quota or free capacity in the namespace`;
  return (
    `pods refused by ResourceQuota "${m[1]}": requested ${m[2]}, used ${m[3]}, limited ${m[4]}; raise the environment's quota (quota: ` +
    `in the declaration) or free capacity in the namespace`
  );
}

interface StatefulSetLike extends KubeObject {
  spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

/**
 * The rollout verdict for one StatefulSet (rules of kubectl's StatefulSetStatusViewer, plus availability).
 * StatefulSets have no progress deadline: a stuck rollout ends with the wait's timeout and the pod reasons.
 */
export function statefulSetVerdict(obj: KubeObject): Verdict {
  const d = obj as StatefulSetLike;
  const md = obj.metadata as KubeObject['metadata'] & { generation?: number; deletionTimestamp?: string };
  const st = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const ready = `${st.readyReplicas ?? 0}/${want} pods ready`;
  if (md.deletionTimestamp) return { state: 'progressing', message: 'being deleted' };
  if ((md.generation ?? 0) > (st.observedGeneration ?? 0)) return { state: 'progressing', message: `${ready}, waiting for the controller` };
  if (d.spec?.updateStrategy?.type === 'OnDelete') return { state: 'ready', message: `${ready}, updates on delete (not waited for)` };
  if ((st.readyReplicas ?? 0) < want) return { state: 'progressing', message: ready };
  if ((st.availableReplicas ?? st.readyReplicas ?? 0) < want)
    return { state: 'progressing', message: `${ready}, ${st.availableReplicas ?? 0}/${want} available` };
  const partition = d.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const updated = st.updatedReplicas ?? 0;
    return updated < want - partition
      ? { state: 'progressing', message: `${ready}, ${updated}/${want - partition} updated (partition ${partition})` }
      : { state: 'ready', message: `${ready}, partitioned rollout complete` };
  }
  if (st.updateRevision !== st.currentRevision) return { state: 'progressing', message: `${ready}, ${st.updatedReplicas ?? 0}/${want} updated` };
  return { state: 'ready', message: `${ready}, rolled out` };
}

/** The rollout verdict for a workload berth waits for (Deployment or StatefulSet). */
export function workloadVerdict(obj: KubeObject): Verdict {
  return obj.kind === 'StatefulSet' ? statefulSetVerdict(obj) : deploymentVerdict(obj);
}

export const BACKENDS_ANNOTATION = 'ingress.kubernetes.io/backends';

/** GKE Ingress: ready once the load balancer has an address and every backend reports HEALTHY. */
export function ingressVerdict(obj: KubeObject): Verdict {
  const lb = (obj as { status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } }).status?.loadBalancer?.ingress ?? [];
  const address = lb
    .map((i) => i.ip ?? i.hostname)
    .filter(Boolean)
    .join(', ');
  if (!address) return { state: 'progressing', message: 'waiting for a load balancer address' };
  const raw = obj.metadata.annotations?.[BACKENDS_ANNOTATION];
  if (!raw) return { state: 'progressing', message: `load balancer ${address}, backend health not reported yet` };
  let backends: Record<string, string>;
  try {
    backends = JSON.parse(raw) as Record<string, string>;
  } catch {
    return { state: 'progressing', message: `load balancer ${address}, unreadable ${BACKENDS_ANNOTATION} annotation` };
  }
  const entries = Object.entries(backends);
  const bad = entries.filter(([, v]) => v !== 'HEALTHY');
  if (entries.length === 0) return { state: 'progressing', message: `load balancer ${address}, no backends reported yet` };
  if (bad.length) {
    const list = bad
      .slice(0, 5)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    return { state: 'progressing', message: `load balancer ${address}, ${entries.length - bad.length}/${entries.length} backends healthy (${list})` };
  }
  return { state: 'ready', message: `load balancer ${address}, ${entries.length}/${entries.length} backends HEALTHY` };
}

/** gke-managed-certs' terminal failure: the certificate will not provision without a change. */
const CERTIFICATE_FAILED = new Set(['ProvisioningFailedPermanently']);

/** ManagedCertificate: ready once `status.certificateStatus` is `Active` (gke-managed-certs); lists domains not yet Active. */
export function managedCertificateVerdict(obj: KubeObject): Verdict {
  const st = (obj as { status?: { certificateStatus?: string; domainStatus?: { domain?: string; status?: string }[] } }).status;
  const status = st?.certificateStatus;
  if (status === 'Active') return { state: 'ready', message: 'certificate Active' };
  const domains = (st?.domainStatus ?? [])
    .filter((d) => d.status !== 'Active')
    .slice(0, 5)
    .map((d) => `${d.domain} ${d.status}`)
    .join(', ');
  const detail = domains ? ` (${domains})` : '';
  if (status && CERTIFICATE_FAILED.has(status)) return { state: 'failed', message: `certificate ${status}${detail}` };
  return { state: 'progressing', message: status ? `certificate ${status}${detail}` : 'certificate status not reported yet' };
}

interface PodLike {
  metadata: { labels?: Record<string, string> };
  spec?: { containers?: { name: string; image?: string }[] };
  status?: {
    conditions?: Condition[];
    containerStatuses?: {
      name: string;
      image?: string;
      state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
      lastState?: { terminated?: { reason?: string; exitCode?: number } };
    }[];
  };
}

const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

function podReason(pod: PodLike): string | undefined {
  const sched = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (sched?.status === 'False') return `${sched.reason ?? 'Unschedulable'}${sched.message ? ` (${sched.message})` : ''}`;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const waiting = cs.state?.waiting?.reason;
    const image = cs.image || pod.spec?.containers?.find((c) => c.name === cs.name)?.image;
    if (waiting && IMAGE_REASONS.has(waiting)) return `${waiting} on ${image}`;
    if (waiting === 'CrashLoopBackOff') {
      const last = cs.lastState?.terminated;
      return `CrashLoopBackOff (container ${cs.name}${last ? `, last exit ${last.reason ?? ''} ${last.exitCode ?? ''}`.trimEnd() : ''})`;
    }
    if (waiting && waiting !== 'ContainerCreating' && waiting !== 'PodInitializing') return `${waiting} (container ${cs.name})`;
    if (cs.state?.terminated?.reason === 'OOMKilled') return `OOMKilled (container ${cs.name})`;
  }
  return undefined;
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Distinct reasons why a Deployment's pods are not ready, most common first, e.g. `ImagePullBackOff on img:1 (3 pods)`. */
export function podReasons(deployment: KubeObject, pods: readonly KubeObject[]): string[] {
  const selector = (deployment as DeploymentLike).spec?.selector?.matchLabels;
  if (!selector) return [];
  const counts = new Map<string, number>();
  for (const pod of pods as unknown as PodLike[]) {
    if (!matches(selector, pod.metadata.labels)) continue;
    const reason = podReason(pod);
    if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => (n > 1 ? `${r} (${n} pods)` : r));
}
