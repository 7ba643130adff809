import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { DeclarationError, type DeclarationIssue } from './errors.js';

/** A parsed YAML declaration plus where each field sits in the file. */
export interface ParsedYaml {
  readonly data: unknown;
  /** 1-based line of a field path (`services[0].image`), or undefined. */
  lineOf(path: string): number | undefined;
}

/**
 * Parses YAML text strictly: syntax errors and duplicate keys are errors (with line numbers),
 * and a map from field paths to lines is kept so later validation can point at the line.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2' });
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
  collectLines(doc.contents, '', lines, lineCounter);
  return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf: (p) => lines.get(p) };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function collectLines(node: Node | null, path: string, out: Map<string, number>, lc: LineCounter): void {
  if (!node) return;
  if (node.range) out.set(path, lc.linePos(node.range[0]).line);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = path ? `${path}.${key}` : key;
      if (pair.key.range) out.set(child, lc.linePos(pair.key.range[0]).line);
      collectLines(pair.value as Node | null, child, out, lc);
      if (pair.key.range) out.set(child, lc.linePos(pair.key.range[0]).line);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectLines(item as Node | null, `${path}[${i}]`, out, lc));
  }
}
