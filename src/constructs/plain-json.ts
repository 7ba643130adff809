/*
 * The fast half of PlainApiObject.toJson (kube.ts): cdk8s's `sanitizeValue(resolve(...))` for values
 * that are plain JSON. For plain JSON, cdk8s's default resolvers (Lazy, implicit `resolve()` tokens,
 * number/string unions) change nothing, so resolution is a copy; sanitizing sorts keys and drops
 * null/undefined. Anything else — a Lazy, a class instance, a function, a null or undefined array
 * item — gives NOT_PLAIN, and the caller asks cdk8s itself, so the result is always cdk8s's.
 */

/** Returned when a value is not plain JSON and must go through cdk8s's own resolution. */
export const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

export interface SanitizeOptions {
  /** Drop objects and arrays that are empty (what cdk8s does for `metadata`). @default false */
  readonly filterEmpty?: boolean;
}

/**
 * cdk8s's `sanitizeValue(value, { sortKeys: true, filterEmptyArrays, filterEmptyObjects })` for plain
 * JSON: a deep copy with object keys sorted and null/undefined values dropped; undefined when cdk8s
 * drops the value; NOT_PLAIN when `value` holds anything cdk8s's resolvers could replace.
 */
export function sanitizePlain(value: unknown, options: SanitizeOptions = {}): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') return NOT_PLAIN; // functions, symbols, bigints
  return Array.isArray(value) ? sanitizeArray(value, options) : sanitizeObject(value, options);
}

function sanitizeArray(arr: readonly unknown[], options: SanitizeOptions): unknown {
  if (options.filterEmpty && arr.length === 0) return undefined;
  const out = new Array<unknown>(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    // cdk8s keeps an array's null/undefined items as undefined holes; leave that to cdk8s.
    if (item === null || item === undefined) return NOT_PLAIN;
    const v = sanitizePlain(item, options);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    out[i] = v;
  }
  return out;
}

function sanitizeObject(obj: object, options: SanitizeOptions): unknown {
  if (Object.getPrototypeOf(obj) !== Object.prototype) return NOT_PLAIN; // Lazy, tokens, unions, Date, Map…
  const record = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let kept = 0;
  const keys = Object.keys(record);
  // most bodies are built in key order already: sort only when needed (same order as sort(): UTF-16 code units)
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  for (const key of keys) {
    const v = sanitizePlain(record[key], options);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    if (v !== undefined) {
      out[key] = v;
      kept++;
    }
  }
  return options.filterEmpty && kept === 0 ? undefined : out;
}
