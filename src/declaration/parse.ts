import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { LineCounter, Node, Scalar } from 'yaml';
import { DeclarationError, shownValue, type DeclarationIssue } from './errors.js';
import { attributeIssue } from './validate.js';
import { BOOL11, core12Number, loadCore, readsDifferentlyInYaml11, YAML11_BOOL_FIX, YAML11_FIX, yaml11Number } from './yaml-core.js';

/** A parsed YAML declaration plus where each field sits in the file. */
export interface ParsedYaml {
  readonly data: unknown;
  /** 1-based line of a field path (`services[0].image`), or undefined. */
  readonly lineOf: (path: string) => number | undefined;
}

/**
 * Parses YAML text strictly: syntax errors and duplicate keys are errors (with line numbers),
 * and a map from field paths to lines is kept so later validation can point at the line.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const yaml = preciseParser();
  const lineCounter = new yaml.LineCounter();
  // The core schema even under a `%YAML 1.1` directive, and no YAML 1.1 tags (!!binary, !!set,
  // !!timestamp…): the fast path (js-yaml, see yaml-core.ts) reads exactly the same types.
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2', schema: 'core', resolveKnownTags: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) {
    const issues: DeclarationIssue[] = [...doc.errors, ...doc.warnings].map((e) => ({
      path: '(yaml)',
      message: e.code === 'DUPLICATE_KEY' ? `duplicate key: ${firstLine(e.message)}` : firstLine(e.message),
      fix:
        e.code === 'DUPLICATE_KEY'
          ? 'remove or merge the repeated key'
          : e.code === 'TAG_RESOLVE_FAILED'
            ? 'remove the tag: berth reads plain YAML 1.2 (only !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)'
            : 'fix the YAML syntax',
      line: lineCounter.linePos(e.pos[0]).line,
    }));
    throw new DeclarationError(issues, file);
  }
  const lines = new Map<string, number>();
  const ambiguous: DeclarationIssue[] = [];
  collectLines(yaml, doc.contents, '', { lines, issues: ambiguous, lc: lineCounter });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The yaml package refuses documents whose aliases expand too far (a "billion laughs" alias bomb).
    throw new DeclarationError(
      [{ path: '(yaml)', message: firstLine((e as Error).message), fix: 'use fewer YAML aliases (*name); write the values out' }],
      file,
    );
  }
  if (ambiguous.length > 0)
    throw new DeclarationError(
      ambiguous.map((i) => attributeIssue(i, data)),
      file,
    );
  return { data, lineOf: (p) => lines.get(p) };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The `yaml` package (positions, precise errors) is only needed when a declaration has a problem, so it
 * is loaded on first use: loading it costs about as much as rendering a hundred services.
 */
function preciseParser(): typeof Yaml {
  return createRequire(import.meta.url)('yaml') as typeof Yaml;
}

interface Walk {
  readonly lines: Map<string, number>;
  /** Plain scalars YAML 1.1 reads differently, and keys that are not scalars. */
  readonly issues: DeclarationIssue[];
  readonly lc: LineCounter;
}

function collectLines(yaml: typeof Yaml, node: Node | null, path: string, w: Walk): void {
  if (!node) return;
  if (node.range) w.lines.set(path, w.lc.linePos(node.range[0]).line);
  if (yaml.isScalar(node)) checkPlain(node, path, w);
  if (yaml.isMap(node)) {
    for (const pair of node.items) {
      if (!yaml.isPair(pair)) continue;
      if (!yaml.isScalar(pair.key) || pair.key.value === null) {
        checkKey(pair.key as Node | null, path, w, yaml.isScalar(pair.key) || !pair.key);
        continue;
      }
      const key = keyText(pair.key.value);
      const child = path ? `${path}.${key}` : key;
      if (key === '<<' && pair.key.type === 'PLAIN' && pair.key.tag === undefined) {
        w.issues.push({
          path: child,
          value: key,
          message: 'is a YAML 1.1 merge key; berth reads YAML 1.2, where it is an ordinary key',
          fix: 'write the fields out (or quote "<<" if you mean that name)',
          line: lineOf(pair.key, w),
        });
      } else checkPlain(pair.key, child, w);
      if (pair.key.range) w.lines.set(child, w.lc.linePos(pair.key.range[0]).line);
      collectLines(yaml, pair.value as Node | null, child, w);
      if (pair.key.range) w.lines.set(child, w.lc.linePos(pair.key.range[0]).line);
    }
  } else if (yaml.isSeq(node)) {
    node.items.forEach((item, i) => collectLines(yaml, item as Node | null, `${path}[${i}]`, w));
  }
}

function lineOf(node: Node | null | undefined, w: Walk): number | undefined {
  return node?.range ? w.lc.linePos(node.range[0]).line : undefined;
}

/** A key that is null, empty, a list or a map: the parsers would stringify it differently, so none is accepted. */
function checkKey(key: Node | null, path: string, w: Walk, nullKey: boolean): void {
  const [message, fix] = nullKey
    ? ['has a key that is empty or null (~, null)', 'write the key\'s name, quoted ("null") if you mean that text']
    : ['has a key that is a list or a map', 'use a plain text key'];
  w.issues.push({ path: path || '(yaml)', message, fix, line: lineOf(key, w) });
}

/** An untagged plain scalar that YAML 1.1 reads differently from YAML 1.2 is an issue at its line. */
function checkPlain(node: Scalar, path: string, w: Walk): void {
  const source = node.source;
  if (node.type !== 'PLAIN' || node.tag !== undefined || typeof source !== 'string' || !readsDifferentlyInYaml11(source)) return;
  const fix = BOOL11.test(source) ? YAML11_BOOL_FIX : YAML11_FIX;
  const issue: DeclarationIssue = { path: path || '(yaml)', value: source, message: '', fix, line: lineOf(node, w) };
  const readings = shownValue(issue) === source ? `: ${yaml12Reading(source)} in YAML 1.2, which berth reads, but ${yaml11Reading(source)} in YAML 1.1` : '';
  w.issues.push({ ...issue, message: `is read differently by YAML 1.1 tools${readings}` });
}

function yaml12Reading(s: string): string {
  const n = core12Number(s);
  return n === undefined ? 'text' : `the number ${n}`;
}

function yaml11Reading(s: string): string {
  if (/^(?:y|Y|[Yy]es|YES|[Oo]n|ON)$/.test(s)) return 'true';
  if (/^(?:n|N|[Nn]o|NO|[Oo]ff|OFF)$/.test(s)) return 'false';
  const n = yaml11Number(s);
  if (n === undefined) return /^[0-9]{4}-/.test(s) ? 'a date' : 'text';
  return Number.isNaN(n) ? 'not-a-number' : `the number ${n}`;
}

/**
 * A YAML alias (`*name`) or anchor (`&name`) anywhere in the text: left to the precise parser, which caps
 * alias expansion (and the two parsers draw the end of an anchor name differently: `&0: []`).
 */
const ALIAS = /(^|[\s[{,:-])[*&][^\s,[\]{}]/m;

/** A flow collection used as a key (`[a, b]: x`) or an explicit key (`? x`): left to the precise parser, which refuses them. */
const COMPLEX_KEY = /[\]}][ \t]*:|(^|[\s[{,])\?(\s|$)/m;

/** A tag (`!!str`, `!`, `!custom`): rare in declarations, and the parsers differ on a few (`!` on an empty node). */
const TAG = /(^|[\s[{,:-])!/m;

/**
 * The fast path for well-formed files: js-yaml with the same YAML 1.2 core schema as the precise parser
 * (yaml-core.ts; duplicate keys are errors there too) is over ten times quicker than building a `yaml`
 * Document with positions. Returns undefined when the precise parser must decide (syntax errors,
 * duplicate keys, anchors and aliases, complex keys, tags, scalars YAML 1.1 reads differently);
 * callers then use `parseYaml`, whose errors carry lines. Whenever this returns data, `parseYaml`
 * returns the same (test/declaration/yaml-reading.test.ts checks it over a generated corpus).
 */
export function parseYamlFast(text: string): { data: unknown } | undefined {
  if (ALIAS.test(text) || COMPLEX_KEY.test(text) || TAG.test(text)) return undefined;
  try {
    return loadCore(text);
  } catch {
    return undefined;
  }
}

/** The text of a scalar key (collection keys are refused before this). */
function keyText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}
