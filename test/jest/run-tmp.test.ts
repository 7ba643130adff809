// The test run's temporary folders live in one per-run root (test/jest/global-setup.ts) that global-teardown.ts
// removes: if this suite fails, `npm test` leaks its temporary folders into the system temp folder again.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { tempDir } from '../helpers.js';
import { assertRunRoot, removeTree, sweepKilledRuns } from './global-teardown.js';

const root = (): string => {
  const r = process.env.BERTH_JEST_TMP;
  if (!r) throw new Error('BERTH_JEST_TMP is not set: test/jest/global-setup.ts did not run (jest config "globalSetup")');
  return r;
};

/** Folders made with tempDir() by the tests below: gone once the file is done (helpers.ts registered its afterAll
 *  first, at import, and jest runs afterAll hooks in declaration order). */
const fromTempDir: string[] = [];
afterAll(() => {
  expect(fromTempDir.length).toBeGreaterThan(0);
  for (const dir of fromTempDir) expect(existsSync(dir)).toBe(false);
});

describe('per-run temporary root', () => {
  it('is what os.tmpdir() returns in a test worker, a berth-jest-* folder of the outer temp folder', () => {
    // GIVEN the jest run  WHEN a test asks for the temp folder  THEN it is the per-run root
    expect(tmpdir()).toBe(root());
    expect(basename(root())).toMatch(/^berth-jest-/);
    expect(dirname(root())).toBe(process.env.BERTH_OUTER_TMPDIR);
    expect(existsSync(root())).toBe(true);
  });

  it('holds the folders of tempDir() and of mkdtemp', () => {
    // GIVEN a test making temporary folders  WHEN it makes them  THEN they are inside the per-run root
    const made = tempDir();
    fromTempDir.push(made);
    expect(dirname(made)).toBe(root());
    expect(dirname(mkdtempSync(join(tmpdir(), 'berth-run-tmp-')))).toBe(root());
  });

  it('is inherited by child processes', () => {
    // GIVEN a child process spawned by a test (git, chromium, npm pack run like this)
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });
    // THEN its temp folder is the per-run root too
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(root());
  });
});

describe('global teardown', () => {
  it('removes a tree with a read-only folder, and removes links without following them', () => {
    // GIVEN a tree holding a read-only folder and links to a folder and a file outside it
    const base = tempDir('berth-teardown-');
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep.txt'), 'keep');
    const tree = join(base, 'tree');
    mkdirSync(join(tree, 'locked', 'deep'), { recursive: true });
    writeFileSync(join(tree, 'locked', 'deep', 'f.txt'), 'x');
    symlinkSync(outside, join(tree, 'link-to-dir'));
    symlinkSync(join(outside, 'keep.txt'), join(tree, 'link-to-file'));
    chmodSync(join(tree, 'locked'), 0o500);
    // WHEN it is removed
    removeTree(tree);
    // THEN the tree is gone and what the links pointed to is untouched
    expect(existsSync(tree)).toBe(false);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('refuses any folder but a berth-jest-* folder directly inside the outer temp folder', () => {
    // GIVEN the run's root and other folders  WHEN each is checked  THEN only the run's root passes
    const outer = process.env.BERTH_OUTER_TMPDIR ?? '';
    expect(() => assertRunRoot(root(), outer)).not.toThrow();
    expect(() => assertRunRoot(outer, outer)).toThrow(/refusing to remove/);
    expect(() => assertRunRoot(tempDir('berth-jest-nested-'), outer)).toThrow(/refusing to remove/);
    expect(() => assertRunRoot(join(realpathSync(outer), 'not-berth'), outer)).toThrow(/refusing to remove/);
  });

  it('removes the roots of killed runs of this machine, and nothing else', () => {
    // GIVEN an outer temp folder with roots of a killed run, a running one, another machine's run, one without an
    // owner file, a killed run's root given as a link, and an unrelated folder
    const outer = tempDir('berth-outer-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const root = (name: string, owner?: object): string => {
      const dir = join(outer, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'data.txt'), name);
      if (owner) writeFileSync(join(dir, '.berth-jest-owner'), JSON.stringify(owner));
      return dir;
    };
    const killed = root('berth-jest-killed', { host: hostname(), pid: deadPid });
    const kept = [
      root('berth-jest-running', { host: hostname(), pid: process.ppid }),
      root('berth-jest-elsewhere', { host: `not-${hostname()}`, pid: deadPid }),
      root('berth-jest-no-owner'),
      root('other-folder', { host: hostname(), pid: deadPid }),
    ];
    const target = root('link-target', { host: hostname(), pid: deadPid });
    symlinkSync(target, join(outer, 'berth-jest-link'));
    // WHEN the killed runs are swept
    const removed = sweepKilledRuns(outer);
    // THEN only the killed run's real folder is gone
    expect(removed).toEqual([join(realpathSync(outer), 'berth-jest-killed')]);
    expect(existsSync(killed)).toBe(false);
    for (const dir of [...kept, target]) expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe(basename(dir));
  });
});
