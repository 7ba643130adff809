/** Pure comparisons between desired, dry-run and live objects. */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../render/types.js';
import { templateExtras } from './template-drift.js';

/** Annotation carrying a hash of what berth last applied: a field dropped from the declaration changes it. */
export const ANNOTATION_HASH = 'berth.dev/config-hash';

type Json = unknown;

function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(value).sort()) out[k] = canonical((value as Record<string, Json>)[k]);
    return out;
  }
  return value;
}

/** Whether every object below `value` already has its keys in sorted order and is plain (no toJSON, no class). */
function isCanonical(value: Json): boolean {
  if (Array.isArray(value)) return value.every(isCanonical);
  if (value === null || typeof value !== 'object') return true;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i - 1] > keys[i]) return false;
    if (!isCanonical((value as Record<string, Json>)[keys[i]])) return false;
  }
  return true;
}

/**
 * `JSON.stringify(canonical(obj))`. Rendered objects come with sorted keys below the top level (cdk8s sorts them), so
 * only the top level is copied in order and the rest is checked, not rebuilt; anything else is made canonical first.
 */
function canonicalJson(obj: Json): string {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || Object.getPrototypeOf(obj) !== Object.prototype) {
    return JSON.stringify(canonical(obj));
  }
  const record = obj as Record<string, Json>;
  const top: Record<string, Json> = {};
  for (const k of Object.keys(record).sort()) top[k] = record[k];
  return JSON.stringify(Object.values(top).every(isCanonical) ? top : canonical(obj));
}

/** Stable hash of an object's content (key order does not matter). */
export function contentHash(obj: Json): string {
  return createHash('sha256').update(canonicalJson(obj)).digest('hex').slice(0, 32);
}

/** `obj` with the config-hash annotation set. */
export function withHash(obj: KubeObject): KubeObject {
  const hash = contentHash(obj);
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [ANNOTATION_HASH]: hash } } };
}

/** Whether every field of `want` is present in `have` with the same value (lists compared element-wise, same length). */
export function isSubset(want: Json, have: Json): boolean {
  if (want === null || want === undefined) return have === null || have === undefined;
  if ((have === null || have === undefined) && isEmpty(want)) return true;
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return false;
    for (let i = 0; i < want.length; i++) if (!isSubset(want[i], have[i])) return false;
    return true;
  }
  if (typeof want === 'object') {
    if (!have || typeof have !== 'object' || Array.isArray(have)) return false;
    for (const k in want) {
      if (Object.hasOwn(want, k) && !isSubset((want as Record<string, Json>)[k], (have as Record<string, Json>)[k])) return false;
    }
    return true;
  }
  return want === have;
}

/** `{}` or `[]`: the API server omits empty maps and lists, so an absent live field matches them. */
function isEmpty(v: Json): boolean {
  return (Array.isArray(v) && v.length === 0) || (!!v && typeof v === 'object' && Object.keys(v).length === 0);
}

/**
 * Whether a live object already matches what berth would apply: same config hash (nothing added or removed in the
 * declaration), every declared field still has its declared value, and the pod template holds nothing undeclared (no drift).
 */
export function isUpToDate(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return false;
  const want = desired.metadata.annotations?.[ANNOTATION_HASH];
  return want !== undefined && live.metadata.annotations?.[ANNOTATION_HASH] === want && isSubset(desired, live) && templateExtras(desired, live).length === 0;
}

const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid'];

/** Object without server bookkeeping, for comparing a dry-run result with live state. */
export function stripVolatile(obj: Json): Json {
  if (!obj || typeof obj !== 'object') return obj;
  const { metadata, status: _status, ...rest } = obj as Record<string, Json>;
  const md = { ...((metadata as Record<string, Json> | undefined) ?? {}) };
  for (const k of VOLATILE_METADATA) delete md[k];
  return { ...rest, metadata: md };
}

export interface FieldChange {
  readonly path: string;
  readonly before: Json;
  readonly after: Json;
}

const isPlainObject = (v: Json): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Field-level differences between two objects (paths like `spec.template.spec.containers[0].image`). */
export function diffFields(before: Json, after: Json, path = ''): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffFields(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffFields(b, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

/** Differences that matter between live state and a dry-run result (server bookkeeping and status ignored). */
export function liveChanges(live: KubeObject, dryRun: KubeObject): FieldChange[] {
  return diffFields(stripVolatile(live), stripVolatile(dryRun));
}
