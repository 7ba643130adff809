/** Validation of pod-level fields: singleton, replicas vs autoscaling, env references, mounts, storage, users, scheduling. */
import { referenceProblems, referencesIn } from './env-refs.js';
import type { DeclarationIssue } from './errors.js';
import type * as r from './rules.js';
import * as p from './rules-pod.js';
import { didYouMean, join } from './shape.js';
import type { MountDeclaration, ServiceDeclaration, ServiceOverride, TolerationDeclaration } from './types.js';

type At = (field: string, value: unknown, res: r.RuleResult) => void;

/** A StatefulSet's name must leave room for the controller-revision-hash label (`<name>-<10 chars>` ≤ 63). */
export const MAX_STATEFUL_NAME = 52;
/** Kubernetes caps all annotations of an object at 256 KiB. */
const MAX_ANNOTATION_BYTES = 256 * 1024;

function reporter(path: string, service: string, issues: DeclarationIssue[]): At {
  return (field, value, res) => {
    if (res) issues.push({ path: join(path, field), service, value, message: res[0], fix: res[1] });
  };
}

/** Field rules of a service or an override (`path` points at it); shape has been checked. */
export function checkPodFields(s: ServiceOverride, path: string, service: string, issues: DeclarationIssue[]): void {
  const at = reporter(path, service, issues);
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const id = s[field];
    if (typeof id === 'number') at(field, id, p.checkId(id));
  }
  if (s.replicas != null && s.autoscaling != null) {
    at('replicas', s.replicas, [
      'cannot be combined with autoscaling (the HorizontalPodAutoscaler owns the replica count)',
      'remove replicas (autoscaling.min is the floor), or remove autoscaling',
    ]);
  }
  s.mounts?.forEach((m, i) => checkMount(m, `mounts[${i}]`, at));
  checkMountPaths(s.mounts ?? [], s.storage?.path, at);
  if (s.storage) {
    at('storage.path', s.storage.path, p.checkMountPath(s.storage.path));
    at('storage.size', s.storage.size, p.checkSize(s.storage.size));
    if (s.storage.class !== undefined) at('storage.class', s.storage.class, p.checkObjectName(s.storage.class, 'StorageClass'));
  }
  let bytes = 0;
  for (const [k, v] of Object.entries(s.podAnnotations ?? {})) {
    at(`podAnnotations.${k}`, k, p.checkPodAnnotationKey(k));
    bytes += k.length + v.length;
  }
  if (bytes > MAX_ANNOTATION_BYTES)
    at('podAnnotations', `${bytes} bytes`, ['are larger than the 256 KiB Kubernetes allows on one object', 'keep annotations short; put data in a ConfigMap']);
  for (const [k, v] of Object.entries(s.nodeSelector ?? {})) {
    at(`nodeSelector.${k}`, k, p.checkQualifiedKey(k, 'label'));
    at(`nodeSelector.${k}`, v, p.checkLabelValue(v));
  }
  s.tolerations?.forEach((t, i) => checkToleration(t, `tolerations[${i}]`, at));
}

function checkMount(m: MountDeclaration, path: string, at: At): void {
  const sources = (['emptyDir', 'secret', 'configMap'] as const).filter((k) => m[k] !== undefined);
  if (sources.length !== 1) {
    const got = sources.length === 0 ? 'none' : sources.join(' and ');
    at(path, m, [
      `needs exactly one of emptyDir, secret or configMap (got ${got})`,
      'write e.g. { path: /var/cache/app, emptyDir: 1Gi } or { path: /etc/app, configMap: app-config }',
    ]);
  }
  at(`${path}.path`, m.path, p.checkMountPath(m.path));
  if (m.emptyDir !== undefined) at(`${path}.emptyDir`, m.emptyDir, p.checkSize(m.emptyDir));
  if (m.secret !== undefined) at(`${path}.secret`, m.secret, p.checkObjectName(m.secret, 'Secret'));
  if (m.configMap !== undefined) at(`${path}.configMap`, m.configMap, p.checkObjectName(m.configMap, 'ConfigMap'));
}

function checkMountPaths(mounts: readonly MountDeclaration[], storagePath: string | undefined, at: At): void {
  const seen = new Map<string, string>();
  if (storagePath !== undefined) seen.set(storagePath, 'storage.path');
  mounts.forEach((m, i) => {
    const other = seen.get(m.path);
    if (other) at(`mounts[${i}].path`, m.path, [`is also mounted by ${other}`, 'mount every volume at its own path']);
    else seen.set(m.path, `mounts[${i}]`);
  });
}

function checkToleration(t: TolerationDeclaration, path: string, at: At): void {
  at(`${path}.key`, t.key, p.checkQualifiedKey(t.key, 'label'));
  if (t.operator !== undefined) at(`${path}.operator`, t.operator, p.checkOneOf(t.operator, p.TOLERATION_OPERATORS));
  if (t.effect !== undefined) at(`${path}.effect`, t.effect, p.checkOneOf(t.effect, p.TAINT_EFFECTS));
  if (t.value !== undefined) at(`${path}.value`, t.value, p.checkLabelValue(t.value));
  if (t.operator === 'Exists' && t.value)
    at(`${path}.value`, t.value, ['must be empty with operator Exists (any value matches)', 'remove value, or use operator: Equal']);
}

/** Rules that need the base service: an override's replicas next to an inherited autoscaling; deleting unknown env keys. */
export function checkOverrideAgainstBase(base: ServiceDeclaration, o: ServiceOverride, path: string, issues: DeclarationIssue[]): void {
  const at = reporter(path, base.name, issues);
  if (o.replicas != null && o.autoscaling === undefined && base.autoscaling) {
    at('replicas', o.replicas, [
      'is ignored: the service inherits autoscaling, and the HorizontalPodAutoscaler owns the replica count',
      'add "autoscaling: null" to this override for a fixed count, or remove replicas',
    ]);
  }
  if (o.singleton === true && o.autoscaling === undefined && base.autoscaling) {
    at('singleton', true, ['conflicts with the inherited autoscaling (a singleton runs exactly one pod)', 'add "autoscaling: null" to this override']);
  }
  for (const field of ['env', 'secretEnv'] as const) {
    const declared = Object.keys(base[field] ?? {});
    for (const [k, v] of Object.entries(o[field] ?? {})) {
      if (v !== null || declared.includes(k)) continue;
      const hint = didYouMean(k, declared);
      at(`${field}.${k}`, null, [`deletes a variable the service does not declare in ${field}`, hint ? `did you mean "${hint}"?` : `remove "${k}: null"`]);
    }
  }
}

/** Rules on the service as it runs in one environment (overrides applied). */
export function checkPodCombination(s: ServiceDeclaration, path: string, issues: DeclarationIssue[]): void {
  const at = reporter(path, s.name, issues);
  if (s.singleton && s.autoscaling)
    at('autoscaling', s.autoscaling, [
      'cannot be combined with singleton: true (exactly one pod at a time)',
      'remove autoscaling (in an environment override: autoscaling: null), or remove singleton',
    ]);
  if (s.singleton && (s.replicas ?? 1) > 1)
    at('replicas', s.replicas, ['must be 0 or 1 for a singleton (exactly one pod at a time)', 'write replicas: 1, or remove singleton']);
  if (s.storage && s.name.length > MAX_STATEFUL_NAME) {
    at('storage', s.storage, [
      `needs a service name of at most ${MAX_STATEFUL_NAME} characters (a StatefulSet's revision label adds 11)`,
      'shorten the service name',
    ]);
  }
  checkEnvReferences(s, at);
}

const URL_PASSWORD = /:\/\/[^/\s:@]*:([^/\s@]+)@/;

function checkEnvReferences(s: ServiceDeclaration, at: At): void {
  for (const problem of referenceProblems(s)) {
    const { variable, reference } = problem;
    at(
      `env.${variable}`,
      `$(${reference})`,
      problem.kind === 'unknown'
        ? [
            `refers to "${reference}", which is not an env or secretEnv entry of this service (Kubernetes would leave "$(${reference})" as literal text)`,
            `declare ${reference} in env or secretEnv, or write "$$(${reference})" for a literal`,
          ]
        : [
            `refers to "${reference}", which refers back to "${variable}" (a cycle Kubernetes cannot expand)`,
            `make one of "${variable}" and "${reference}" a literal value`,
          ],
    );
  }
  for (const [variable, value] of Object.entries(s.env ?? {})) {
    const password = URL_PASSWORD.exec(value)?.[1];
    for (const ref of password ? referencesIn(password) : []) {
      if (s.env && ref in s.env)
        at(`env.${variable}`, `$(${ref})`, [
          `builds a URL password from the plain variable "${ref}", whose value is written into the manifests`,
          `move ${ref} to secretEnv`,
        ]);
    }
  }
}
