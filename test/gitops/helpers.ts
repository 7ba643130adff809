/** Real git repositories in temp dirs for the gitops tests; no global git config is read. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitopsError } from '../../src/gitops/errors.js';
import { publish, type PublishOptions } from '../../src/gitops/publish.js';
import { tempDir } from '../helpers.js';

export interface Sandbox {
  readonly root: string;
  /** Environment for every git call (own HOME and global config, fixed identity). */
  readonly env: Record<string, string>;
  /** A bare repository with one commit on `main` (README.md): the "remote". */
  readonly remote: string;
}

export function sandbox(): Sandbox {
  const root = tempDir('berth-gitops-test-');
  const home = path.join(root, 'home');
  mkdirSync(home);
  writeFileSync(path.join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[user]\n\tname = Test Publisher\n\temail = publisher@test.example\n');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    TMPDIR: os.tmpdir(),
  };
  const remote = path.join(root, 'remote.git');
  run(env, root, ['init', '-q', '--bare', '--initial-branch=main', remote]);
  const seed = path.join(root, 'seed');
  run(env, root, ['clone', '-q', remote, seed]);
  writeFileSync(path.join(seed, 'README.md'), '# GitOps repository\n');
  run(env, seed, ['add', 'README.md']);
  run(env, seed, ['commit', '-q', '-m', 'Initial commit']);
  run(env, seed, ['push', '-q', 'origin', 'main']);
  return { root, env, remote };
}

/** `git <args>` in `cwd`; returns trimmed stdout, throws with stderr on failure. */
export function run(env: Record<string, string>, cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A fresh clone of the sandbox remote (a user's local GitOps checkout). */
export function checkout(box: Sandbox, name: string): string {
  const dir = path.join(box.root, name);
  run(box.env, box.root, ['clone', '-q', box.remote, dir]);
  return dir;
}

/** Subjects on a branch of the remote, newest first. */
export function remoteSubjects(box: Sandbox, branch = 'main'): string[] {
  return run(box.env, box.remote, ['log', '--format=%s', branch]).split('\n');
}

export function remoteHead(box: Sandbox, branch = 'main'): string {
  return run(box.env, box.remote, ['rev-parse', branch]);
}

/** A file's content on a remote branch, or undefined when absent. */
export function remoteFile(box: Sandbox, file: string, branch = 'main'): string | undefined {
  try {
    return run(box.env, box.remote, ['show', `${branch}:${file}`]) + '\n';
  } catch {
    return undefined;
  }
}

export function remoteFiles(box: Sandbox, folder: string, branch = 'main'): string[] {
  return run(box.env, box.remote, ['ls-tree', '-r', '--name-only', branch, '--', folder]).split('\n').filter(Boolean);
}

/** The GitopsError `publish` refuses with (a test fails if it does not refuse). */
export async function refusal(options: PublishOptions): Promise<GitopsError> {
  try {
    await publish(options);
  } catch (error) {
    if (error instanceof GitopsError) return error;
    throw error;
  }
  throw new Error('expected berth gitops to refuse');
}
