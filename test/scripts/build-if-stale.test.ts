/**
 * scripts/build-if-stale.mjs (`npm run synth`, `npm run bench`): builds lib/ only when a source is newer than
 * lib/.build-stamp, and says so plainly in a production install (no TypeScript). Run on a small project of its
 * own (the repository's lib/ is never touched), with the repository's TypeScript.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve('scripts/build-if-stale.mjs');

function project(withTypeScript: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-stale-'));
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(SCRIPT, join(root, 'scripts', 'build-if-stale.mjs'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', outDir: 'lib', rootDir: '.', types: [] }, include: ['src/**/*.ts'] }),
  );
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a: number = 1;\n');
  if (withTypeScript) {
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(resolve('node_modules/typescript'), join(root, 'node_modules', 'typescript'));
  }
  return root;
}

function build(root: string, ...args: string[]): { status: number | null; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['scripts/build-if-stale.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, ms: Date.now() - started };
}

describe('build-if-stale', () => {
  it('builds a fresh clone, skips tsc while lib/ is current, rebuilds after a source changes', () => {
    // GIVEN a project never built
    const root = project(true);
    try {
      // WHEN it runs the first time THEN it builds lib/ and writes the stamp
      const first = build(root);
      expect(first.status).toBe(0);
      expect(first.stderr).toMatch(/berth: built lib\/ in/);
      expect(readFileSync(join(root, 'lib/src/a.js'), 'utf8')).toContain('a = 1');
      // WHEN it runs again with nothing changed THEN it does not run tsc (no output, well under a tsc run)
      const second = build(root);
      expect(second.status).toBe(0);
      expect(second.stderr).toBe('');
      expect(second.ms).toBeLessThan(first.ms);
      // WHEN a source changes after the build THEN lib/ is rebuilt with the change
      writeFileSync(join(root, 'src', 'a.ts'), 'export const a: number = 2;\n');
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(root, 'src', 'a.ts'), later, later);
      const third = build(root);
      expect(third.status).toBe(0);
      expect(third.stderr).toMatch(/berth: built lib\/ in/);
      expect(readFileSync(join(root, 'lib/src/a.js'), 'utf8')).toContain('a = 2');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('a production install (no TypeScript): exit 1 at once saying why; nothing built', () => {
    // GIVEN a project whose node_modules has no TypeScript (npm ci --omit=dev)
    const root = project(false);
    try {
      // WHEN npm run synth runs it THEN it fails, exit 1, saying why; nothing is built
      const synth = build(root);
      expect(synth.stderr).toContain('TypeScript is not installed');
      expect(synth.status).toBe(1);
      expect(synth.stderr).toContain('run npm ci');
      expect(() => readFileSync(join(root, 'lib/src/a.js'))).toThrow();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
