// Process supervision: starting a component detached (log file per component), telling our processes from
// others by their command line, stopping by PID (SIGTERM, then SIGKILL), and the reaper of a jest-owned cluster.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type Component, log, sleep } from './state.js';

export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

export function alive(pid: number | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat = '';
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    /* gone meanwhile */
  }
  return !/^\d+ \(.*\) Z /.test(stat); // zombies are dead
}

/** Whether `pid` runs and its command line points into `stateDir` (ours, and only ours). */
export function runsIn(pid: number | undefined, stateDir: string): pid is number {
  return alive(pid) && !!cmdlineOf(pid)?.includes(stateDir + '/');
}

/** PIDs of processes whose command line points into this cluster's state dir (ours, and only ours). */
export function processesUsing(stateDir: string): number[] {
  const marker = stateDir + '/';
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (cmdlineOf(pid)?.includes(marker)) out.push(pid);
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

export async function stopPids(pids: number[], what: string, graceMs = 15_000): Promise<void> {
  const live = pids.filter(alive);
  if (live.length === 0) return;
  log(`stopping ${what}: pid ${live.join(', ')}`);
  for (const pid of live) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && live.some(alive)) await sleep(100);
  for (const pid of live.filter(alive)) {
    log(`pid ${pid} still running ${graceMs / 1000}s after SIGTERM; sending SIGKILL`);
    signal(pid, 'SIGKILL');
  }
  while (live.some(alive)) await sleep(50);
}

export function spawnComponent(stateDir: string, name: Component, bin: string, args: string[]): number {
  const logDir = join(stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const fd = openSync(join(logDir, `${name}.log`), 'a');
  // detached: own process group, so the cluster outlives `npm run cluster:up` and Ctrl-C of a test run;
  // down() (or the reaper of a jest-owned cluster) stops it by PID.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`cannot start ${bin}`);
  log(`started ${name} (pid ${child.pid})`);
  return child.pid;
}

export function logTail(stateDir: string, name: string, lines = 30): string {
  try {
    const text = readFileSync(join(stateDir, 'logs', `${name}.log`), 'utf8')
      .trimEnd()
      .split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const REAPER = `
const fs = require('fs');
const [owner, dir] = [Number(process.argv[1]), process.argv[2]];
const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
const ours = () => fs.readdirSync('/proc').filter((e) => /^\\d+$/.test(e) && Number(e) !== process.pid).filter((e) => {
  try { return fs.readFileSync('/proc/' + e + '/cmdline', 'utf8').replace(/\\0/g, ' ').includes(dir + '/'); } catch { return false; }
}).map(Number);
const timer = setInterval(() => {
  if (!fs.existsSync(dir)) process.exit(0);
  if (alive(owner)) return;
  clearInterval(timer);
  const pids = ours();
  for (const p of pids) { try { process.kill(p, 'SIGTERM'); } catch {} }
  setTimeout(() => {
    for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch {} }
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }, 10000);
}, 1000);
`;

/**
 * A tiny detached watchdog: when `ownerPid` dies (e.g. jest crashed or was killed), it stops every
 * process whose command line points into the state dir and removes it, so no orphans survive.
 * It exits on its own once the state dir is gone (normal down()).
 */
export function startReaper(stateDir: string, ownerPid: number): void {
  const child = spawn(process.execPath, ['-e', REAPER, String(ownerPid), stateDir], { detached: true, stdio: 'ignore' });
  child.unref();
  log(`reaper pid ${child.pid} stops the cluster if pid ${ownerPid} dies`);
}
