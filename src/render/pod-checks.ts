import { podSpecOf } from './pod-spec.js';
import type { KubeObject } from './types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Volume types Pod Security "restricted" admits (anything else, e.g. hostPath, is rejected). */
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Pod Security "restricted" plus berth's own rules, for any pod-bearing object (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod): every problem names the object and the
 * field path, e.g. `CronJob "report": spec.jobTemplate.spec.template.spec.containers[0] ("report")
 * .securityContext.runAsNonRoot must be true`. Other kinds yield no problems.
 */
export function checkPodBearing(object: KubeObject): string[] {
  const found = podSpecOf(object);
  if (!found) return [];
  const where = `${object.kind} "${object.metadata?.name}": ${found.path}`;
  const pod = found.spec;
  const problems = checkPodLevel(pod, where);
  for (const list of CONTAINER_LISTS) {
    ((pod[list] ?? []) as Json[]).forEach((c, i) => problems.push(...checkContainer(pod, c, `${where}.${list}[${i}] ("${c.name}")`, list)));
  }
  return problems;
}

function checkPodLevel(pod: Json, where: string): string[] {
  const problems: string[] = [];
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[host] === true) problems.push(`${where}.${host} must not be true (Pod Security "restricted")`);
  }
  if (pod.automountServiceAccountToken !== false)
    problems.push(`${where}.automountServiceAccountToken must be false (the pod does not need a Kubernetes API token)`);
  const sc = pod.securityContext ?? {};
  if (sc.runAsUser === 0) problems.push(`${where}.securityContext.runAsUser must not be 0 (root)`);
  if (sc.seccompProfile !== undefined && !isConfinedSeccomp(sc.seccompProfile))
    problems.push(`${where}.securityContext.seccompProfile.type must be RuntimeDefault`);
  for (const [i, v] of ((pod.volumes ?? []) as Json[]).entries()) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type !== undefined && !RESTRICTED_VOLUME_TYPES.has(type))
      problems.push(`${where}.volumes[${i}] ("${v.name}"): volume type ${type} is not allowed; use one of ${[...RESTRICTED_VOLUME_TYPES].join(', ')}`);
  }
  return problems;
}

function checkContainer(pod: Json, c: Json, where: string, list: (typeof CONTAINER_LISTS)[number]): string[] {
  const problems: string[] = [];
  const podSc = pod.securityContext ?? {};
  const sc = c.securityContext ?? {};
  if (sc.privileged === true) problems.push(`${where}.securityContext.privileged must not be true`);
  if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}.securityContext.allowPrivilegeEscalation must be false`);
  if (sc.readOnlyRootFilesystem !== true)
    problems.push(`${where}.securityContext.readOnlyRootFilesystem must be true (mount an emptyDir where the process writes)`);
  if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true))
    problems.push(`${where}.securityContext.runAsNonRoot must be true (here or in the pod's securityContext)`);
  if (sc.runAsUser === 0) problems.push(`${where}.securityContext.runAsUser must not be 0 (root)`);
  const seccomp = sc.seccompProfile ?? podSc.seccompProfile;
  if (!isConfinedSeccomp(seccomp)) problems.push(`${where}.securityContext.seccompProfile.type must be RuntimeDefault (here or in the pod's securityContext)`);
  problems.push(...checkCapabilities(sc, where));
  for (const [i, p] of ((c.ports ?? []) as Json[]).entries()) {
    if (p.hostPort !== undefined && p.hostPort !== 0)
      problems.push(`${where}.ports[${i}].hostPort ${p.hostPort} is not allowed; reach the pod through a Service`);
  }
  if (list !== 'ephemeralContainers' && (c.resources?.requests?.memory === undefined || c.resources?.limits?.memory === undefined)) {
    problems.push(`${where}.resources needs a memory request and limit (requests.memory, limits.memory)`);
  }
  const grace: number = pod.terminationGracePeriodSeconds ?? 30;
  const sleep: number | undefined = c.lifecycle?.preStop?.sleep?.seconds;
  if (sleep !== undefined && !(sleep > 0 && sleep < grace))
    problems.push(`${where}: preStop sleep ${sleep}s must be > 0 and < terminationGracePeriodSeconds ${grace}s`);
  return problems;
}

function checkCapabilities(sc: Json, where: string): string[] {
  const problems: string[] = [];
  const drop: string[] = sc.capabilities?.drop ?? [];
  const add: string[] = sc.capabilities?.add ?? [];
  if (!drop.includes('ALL')) problems.push(`${where}.securityContext.capabilities.drop must include ALL`);
  for (const cap of [...drop, ...add].filter((x) => x.startsWith('CAP_')))
    problems.push(`${where}: capability "${cap}" is invalid in Kubernetes; drop the CAP_ prefix`);
  for (const cap of add.filter((x) => x !== 'NET_BIND_SERVICE' && !x.startsWith('CAP_')))
    problems.push(`${where}.securityContext.capabilities.add "${cap}" is not allowed (only NET_BIND_SERVICE)`);
  return problems;
}

function isConfinedSeccomp(profile: Json | undefined): boolean {
  return profile?.type === 'RuntimeDefault' || profile?.type === 'Localhost';
}
