/**
 * One reading of YAML scalars for both of berth's parsers: the YAML 1.2 core schema, as the `yaml`
 * package implements it, rebuilt as a js-yaml schema for the fast path; plus the plain scalars that a
 * YAML 1.1 reader (kubectl's, PyYAML's, older tools') reads as a different value, which berth refuses
 * rather than guess which reading the author meant.
 */
import jsYaml from 'js-yaml';

/** The fix offered for a plain scalar that YAML 1.1 and YAML 1.2 read differently. */
export const YAML11_FIX = 'quote it ("…") if you mean text, or write a plain decimal (8000, 0.5) if you mean a number';

/** The fix offered for a YAML 1.1 boolean word (`yes`, `off`, `y`…). */
export const YAML11_BOOL_FIX = 'write true or false if you mean a yes/no, or quote it ("yes") if you mean text';

/** `yes`/`no`/`on`/`off`/`y`/`n` in their YAML 1.1 spellings: booleans there, text in YAML 1.2. */
export const BOOL11 = /^(?:y|Y|[Yy]es|YES|[Oo]n|ON|n|N|[Nn]o|NO|[Oo]ff|OFF)$/;
const TIMESTAMP11 =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/;
/** Every character a YAML 1.1 or 1.2 number or date can hold (`256Mi` or `100m` fail at once). */
const NUMBER_CHARS = /^[-+.0-9][-+.0-9_:a-fA-FxoinINtTZ \t]*$/;
/** A plain decimal (no sign, no leading zero): read alike by YAML 1.1 and 1.2, and by far the most common. */
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
/** A YAML 1.2 core integer: decimal with an optional sign, `0o` octal or `0x` hex. */
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** Whether `s` starts like a number (`+`, `-`, `.`, a digit): the only plain scalars numbers can come from. */
function numberish(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/** First letters of the YAML 1.1 booleans (y n o Y N O) and of `<<`: a cheap gate before any regex. */
function boolish(s: string): boolean {
  const c = s.charCodeAt(0) | 0x20;
  return c === 0x79 || c === 0x6e || c === 0x6f;
}

/** `.inf`, `-.inf`, `.nan` (the same in YAML 1.1 and 1.2). */
function nanInf(s: string): number {
  return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
}

/** The number a YAML 1.2 core reader makes of a plain scalar, or undefined when it is a string. */
export function core12Number(s: string): number | undefined {
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_INF.test(s)) return nanInf(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return undefined;
}

function signed(s: string, offset: number, radix: number): number {
  const sign = s[0];
  const digits = s.substring(sign === '-' || sign === '+' ? offset + 1 : offset).replace(/_/g, '');
  const n = parseInt(digits, radix);
  return sign === '-' ? -1 * n : n;
}

function sexagesimal(s: string): number {
  const sign = s[0];
  const parts = sign === '-' || sign === '+' ? s.substring(1) : s;
  const n = parts
    .replace(/_/g, '')
    .split(':')
    .reduce((acc, p) => acc * 60 + Number(p), 0);
  return sign === '-' ? -1 * n : n;
}

/** The number a YAML 1.1 reader makes of a plain scalar (binary, 0-octal, `_`, sexagesimal…), or undefined. */
export function yaml11Number(s: string): number | undefined {
  if (/^[-+]?0b[0-1_]+$/.test(s)) return signed(s, 2, 2);
  if (/^[-+]?0[0-7_]+$/.test(s)) return signed(s, 1, 8);
  if (/^[-+]?[0-9][0-9_]*$/.test(s)) return signed(s, 0, 10);
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(s)) return signed(s, 2, 16);
  if (NAN_INF.test(s)) return nanInf(s);
  if (/^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s.replace(/_/g, ''));
  if (/^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/.test(s)) return parseFloat(s.replace(/_/g, ''));
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return sexagesimal(s);
  return undefined;
}

/**
 * True when a plain (unquoted, untagged) scalar means something else under YAML 1.1 than under the
 * YAML 1.2 core schema berth reads: `yes`/`no`/`on`/`off`/`y`/`n`, binary `0b…`, octal `0755` and
 * `0o755`, `1_000`, sexagesimal `1:30`, dates. (As a key, `<<` differs too: see `TROUBLE_KEYS`.)
 */
export function readsDifferentlyInYaml11(s: string): boolean {
  if (boolish(s)) return BOOL11.test(s);
  if (!numberish(s) || !NUMBER_CHARS.test(s)) return false;
  if (DECIMAL.test(s)) return false;
  return TIMESTAMP11.test(s) || !Object.is(yaml11Number(s), core12Number(s));
}

/** Collects, during one js-yaml load, whether a YAML 1.1-ambiguous plain scalar was met. */
let sawYaml11 = false;

const yaml11Marker = new jsYaml.Type('tag:berth.dev,2026:yaml11-ambiguous', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && readsDifferentlyInYaml11(data),
  construct: (data: string) => {
    sawYaml11 = true;
    return data;
  },
});

const coreNull = new jsYaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: unknown) => data === null || (typeof data === 'string' && (data.length === 0 || /^(?:~|[Nn]ull|NULL)$/.test(data))),
  construct: () => null,
});

const coreBool = new jsYaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});

const coreInt = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && numberish(data) && CORE_INT.test(data),
  construct: (data: string) => core12Number(data),
});

const coreFloat = new jsYaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) =>
    typeof data === 'string' && numberish(data) && NUMBER_CHARS.test(data) && !CORE_INT.test(data) && !/^0[ox]/.test(data) && core12Number(data) !== undefined,
  construct: (data: string) => core12Number(data),
});

/**
 * js-yaml's own CORE_SCHEMA reads more than YAML 1.2 core (`0b1010`, `1_000`); this one reads exactly
 * what the `yaml` package's core schema reads, and marks what YAML 1.1 would read differently.
 */
const FAST_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [yaml11Marker, coreNull, coreBool, coreInt, coreFloat],
});

/**
 * Keys the two parsers would turn into different strings, or YAML 1.1 would treat specially: a null key
 * (`~:` is "" for `yaml` and "null" for js-yaml), an empty one, and the YAML 1.1 merge key `<<`.
 */
export const TROUBLE_KEYS: ReadonlySet<string> = new Set(['null', '', '<<']);

function hasTroubleKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasTroubleKey);
  if (typeof value !== 'object' || value === null) return false;
  for (const [k, v] of Object.entries(value)) if (TROUBLE_KEYS.has(k) || hasTroubleKey(v)) return true;
  return false;
}

/**
 * js-yaml with the shared schema; undefined when the text has a YAML 1.1-ambiguous plain scalar or a
 * key in TROUBLE_KEYS (the precise parser then decides). Throws on YAML errors.
 */
export function loadCore(text: string): { data: unknown } | undefined {
  sawYaml11 = false;
  const data = jsYaml.load(text, { schema: FAST_SCHEMA });
  return sawYaml11 || hasTroubleKey(data) ? undefined : { data };
}
