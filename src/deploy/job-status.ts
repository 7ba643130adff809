/** Verdicts on batch/v1 Jobs and the reasons their pods failed (pure: object snapshots in, words out). */
import type { KubeObject } from '../render/types.js';
import { BEFORE_DEPLOY, PHASE_LABEL } from '../constructs/labels.js';

export interface JobVerdict {
  readonly state: 'complete' | 'failed' | 'running';
  readonly message: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
interface JobLike {
  status?: { active?: number; succeeded?: number; failed?: number; completionTime?: string; conditions?: Condition[] };
}

/** A migration's object (its Job or ServiceAccount): `deploy` applies these before any workload changes. */
export function isBeforeDeploy(obj: Pick<KubeObject, 'metadata'>): boolean {
  return obj.metadata.labels?.[PHASE_LABEL] === BEFORE_DEPLOY;
}

/** Complete or Failed by the Job's final conditions (the controller's verdict), else running. */
export function jobVerdict(job: KubeObject): JobVerdict {
  const st = (job as JobLike).status ?? {};
  const cond = (type: string) => st.conditions?.find((c) => c.type === type && c.status === 'True');
  const complete = cond('Complete');
  if (complete) return { state: 'complete', message: `completed${st.completionTime ? ` at ${st.completionTime}` : ''}` };
  const failed = cond('Failed');
  if (failed) return { state: 'failed', message: `failed: ${failed.reason ?? 'Failed'}${failed.message ? ` (${failed.message})` : ''}` };
  return { state: 'running', message: `${st.active ?? 0} pod(s) running, ${st.failed ?? 0} failed` };
}

/** A Job that has not finished (no Complete or Failed condition): pruning leaves it alone. */
export function isActiveJob(obj: KubeObject): boolean {
  return obj.kind === 'Job' && jobVerdict(obj).state === 'running';
}

interface ContainerStatus {
  name: string;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string } };
}
interface PodLike {
  metadata: { name: string; creationTimestamp?: string };
  status?: { phase?: string; reason?: string; message?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

/** Why one pod of a Job did not succeed, e.g. `pod migrate-3f2a9c1b-x7k2p: container migrate exited 1 (Error)`. */
export function jobPodReason(pod: KubeObject): string | undefined {
  const p = pod as unknown as PodLike;
  const parts: string[] = [];
  if (p.status?.reason) parts.push(`${p.status.reason}${p.status.message ? ` (${p.status.message})` : ''}`);
  for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const t = cs.state?.terminated;
    const w = cs.state?.waiting;
    if (t && t.exitCode !== 0)
      parts.push(`container ${cs.name} exited ${t.exitCode ?? '?'} (${t.reason ?? 'Error'})${t.message ? `: ${t.message.trim()}` : ''}`);
    else if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing')
      parts.push(`container ${cs.name} ${w.reason}${w.message ? `: ${w.message}` : ''}`);
  }
  return parts.length > 0 ? `pod ${p.metadata.name}: ${parts.join('; ')}` : undefined;
}

/** The pod to read logs from: the newest one that did not succeed (else the newest). */
export function podForLogs(pods: readonly KubeObject[]): KubeObject | undefined {
  const newest = [...pods].sort((a, b) => created(b).localeCompare(created(a)));
  return newest.find((p) => (p as unknown as PodLike).status?.phase !== 'Succeeded') ?? newest[0];
}

function created(pod: KubeObject): string {
  return (pod as unknown as PodLike).metadata.creationTimestamp ?? '';
}
