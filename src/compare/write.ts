/** Writes a comparison to <out>/: index.html, report.md, data.json, atomically and never through a link. */
import { join, relative, resolve } from 'node:path';
import { mkdirNoFollow, requireNoLinkUnder, writeFileNoFollow } from '../render/no-follow.js';
import type { CompareData } from './compare.js';
import { renderHtml, renderMarkdown } from './page.js';

export const COMPARE_FILES = ['index.html', 'report.md', 'data.json'] as const;

/** Every file's content, computed before anything touches the disk. */
export function comparisonFiles(data: CompareData): Record<(typeof COMPARE_FILES)[number], string> {
  return { 'index.html': renderHtml(data), 'report.md': renderMarkdown(data), 'data.json': JSON.stringify(data, null, 2) + '\n' };
}

/** Writes the files under `outDir` (relative to `base` for link checks); returns the paths written. */
export function writeComparison(base: string, outDir: string, data: CompareData): string[] {
  const files = comparisonFiles(data);
  const dir = resolve(base, outDir);
  const role = 'the comparison report folder';
  requireNoLinkUnder(base, dir, role);
  const rel = relative(base, dir);
  if (rel !== '' && !rel.startsWith('..')) mkdirNoFollow(base, rel.split(/[\\/]/).join('/'), role);
  else mkdirNoFollow(dir, '.', role);
  return COMPARE_FILES.map((name) => {
    const path = join(dir, name);
    requireNoLinkUnder(base, path, role);
    writeFileNoFollow(path, files[name]);
    return path;
  });
}
