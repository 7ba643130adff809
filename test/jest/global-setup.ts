// Jest global setup of the whole run (both projects): one temporary root per run, `berth-jest-XXXXXX` in the
// system temp folder, and TMPDIR/TMP/TEMP pointed at it. Jest starts its workers after this hook, so they inherit
// the environment: every `os.tmpdir()`/mkdtemp of a test, of the code under test (berth-app-*, berth-gitops-*) and of
// every child process (git, chromium, npm pack) lands inside, and global-teardown.ts removes the root in one go —
// a suite that forgets to clean up leaks nothing past the run.
//
// Jest runs the projects' own global setups first (test/e2e/global-setup.ts starts the control plane, whose state
// lives in <repo>/.cluster and whose lock stays in the system temp folder, see test/cluster/lock.ts), then this one.
// Jest loads global setup files natively (no moduleNameMapper): this file imports nothing of the repository.
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The per-run root (read by global-teardown.ts and test/jest/run-tmp.test.ts). */
export const RUN_TMP_ENV = 'BERTH_JEST_TMP';
/** The temp folder jest itself was started with (test/cluster/lock.ts keeps its lock there, across runs). */
export const OUTER_TMP_ENV = 'BERTH_OUTER_TMPDIR';
export const RUN_TMP_PREFIX = 'berth-jest-';
/** In each root: which run made it (`{"host": ..., "pid": ...}`), so a later run can remove the root of a killed one. */
export const OWNER_FILE = '.berth-jest-owner';

export default function globalSetup(): void {
  const outer = realpathSync(tmpdir());
  const root = mkdtempSync(join(outer, RUN_TMP_PREFIX));
  writeFileSync(join(root, OWNER_FILE), JSON.stringify({ host: hostname(), pid: process.pid }));
  process.env[OUTER_TMP_ENV] = outer;
  process.env[RUN_TMP_ENV] = root;
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = root;
}
