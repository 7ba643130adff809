import type { PodSecurityContext, Toleration } from './k8s-types.js';
import { DEFAULT_RUN_AS_ID } from '../declaration/defaults.js';
import type { ServiceDeclaration } from '../declaration/types.js';

/** Non-root UID/GID ≥ 10000 (kube-score, Checkov CKV_K8S_40); restricted Pod Security only needs non-zero. */
export { DEFAULT_RUN_AS_ID };

type PodFields = Pick<ServiceDeclaration, 'runAsUser' | 'runAsGroup' | 'fsGroup' | 'storage' | 'tolerations'>;

/**
 * The pod's security context: non-root IDs (10001 unless declared; `fsGroup` defaults to the group), seccomp
 * RuntimeDefault. With storage, `fsGroupChangePolicy: OnRootMismatch` skips the recursive chown of a large
 * volume when its root already has the right group.
 */
export function podSecurityContext(s: PodFields): PodSecurityContext {
  const group = s.runAsGroup ?? DEFAULT_RUN_AS_ID;
  return {
    runAsNonRoot: true,
    runAsUser: s.runAsUser ?? DEFAULT_RUN_AS_ID,
    runAsGroup: group,
    fsGroup: s.fsGroup ?? group,
    fsGroupChangePolicy: s.storage ? 'OnRootMismatch' : undefined,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Tolerations with the operator spelled out (`Equal` by default), in declared order. */
export function tolerations(s: PodFields): Toleration[] | undefined {
  if (!s.tolerations?.length) return undefined;
  return s.tolerations.map((t) => ({ key: t.key, operator: t.operator ?? 'Equal', value: t.value, effect: t.effect }));
}

/** `imagePullSecrets` of a ServiceAccount: the pods using it pull with these Secrets; none for an empty list. */
export function pullSecrets(names: readonly string[] | undefined): { name: string }[] | undefined {
  return names && names.length > 0 ? names.map((name) => ({ name })) : undefined;
}
