/** Rules for pod-level fields: mount paths, sizes, IDs, label / annotation keys and values, tolerations. */
import { DEFAULT_RUN_AS_ID } from './defaults.js';
import { DNS1123_SUBDOMAIN, parseQuantity, type RuleResult } from './rules.js';

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MOUNT_PATH = /^(\/[A-Za-z0-9._@+-]+)+$/;
const MAX_ID = 2147483647;

/** A Kubernetes label or annotation key: `[prefix/]name`, prefix a DNS subdomain ≤ 253, name ≤ 63. */
export function checkQualifiedKey(key: string, what: 'label' | 'annotation'): RuleResult {
  const fix =
    `use "[prefix/]name", e.g. "${what === 'label' ? 'cloud.google.com/gke-nodepool' : 'example.com/team'}": name ≤ 63 letters, digits, ` +
    `"-", "_", "." starting and ending alphanumeric; prefix a lowercase DNS name`;
  const slash = key.indexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)))
    return [`is not a valid ${what} key: the prefix must be a lowercase DNS subdomain`, fix];
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return [`is not a valid ${what} key`, fix];
  return undefined;
}

export function checkLabelValue(value: string): RuleResult {
  if (value.length > 63 || !LABEL_VALUE.test(value))
    return ['is not a valid label value', 'use at most 63 letters, digits, "-", "_" and ".", starting and ending alphanumeric (quote "true")'];
  return undefined;
}

/** Keys berth sets itself or that would weaken the pod's security profile. */
const RESERVED_ANNOTATION_PREFIXES = ['berth.dev/', 'container.apparmor.security.beta.kubernetes.io/', 'seccomp.security.alpha.kubernetes.io/'];

export function checkPodAnnotationKey(key: string): RuleResult {
  const prefix = RESERVED_ANNOTATION_PREFIXES.find((p) => key.startsWith(p) || key === p.slice(0, -1));
  if (prefix)
    return [
      `is reserved: berth sets "${prefix}*" itself (security profile and bookkeeping)`,
      'remove it; use a key under your own prefix, e.g. "example.com/team"',
    ];
  return checkQualifiedKey(key, 'annotation');
}

/** An absolute, normalized container path. */
export function checkMountPath(path: string): RuleResult {
  const fix = 'use an absolute path such as "/data" (letters, digits, ".", "_", "-", no "..", no trailing "/")';
  if (!path.startsWith('/')) return ['must be an absolute path', fix];
  if (path === '/') return ['cannot be the root directory', fix];
  if (!MOUNT_PATH.test(path) || path.split('/').some((p) => p === '.' || p === '..')) return ['is not a normalized absolute path', fix];
  if (path.length > 1024) return ['must be no more than 1024 characters', fix];
  if (path === '/tmp')
    return [
      'is already an emptyDir berth mounts for every pod (256Mi unless "scratch" sizes it)',
      'use another path, e.g. "/var/cache/app", or size /tmp with scratch: 1Gi',
    ];
  return undefined;
}

/** A volume size: a quantity of bytes, at least 1Mi. */
export function checkSize(q: string): RuleResult {
  const bytes = parseQuantity(q);
  if (bytes === undefined || /m$/.test(q)) return ['is not a size (units are Ki, Mi, Gi, Ti — not "MB" or "GB")', 'write e.g. "1Gi" or "500Mi"'];
  if (bytes < 2 ** 20) return ['is below 1Mi', 'write e.g. "64Mi"'];
  return undefined;
}

/** A UID / GID / fsGroup: never root. */
export function checkId(id: number): RuleResult {
  if (id <= 0)
    return [
      'must not be 0 or negative: pods run as non-root (Pod Security "restricted")',
      `use the image's unprivileged ID, e.g. 999 or 1000, or omit it for ${DEFAULT_RUN_AS_ID}`,
    ];
  if (id > MAX_ID) return [`must be at most ${MAX_ID}`, `use a 32-bit ID, e.g. ${DEFAULT_RUN_AS_ID}`];
  return undefined;
}

/** A Secret, ConfigMap or StorageClass name (DNS-1123 subdomain). */
export function checkObjectName(name: string, kind: string): RuleResult {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    return [`is not a valid ${kind} name (DNS-1123 subdomain)`, 'use lowercase letters, digits, "-" and "."'];
  return undefined;
}

export const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function checkOneOf(value: string, allowed: readonly string[]): RuleResult {
  if (!allowed.includes(value)) return [`must be one of ${allowed.join(', ')}`, `write e.g. "${allowed[0]}" (case matters)`];
  return undefined;
}
