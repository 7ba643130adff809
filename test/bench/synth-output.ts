/** What a synth wrote (objects, files, bytes), and the median the synth benchmark reports. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SPARE_FOLDER } from '../../src/render/spare.js';

/** The median of `xs`; NaN for an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === SPARE_FOLDER) continue; // berth's previous rendering, kept for the next synth: not output
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Objects = YAML documents with a top-level `kind:`; bytes and files = every file under `dir` but berth's spare rendering. */
export function measureOutput(dir: string): { objects: number; bytes: number; files: number } {
  let objects = 0;
  let bytes = 0;
  const files = walk(dir);
  for (const f of files) {
    bytes += statSync(f).size;
    if (/\.ya?ml$/.test(f)) {
      for (const doc of readFileSync(f, 'utf8').split(/^---[ \t]*$/m)) {
        if (/^kind:[ \t]*\S/m.test(doc)) objects++;
      }
    }
  }
  return { objects, bytes, files: files.length };
}
