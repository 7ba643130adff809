// One cluster operation at a time per repository (concurrent up() callers share one cluster): a lock file in
// the temp folder holding the owner's PID; a lock of a dead process is stale and taken over.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive } from './processes.js';
import { log, sleep } from './state.js';

function lockPath(repoRoot: string): string {
  // Inside jest, tmpdir() is a per-run folder (test/jest/global-setup.ts); the lock must be the same one that
  // `npm run cluster:up` and every other run use, so it stays in the temp folder jest was started with.
  const temp = process.env.BERTH_OUTER_TMPDIR ?? tmpdir();
  return join(temp, `berth-cluster-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`);
}

/** Creates the lock file; false when another live process holds it (a stale lock is removed and retried). */
function tryLock(path: string): { held: boolean; holder: number } {
  try {
    const fd = openSync(path, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
    return { held: true, holder: process.pid };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = Number(readFileSync(path, 'utf8').trim() || '0');
    if (holder && !alive(holder)) {
      rmSync(path, { force: true }); // stale lock of a crashed run
      return tryLock(path);
    }
    return { held: holder === process.pid, holder }; // re-entrant
  }
}

async function acquire(path: string): Promise<void> {
  const deadline = Date.now() + 60 * 60_000; // a cold build can take a while
  let told = false;
  for (;;) {
    const { held, holder } = tryLock(path);
    if (held) return;
    if (!told) log(`waiting for another cluster operation (pid ${holder}, lock ${path})`);
    told = true;
    if (Date.now() > deadline) throw new Error(`lock ${path} held by pid ${holder} for too long`);
    await sleep(500);
  }
}

export async function withLock<T>(repoRoot: string, fn: () => Promise<T>): Promise<T> {
  const path = lockPath(repoRoot);
  await acquire(path);
  try {
    return await fn();
  } finally {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
    } catch {
      /* already gone */
    }
  }
}
