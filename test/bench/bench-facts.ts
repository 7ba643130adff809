/** Facts about the machine and the code a benchmark ran on: file system, CPU, versions, commit. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ISSUE_PLUS, NEWEST_PLUS } from './plus-lines.js';

/** A command's trimmed stdout, or 'unknown' when it fails. */
export function commandOutput(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/**
 * The file system under `dir`, e.g. "ext4 without a journal" or "tmpfs". An ext4 file system has a journal when
 * /proc/fs/jbd2 lists its device; without one, ext4 skips inodes freed in the last 1–6 minutes when it allocates a new one.
 */
export function fileSystemOf(dir: string): string {
  const [type = 'unknown', source = ''] = commandOutput('findmnt', ['-no', 'FSTYPE,SOURCE', '-T', dir]).split(/\s+/);
  if (type !== 'ext4' || !existsSync('/proc/fs/jbd2')) return type;
  const device = path.basename(source);
  return readdirSync('/proc/fs/jbd2').some((e) => e.startsWith(`${device}-`)) ? 'ext4 with a journal' : 'ext4 without a journal';
}

/** CPU model, cores, memory and kernel of this machine. */
export function machineFacts(): string {
  const cpus = os.cpus();
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  return (
    `${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cores} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()} (${os.arch()})`
  );
}

/** HEAD's short hash, and whether the measured code (src/, test/) differs from it. */
function commitOf(repoRoot: string): string {
  const head = commandOutput('git', ['rev-parse', '--short', 'HEAD'], repoRoot);
  const dirty = commandOutput('git', ['status', '--porcelain', '--', 'src', 'test'], repoRoot);
  return dirty === '' ? head : `${head}, with uncommitted changes to src/ or test/`;
}

/** berth's version and the commit measured, e.g. `berth 0.1.0 (commit 4f81794)`. */
export function berthAt(repoRoot: string): string {
  const berth = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return `berth ${berth} (commit ${commitOf(repoRoot)})`;
}

/** berth's version and commit and the versions of node and the synth baseline's packages. */
export function synthVersions(repoRoot: string): string {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return (
    `${berthAt(repoRoot)}, node ${process.version}, cdk8s ${pkg('cdk8s')}, ` +
    `${ISSUE_PLUS} ${pkg(ISSUE_PLUS)}, ${NEWEST_PLUS} ${pkg(NEWEST_PLUS)} (the newest cdk8s-plus line), constructs ${pkg('constructs')}`
  );
}
