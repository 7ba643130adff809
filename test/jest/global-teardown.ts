// Jest global teardown of the whole run: removes the per-run temporary root that global-setup.ts created (and
// nothing else), after the projects' own teardowns (the e2e control plane is stopped by then).
// Jest loads global teardown files natively (no moduleNameMapper): this file imports nothing of the repository.
import { chmodSync, lstatSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const RUN_TMP_ENV = 'BERTH_JEST_TMP';
const OUTER_TMP_ENV = 'BERTH_OUTER_TMPDIR';
const RUN_TMP_PREFIX = 'berth-jest-';

/** Throws unless `root` is a `berth-jest-*` folder directly inside `outer` (the one global-setup.ts made). */
export function assertRunRoot(root: string, outer: string): void {
  if (dirname(root) !== realpathSync(outer) || !basename(root).startsWith(RUN_TMP_PREFIX)) {
    throw new Error(`refusing to remove ${root}: not a ${RUN_TMP_PREFIX}* folder directly inside ${outer}`);
  }
  if (!lstatSync(root).isDirectory()) throw new Error(`refusing to remove ${root}: not a real folder`);
}

/** Gives the owner write access to every folder under `dir` (a test may leave a read-only one); never follows links. */
function makeWritable(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) makeWritable(p);
  }
}

/** Removes `dir` and everything in it. Symbolic links are removed, never followed (rmSync unlinks them). */
export function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

export default function globalTeardown(): void {
  const root = process.env[RUN_TMP_ENV];
  const outer = process.env[OUTER_TMP_ENV];
  if (!root || !outer) return;
  assertRunRoot(root, outer);
  removeTree(root);
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = outer;
  delete process.env[RUN_TMP_ENV];
}
