import type { Container, PodTemplateSpec, Quantity } from './k8s-types.js';
import { livenessOf, readinessOf, startupOf } from '../declaration/probes.js';
import { DEFAULT_SCRATCH, SAFE_TO_EVICT } from '../declaration/knobs.js';
import type { ServiceDeclaration } from '../declaration/types.js';
import { qty } from './kube.js';
import type { DrainTimings } from './drain-budget.js';
import { containerPorts, kubeProbe } from './probes.js';
import { sidecarContainers } from './sidecars.js';
import { envVars } from './env-vars.js';
import { DEFAULT_RUN_AS_ID, podSecurityContext, tolerations } from './pod-options.js';
import { BASE_EPHEMERAL_STORAGE, declaredVolumes, ephemeralStorage } from './volumes.js';

/*
 * The pod template is written with the typed Kubernetes 1.27 structs that cdk8s-plus-27 ships, not with
 * cdk8s-plus's Deployment/Container: those add a TCP startup probe instead of a readiness probe, default
 * resources with a 4x memory limit, `CAP_`-prefixed capability names, no seccomp profile and no way to
 * express `lifecycle.preStop.sleep` (see ../shared/notes/gke-ingress.md §9). The 1.27 structs have no
 * `sleep` handler either, so WebService adds it to the plain JSON.
 */

/** Non-root UID/GID ≥ 10000 (kube-score, Checkov CKV_K8S_40); restricted PSS only needs non-zero. */
export const RUN_AS_ID = DEFAULT_RUN_AS_ID;
/** The main port's name for `protocol: http` (see `mainPortName` for the others). */
export const HTTP_PORT_NAME = 'http';
const TMP_VOLUME = 'tmp';

export interface PodTemplateInput {
  readonly service: ServiceDeclaration;
  readonly labels: Record<string, string>;
  readonly drain: DrainTimings;
}

export function podTemplate({ service, labels, drain }: PodTemplateInput): PodTemplateSpec {
  const selector = { 'app.kubernetes.io/name': service.name };
  return {
    metadata: { labels, annotations: podAnnotations(service) },
    spec: {
      serviceAccountName: service.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: drain.terminationGracePeriodSeconds,
      securityContext: podSecurityContext(service),
      initContainers: sidecarContainers(service, TMP_VOLUME, declaredVolumes(service).mounts),
      containers: [container(service)],
      volumes: [{ name: TMP_VOLUME, emptyDir: { sizeLimit: qty(service.scratch ?? DEFAULT_SCRATCH) } }, ...declaredVolumes(service).volumes],
      nodeSelector: service.nodeSelector ? { ...service.nodeSelector } : undefined,
      tolerations: tolerations(service),
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
      ],
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
          ],
        },
      },
    },
  };
}

/** The declared pod annotations; `disruption: never` adds the cluster autoscaler's `safe-to-evict: "false"` (berth's value wins). */
function podAnnotations(s: ServiceDeclaration): Record<string, string> | undefined {
  const annotations = { ...s.podAnnotations, ...(s.disruption === 'never' ? { [SAFE_TO_EVICT]: 'false' } : {}) };
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

function container(s: ServiceDeclaration): Container {
  return {
    name: s.name,
    image: s.image,
    // Tags can be re-pushed, digests cannot: pull tags every time, digests only once.
    imagePullPolicy: s.image.includes('@sha256:') ? 'IfNotPresent' : 'Always',
    command: s.command ? [...s.command] : undefined,
    args: s.args ? [...s.args] : undefined,
    ports: containerPorts(s),
    env: envVars(s),
    resources: resources(s),
    readinessProbe: kubeProbe(readinessOf(s)),
    livenessProbe: kubeProbe(livenessOf(s)),
    startupProbe: kubeProbe(startupOf(s)),
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }, ...declaredVolumes(s).mounts],
  };
}

/** Default local disk for /tmp and logs: the /tmp emptyDir's 256Mi plus room for logs (kube-score wants both set);
 *  `scratch`, `writable` and emptyDir mounts change it (volumes.ts `ephemeralStorage`). */
export const EPHEMERAL_STORAGE = BASE_EPHEMERAL_STORAGE;

/** Memory request = limit (no overcommit); CPU request only unless `cpuLimit` opts in; bounded local disk. */
function resources(s: ServiceDeclaration): Container['resources'] {
  const disk = ephemeralStorage(s);
  const limits: Record<string, Quantity> = { memory: qty(s.memoryLimit ?? s.memory), 'ephemeral-storage': qty(disk.limit) };
  if (s.cpuLimit) limits.cpu = qty(s.cpuLimit);
  return { requests: { cpu: qty(s.cpu), memory: qty(s.memory), 'ephemeral-storage': qty(disk.request) }, limits };
}
