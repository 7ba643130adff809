// Jest global teardown of the whole run: removes the per-run temporary root that global-setup.ts created (and
// nothing else), after the projects' own teardowns (the e2e control plane is stopped by then), and the roots of earlier
// runs on this machine that were killed before their own teardown (their jest process is gone).
// Jest loads global teardown files natively (no moduleNameMapper): this file imports nothing of the repository.
import { chmodSync, lstatSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

const RUN_TMP_ENV = 'BERTH_JEST_TMP';
const OUTER_TMP_ENV = 'BERTH_OUTER_TMPDIR';
const RUN_TMP_PREFIX = 'berth-jest-';
const OWNER_FILE = '.berth-jest-owner';

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

/** Whether process `pid` of this machine is running (signal 0 only checks; EPERM: it runs under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The run that made `root`, from its owner file (undefined when there is none, or it is not one global-setup.ts wrote). */
function ownerOf(root: string): { host: string; pid: number } | undefined {
  const file = join(root, OWNER_FILE);
  try {
    if (!lstatSync(file).isFile()) return undefined;
    const owner = JSON.parse(readFileSync(file, 'utf8')) as { host?: unknown; pid?: unknown };
    return typeof owner.host === 'string' && Number.isInteger(owner.pid) ? { host: owner.host, pid: owner.pid as number } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes the `berth-jest-*` roots directly inside `outer` whose run, on this machine, is gone (killed before its
 * teardown). Roots of running jest processes, of other machines sharing the folder, or without an owner file are kept.
 * Returns the roots removed.
 */
export function sweepKilledRuns(outer: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(outer).filter((n) => n.startsWith(RUN_TMP_PREFIX))) {
    const root = join(realpathSync(outer), name);
    if (!lstatSync(root).isDirectory()) continue;
    const owner = ownerOf(root);
    if (!owner || owner.host !== hostname() || owner.pid === process.pid || alive(owner.pid)) continue;
    assertRunRoot(root, outer);
    removeTree(root);
    removed.push(root);
  }
  return removed;
}

export default function globalTeardown(): void {
  const root = process.env[RUN_TMP_ENV];
  const outer = process.env[OUTER_TMP_ENV];
  if (!root || !outer) return;
  assertRunRoot(root, outer);
  removeTree(root);
  sweepKilledRuns(outer);
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = outer;
  delete process.env[RUN_TMP_ENV];
}
