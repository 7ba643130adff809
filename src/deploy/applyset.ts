/**
 * ApplySet (KEP-3659) labels and parent, exactly as kubectl spells them, so `kubectl apply --prune --applyset`
 * and berth agree on membership.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../render/types.js';
import { groupKind } from './resources.js';
import { SHARED_LABEL } from '../constructs/labels.js';

/**
 * A cluster-scoped object every environment shares (berth's PriorityClasses, label `berth.dev/shared`):
 * applied by each environment that uses it, a member of none of their ApplySets, so never pruned.
 */
export function isShared(obj: KubeObject): boolean {
  return obj.metadata.labels?.[SHARED_LABEL] === 'true';
}

export const LABEL_ID = 'applyset.kubernetes.io/id';
export const LABEL_PART_OF = 'applyset.kubernetes.io/part-of';
export const ANNOTATION_TOOLING = 'applyset.kubernetes.io/tooling';
export const ANNOTATION_GROUP_KINDS = 'applyset.kubernetes.io/contains-group-kinds';
export const ANNOTATION_NAMESPACES = 'applyset.kubernetes.io/additional-namespaces';
/** berth's own bookkeeping on the parent: the source revision of the current and previous deploys. */
export const ANNOTATION_REVISION = 'berth.dev/revision';
export const ANNOTATION_PREVIOUS_REVISION = 'berth.dev/previous-revision';
export const PARENT_FIELD_MANAGER = 'berth-applyset';
export const FIELD_MANAGER = 'berth';

export interface ParentRef {
  readonly name: string;
  readonly namespace: string;
}

/** `applyset-<base64url(sha256(<name>.<namespace>.Secret.))>-v1` for a Secret parent (core group is empty). */
export function applySetId(parent: ParentRef, kind = 'Secret', group = ''): string {
  const digest = createHash('sha256').update(`${parent.name}.${parent.namespace}.${kind}.${group}`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** The parent Secret of an environment: `berth-<environment>` in the environment's namespace. */
export function parentFor(environment: string, namespace: string): ParentRef {
  return { name: `berth-${environment}`, namespace };
}

export interface ParentState {
  readonly groupKinds: readonly string[];
  readonly namespaces: readonly string[];
  readonly tooling?: string;
  readonly revision?: string;
  readonly previousRevision?: string;
}

const splitList = (v: string | undefined): string[] =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export function readParent(live: KubeObject | undefined): ParentState | undefined {
  if (!live) return undefined;
  const a = live.metadata.annotations ?? {};
  return {
    groupKinds: splitList(a[ANNOTATION_GROUP_KINDS]),
    namespaces: splitList(a[ANNOTATION_NAMESPACES]),
    tooling: a[ANNOTATION_TOOLING],
    revision: a[ANNOTATION_REVISION],
    previousRevision: a[ANNOTATION_PREVIOUS_REVISION],
  };
}

/** Sorted group-kinds and additional namespaces (namespaces other than the parent's, of namespaced members). */
export function membership(objects: readonly KubeObject[], parent: ParentRef): { groupKinds: string[]; namespaces: string[] } {
  const gks = new Set<string>();
  const nss = new Set<string>();
  for (const o of objects) {
    if (isShared(o)) continue;
    gks.add(groupKind(o));
    const ns = o.metadata.namespace;
    if (ns && ns !== parent.namespace) nss.add(ns);
  }
  return { groupKinds: [...gks].sort(), namespaces: [...nss].sort() };
}

export function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** The parent Secret as berth applies it (field manager `berth-applyset`). */
export function parentObject(
  parent: ParentRef,
  id: string,
  tooling: string,
  set: { groupKinds: readonly string[]; namespaces: readonly string[] },
  revisions: { revision?: string; previousRevision?: string } = {},
): KubeObject {
  const annotations: Record<string, string> = {
    [ANNOTATION_TOOLING]: tooling,
    [ANNOTATION_GROUP_KINDS]: set.groupKinds.join(','),
    [ANNOTATION_NAMESPACES]: set.namespaces.join(','),
  };
  if (revisions.revision) annotations[ANNOTATION_REVISION] = revisions.revision;
  if (revisions.previousRevision) annotations[ANNOTATION_PREVIOUS_REVISION] = revisions.previousRevision;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: parent.name, namespace: parent.namespace, labels: { [LABEL_ID]: id }, annotations },
    type: 'Opaque',
  };
}

/**
 * A copy of `obj` labelled as a member of the ApplySet (a shared object is returned as it is). The label goes in at its
 * place in key order, so labels that were sorted (as rendered) stay sorted and the config hash (compare.ts) can
 * serialize the object as it is rather than rebuild it in order.
 */
export function withMembership(obj: KubeObject, id: string): KubeObject {
  if (isShared(obj)) return obj;
  return { ...obj, metadata: { ...obj.metadata, labels: withKey(obj.metadata.labels ?? {}, LABEL_PART_OF, id) } };
}

/** `record` with `key` set to `value`, inserted before the first key that sorts after it (any earlier `key` replaced). */
function withKey(record: Readonly<Record<string, string>>, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inserted = false;
  for (const k of Object.keys(record)) {
    if (!inserted && k > key) {
      out[key] = value;
      inserted = true;
    }
    if (k !== key) out[k] = record[k];
  }
  if (!inserted) out[key] = value;
  return out;
}

/** Refuses a parent that another tool manages (kubectl checks the same). */
export function checkTooling(state: ParentState | undefined, parent: ParentRef): void {
  const tool = state?.tooling;
  if (tool && !tool.startsWith('berth/')) {
    throw new Error(`ApplySet parent secret ${parent.namespace}/${parent.name} is managed by "${tool}", not berth; refusing to touch it`);
  }
}
