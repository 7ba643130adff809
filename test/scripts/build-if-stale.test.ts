/**
 * scripts/build-if-stale.mjs (`npm run synth`, `npm run bench`): builds lib/ and the bundled executable lib/bin/berth.js
 * only when a source is newer than lib/.build-stamp or the executable is missing, and says so plainly in a production
 * install (no TypeScript). Run on a small project of its own (the repository's lib/ is never touched), with the
 * repository's TypeScript and esbuild.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPTS = ['build-if-stale.mjs', 'bundle-cli.mjs'];

function project(withTypeScript: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-stale-'));
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  for (const s of SCRIPTS) copyFileSync(resolve('scripts', s), join(root, 'scripts', s));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', outDir: 'lib', rootDir: '.', types: [] }, include: ['src/**/*.ts'] }),
  );
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a: number = 1;\n');
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), "import { a } from '../a.js';\nconsole.log(a);\n");
  if (withTypeScript) {
    mkdirSync(join(root, 'node_modules'));
    for (const p of ['typescript', 'esbuild', '@esbuild']) symlinkSync(resolve('node_modules', p), join(root, 'node_modules', p));
  }
  return root;
}

/** What the bundled executable prints. */
function runBin(root: string): string {
  return spawnSync(process.execPath, ['lib/bin/berth.js'], { cwd: root, encoding: 'utf8' }).stdout;
}

function build(root: string, ...args: string[]): { status: number | null; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['scripts/build-if-stale.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, ms: Date.now() - started };
}

describe('build-if-stale', () => {
  it('builds a fresh clone, skips tsc while lib/ is current, rebuilds after a source changes or without lib/bin', () => {
    // GIVEN a project never built
    const root = project(true);
    try {
      // WHEN it runs the first time THEN it builds lib/ and writes the stamp
      const first = build(root);
      expect(first.status).toBe(0);
      expect(first.stderr).toMatch(/berth: built lib\/ in/);
      expect(readFileSync(join(root, 'lib/src/a.js'), 'utf8')).toContain('a = 1');
      expect(runBin(root)).toBe('1\n');
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
      expect(runBin(root)).toBe('2\n');
      // WHEN the bundled executable is gone (lib/ built by tsc alone) THEN it is built again
      rmSync(join(root, 'lib', 'bin'), { recursive: true });
      const fourth = build(root);
      expect(fourth.stderr).toMatch(/berth: built lib\/ in/);
      expect(runBin(root)).toBe('2\n');
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
