import { createRequire } from 'node:module';
import jsYaml from 'js-yaml';
import type * as Yaml from 'yaml';
import type { LineCounter, Node } from 'yaml';
import { DeclarationError, type DeclarationIssue } from './errors.js';

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
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2' });
  if (doc.errors.length > 0) {
    const issues: DeclarationIssue[] = doc.errors.map((e) => ({
      path: '(yaml)',
      message: e.code === 'DUPLICATE_KEY' ? `duplicate key: ${firstLine(e.message)}` : firstLine(e.message),
      fix: e.code === 'DUPLICATE_KEY' ? 'remove or merge the repeated key' : 'fix the YAML syntax',
      line: lineCounter.linePos(e.pos[0]).line,
    }));
    throw new DeclarationError(issues, file);
  }
  const lines = new Map<string, number>();
  collectLines(yaml, doc.contents, '', lines, lineCounter);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // The yaml package refuses documents whose aliases expand too far (a "billion laughs" alias bomb).
    throw new DeclarationError([{ path: '(yaml)', message: firstLine((e as Error).message), fix: 'use fewer YAML aliases (*name); write the values out' }], file);
  }
  return { data, lineOf: (p) => lines.get(p) };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The `yaml` package (positions, precise errors) is only needed when a declaration has a problem, so it
 * is loaded on first use: loading it costs about as much as rendering a hundred services.
 */
function preciseParser(): typeof Yaml {
  return createRequire(import.meta.url)('yaml') as typeof Yaml;
}

function collectLines(yaml: typeof Yaml, node: Node | null, path: string, out: Map<string, number>, lc: LineCounter): void {
  if (!node) return;
  if (node.range) out.set(path, lc.linePos(node.range[0]).line);
  if (yaml.isMap(node)) {
    for (const pair of node.items) {
      if (!yaml.isPair(pair) || !yaml.isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = path ? `${path}.${key}` : key;
      if (pair.key.range) out.set(child, lc.linePos(pair.key.range[0]).line);
      collectLines(yaml, pair.value as Node | null, child, out, lc);
      if (pair.key.range) out.set(child, lc.linePos(pair.key.range[0]).line);
    }
  } else if (yaml.isSeq(node)) {
    node.items.forEach((item, i) => collectLines(yaml, item as Node | null, `${path}[${i}]`, out, lc));
  }
}

/** A YAML alias (`*name`) anywhere in the text: left to the precise parser, which caps alias expansion. */
const ALIAS = /(^|[\s[{,:-])\*[^\s,[\]{}]/m;

/**
 * The fast path for well-formed files: js-yaml with the YAML 1.2 core schema (the same types the precise
 * parser uses; duplicate keys are errors there too) is several times quicker than building a `yaml`
 * Document with positions. Returns undefined when the precise parser must decide (syntax errors,
 * duplicate keys, aliases); callers then use `parseYaml`, whose errors carry lines.
 */
export function parseYamlFast(text: string): { data: unknown } | undefined {
  if (ALIAS.test(text)) return undefined;
  try {
    return { data: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}
