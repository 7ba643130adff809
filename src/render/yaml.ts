/**
 * A YAML serialiser specialised to rendered Kubernetes manifests: JSON-compatible values
 * (plain objects, arrays, strings, finite numbers, booleans, null) in block style.
 *
 * Layout matches the `yaml` package's default `stringify` (2-space maps, sequences indented
 * under their key, compact `- - x` / `- a: 1` items, `{}` / `[]` for empties), while running
 * at close to `JSON.stringify` speed. Scalars are written so that YAML 1.1 and YAML 1.2 (core
 * schema) readers — the `yaml` package, go-yaml, PyYAML — all read back exactly the input:
 * a string is written plain only when it cannot be mistaken for anything else, otherwise
 * double-quoted; multi-line strings use a literal block (`|`, `|-`, `|+`) when that is
 * unambiguous without an indentation indicator, otherwise double-quoted.
 */

/**
 * Printable ASCII, starting with a letter, digit or a harmless character — or with dashes
 * followed by a letter (`--port`); never with another indicator, a space or `+`.
 */
const PLAIN_CHARS = /^(?:-+[A-Za-z]|[A-Za-z0-9_./$()=;^~<\\])[\x20-\x7e]*$/;
/** Characters a number or timestamp can be made of, in any schema or parser (incl. `0x1p3`, `1:20`, dates). */
const NUMERIC_LIKE = /^[0-9a-fA-FoOxXpPtTzZ.:_+\- ]*$/;
/** Digit-less exponent floats such as `e2` or `E-3`, which the `yaml` package's 1.1 schema reads as NaN. */
const BARE_EXPONENT = /^[eE][-+]?[0-9]/;
/** Whole words some schema reads as bool/null/float/merge/value (compared lower-cased). */
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~', '<<', '=', '.inf', '.nan', 'inf', 'nan', 'infinity', '.infinity']);
/** Longest reserved word; longer strings skip the lower-casing lookup. */
const RESERVED_MAX = 9;
/** Characters JSON.stringify leaves raw but YAML treats as non-printable or as a line break. */
const YAML_UNSAFE_RAW = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const YAML_UNSAFE_RAW_ALL = new RegExp(YAML_UNSAFE_RAW.source, 'g');
/** Characters allowed in a literal block: printable ASCII, newline, BMP text minus line/BOM specials. */
const LITERAL_CHARS = /^[\x20-\x7e\n\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*$/;
/** YAML implicit keys are limited to 1024 characters; longer keys use the explicit `? ` form. */
const MAX_IMPLICIT_KEY = 1000;

/** True when `s` can be written as a plain scalar and read back as this same string everywhere. */
function isPlainSafe(s: string): boolean {
  if (!PLAIN_CHARS.test(s)) return false;
  const last = s.charCodeAt(s.length - 1);
  if (last === 0x20 || last === 0x3a /* : */) return false;
  if (s.includes(': ') || s.includes(' #')) return false;
  if (s.startsWith('...') || s.startsWith('---')) return false; // document markers at column 0
  const body = s.charCodeAt(0) === 0x2d /* - */ ? s.replace(/^-+/, '') : s;
  const first = body.charCodeAt(0);
  const numericStart = first === 0x2e /* . */ || (first >= 0x30 && first <= 0x39);
  if ((numericStart && NUMERIC_LIKE.test(body)) || BARE_EXPONENT.test(body)) return false;
  return body.length > RESERVED_MAX || !RESERVED.has(body.toLowerCase());
}

/** A YAML double-quoted scalar: JSON escaping plus `\uXXXX` for characters YAML treats specially. */
function quote(s: string): string {
  const json = JSON.stringify(s);
  if (!YAML_UNSAFE_RAW.test(json)) return json;
  return json.replace(YAML_UNSAFE_RAW_ALL, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Memo of short single-line scalars: manifests repeat the same keys and values constantly. */
const inlineCache = new Map<string, string>();
const CACHE_MAX_LENGTH = 64;
const CACHE_MAX_ENTRIES = 20000;

/** A single-line scalar for a string: plain when safe, else double-quoted. */
function inlineString(s: string): string {
  if (s.length > CACHE_MAX_LENGTH) return isPlainSafe(s) ? s : quote(s);
  let out = inlineCache.get(s);
  if (out === undefined) {
    out = isPlainSafe(s) ? s : quote(s);
    if (inlineCache.size >= CACHE_MAX_ENTRIES) inlineCache.clear();
    inlineCache.set(s, out);
  }
  return out;
}

/**
 * A literal block scalar (header, newline, lines indented by `ind`) for a multi-line string, or
 * null when a literal block would need an indentation indicator or could be misread (control
 * characters, tabs, whitespace-only lines, no content line).
 */
function literalBlock(s: string, ind: string): string | null {
  if (!LITERAL_CHARS.test(s)) return null;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x0a) end--;
  const lines = s.slice(0, end).split('\n');
  const firstContent = lines.find((l) => l !== '');
  if (firstContent === undefined || firstContent.charCodeAt(0) === 0x20) return null;
  const trailing = s.length - end;
  let out = trailing === 0 ? '|-\n' : trailing === 1 ? '|\n' : '|+\n';
  for (const line of lines) {
    if (line !== '' && line.trim() === '') return null;
    out += line === '' ? '\n' : ind + line + '\n';
  }
  return out + '\n'.repeat(Math.max(0, trailing - 1));
}

/** A number as JS prints it; `-0` as `0`, and `1e+21` as `1.0e+21` so strict YAML 1.1 reads a float. */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`toYaml: cannot serialise non-finite number ${n}`);
  if (n === 0) return '0';
  const s = String(n);
  const e = s.indexOf('e');
  return e !== -1 && !s.includes('.') ? s.slice(0, e) + '.0' + s.slice(e) : s;
}

/** Describes a value that has no YAML/JSON representation, for error messages. */
function unsupported(value: unknown, where: string): Error {
  const what = typeof value === 'object' ? `object of type ${value?.constructor?.name ?? 'unknown'}` : typeof value;
  return new Error(`toYaml: cannot serialise ${what} ${where}`);
}

/**
 * One serialisation: tracks the objects on the current path to reject cycles.
 * Map/sequence writers return their entries with the first line NOT indented (the caller
 * writes the indentation or `- ` prefix) and every following line indented by `ind`.
 */
class Writer {
  /** Objects on the current path; an array beats a Set at manifest depths (~10). */
  private readonly path: object[] = [];

  /** A whole document for `value`, ending with a newline. */
  document(value: unknown): string {
    if (typeof value === 'string') return inlineString(value) + '\n';
    if (value !== null && typeof value === 'object') {
      const body = this.collection(value, '');
      if (body !== '') return body;
      return Array.isArray(value) ? '[]\n' : '{}\n';
    }
    return this.scalar(value, 'at the document root') + '\n';
  }

  /** Non-string scalars: number, boolean, null. */
  private scalar(value: unknown, where: string): string {
    if (value === null) return 'null';
    if (typeof value === 'number') return formatNumber(value);
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    throw unsupported(value, where);
  }

  /** A map's or sequence's entries ('' when empty), rejecting cycles and non-plain objects. */
  private collection(value: object, ind: string): string {
    if (this.path.includes(value)) throw new Error('toYaml: cannot serialise a cyclic structure');
    this.path.push(value);
    let out: string;
    if (Array.isArray(value)) out = this.sequence(value, ind);
    else {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw unsupported(value, 'in a manifest');
      out = this.map(value as Record<string, unknown>, ind);
    }
    this.path.pop();
    return out;
  }

  /** Map entries in insertion order; `undefined` values are skipped as JSON.stringify does. */
  private map(obj: Record<string, unknown>, ind: string): string {
    let out = '';
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      if (value === undefined) continue;
      const k = inlineString(key);
      const head = k.length > MAX_IMPLICIT_KEY ? `? ${k}\n${ind}:` : k + ':';
      out += (out === '' ? '' : ind) + head + this.afterKey(value, ind, key);
    }
    return out;
  }

  /** Sequence items as `- item`; compact nesting for maps and sequences. */
  private sequence(arr: readonly unknown[], ind: string): string {
    let out = '';
    const inner = ind + '  ';
    for (let i = 0; i < arr.length; i++) {
      out += (i === 0 ? '- ' : ind + '- ') + this.item(arr[i], inner, i);
    }
    return out;
  }

  /** The text after `key:` — ` scalar\n`, ` {}\n`, ` |\n…`, or a newline and an indented block. */
  private afterKey(value: unknown, ind: string, key: string): string {
    if (typeof value === 'string') {
      const block = value.includes('\n') ? literalBlock(value, ind + '  ') : null;
      return ' ' + (block ?? inlineString(value) + '\n');
    }
    if (value === null || typeof value !== 'object') return ' ' + this.scalar(value, `at key ${JSON.stringify(key)}`) + '\n';
    const inner = ind + '  ';
    const body = this.collection(value, inner);
    if (body !== '') return '\n' + inner + body;
    return Array.isArray(value) ? ' []\n' : ' {}\n';
  }

  /** The text after `- ` for one sequence item; `inner` is the item's content indentation. */
  private item(value: unknown, inner: string, index: number): string {
    if (typeof value === 'string') {
      return (value.includes('\n') ? literalBlock(value, inner) : null) ?? inlineString(value) + '\n';
    }
    if (value === undefined) throw new Error(`toYaml: cannot serialise undefined at array index ${index}`);
    if (value === null || typeof value !== 'object') return this.scalar(value, `at array index ${index}`) + '\n';
    const body = this.collection(value, inner);
    if (body !== '') return body;
    return Array.isArray(value) ? '[]\n' : '{}\n';
  }
}

/**
 * Serialises one JSON-compatible value as a single YAML document (block style, trailing newline).
 * Object keys keep their given order; properties whose value is `undefined` are omitted (as in
 * JSON.stringify). Throws on `undefined` in arrays or at the root, functions, symbols, bigints,
 * non-finite numbers, non-plain objects (Date, Map, class instances) and cycles.
 */
export function toYaml(value: unknown): string {
  return new Writer().document(value);
}

/** Documents joined at a time: a document is a tree of concatenated strings until joined, so join while they are young. */
const STREAM_CHUNK = 64;

/**
 * Serialises several values as a YAML stream: each document ends with a newline and documents
 * are separated by a `---` line. No leading `---` and no trailing `...`; an empty list gives ''.
 * Documents are joined STREAM_CHUNK at a time (flat strings), then the chunks: holding thousands of
 * unjoined documents (one file of a whole environment) kept their string trees alive and grew the heap
 * by ~100 MB at 5000 services.
 */
export function toYamlStream(values: readonly unknown[]): string {
  const chunks: string[] = [];
  for (let i = 0; i < values.length; i += STREAM_CHUNK)
    chunks.push(
      values
        .slice(i, i + STREAM_CHUNK)
        .map(toYaml)
        .join('---\n'),
    );
  return chunks.join('---\n');
}
