/**
 * The GitOps checkout berth commits in: the user's own local checkout (`--repo ../gitops`), which must be
 * clean and on a branch, or a fresh clone of a remote (`--repo git@host:acme/gitops.git`) in a temp dir.
 */
import { promises as fs, existsSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitopsError } from './errors.js';
import { git, gitRaw, type Env } from './git.js';

export interface Workspace {
  /** Top of the working tree berth writes into. */
  readonly dir: string;
  /** `checkout`: the user's checkout; `clone`: a temp clone berth deletes afterwards. */
  readonly mode: 'checkout' | 'clone';
  /** Branch berth commits to (before `--pr-branch`). */
  readonly branch: string;
  /** Remote to push to and the branch on it; undefined when the checkout has no upstream. */
  readonly upstream?: { readonly remote: string; readonly branch: string };
  /** HEAD when berth started; undefined for an empty (unborn) clone. */
  readonly base?: string;
  /** How to name the repository in messages. */
  readonly label: string;
}

export interface OpenOptions {
  readonly repo: string;
  readonly cwd: string;
  readonly env?: Env;
  readonly signal?: AbortSignal;
  readonly branch?: string;
  readonly push: boolean;
}

/** git's own rule: `scheme://...` and scp-like `[user@]host:path` (a colon before any slash) are remote; the rest are paths. */
export function isRemoteUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/.\\][^/\\]*:/.test(repo);
}

export async function openWorkspace(options: OpenOptions): Promise<Workspace> {
  if (isRemoteUrl(options.repo)) return cloneWorkspace(options.repo, options);
  const local = path.resolve(options.cwd, options.repo);
  if (!existsSync(local) || !statSync(local).isDirectory()) {
    throw new GitopsError(`--repo ${options.repo}: no such directory (${local}). Pass a git URL or the path of a local checkout.`, 2);
  }
  const bare = await gitRaw(['rev-parse', '--is-bare-repository'], { cwd: local, env: options.env });
  if (bare.code !== 0) {
    throw new GitopsError(`--repo ${options.repo}: ${local} is not a git repository. Clone your GitOps repository first, or pass its URL.`, 2);
  }
  if (bare.stdout.trim() === 'true') return cloneWorkspace(local, options);
  return checkoutWorkspace(local, options);
}

async function checkoutWorkspace(local: string, options: OpenOptions): Promise<Workspace> {
  const run = (args: string[]) => git(args, { cwd: local, env: options.env, signal: options.signal });
  const dir = await run(['rev-parse', '--show-toplevel']);
  const branch = await currentBranch(dir, options);
  // a checkout with no commits yet (git init, or a clone of an empty repository): berth's commit is the first one
  const head = await gitRaw(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, env: options.env });
  const status = await run(['status', '--porcelain', '--untracked-files=normal']);
  if (status !== '') {
    const files = status.split('\n').map((line) => line.slice(3));
    const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? `, and ${files.length - 5} more` : '');
    throw new GitopsError(
      `The GitOps checkout ${dir} has uncommitted changes (${shown}). berth commits only into a clean ` +
        `checkout: commit, stash or discard them (git -C ${dir} status), then run berth gitops again.`,
      2,
    );
  }
  if (options.branch !== undefined && options.branch !== branch) {
    throw new GitopsError(
      `The GitOps checkout ${dir} is on branch '${branch}', not '${options.branch}'. ` +
        `Switch it first (git -C ${dir} switch ${options.branch}) or drop --branch.`,
      2,
    );
  }
  const upstream = await upstreamOf(dir, branch, options);
  if (options.push) await requireNothingUnpushed(dir, branch, upstream, options);
  return { dir, mode: 'checkout', branch, upstream, base: head.code === 0 ? head.stdout.trim() : undefined, label: dir };
}

async function currentBranch(dir: string, options: OpenOptions): Promise<string> {
  const ref = await gitRaw(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: dir, env: options.env });
  if (ref.code === 0) return ref.stdout.trim();
  const sha = await gitRaw(['rev-parse', '--short', 'HEAD'], { cwd: dir, env: options.env });
  throw new GitopsError(
    `The GitOps checkout ${dir} has a detached HEAD (at ${sha.stdout.trim() || 'unknown commit'}); berth commits only on a ` +
      `branch. Switch to one (git -C ${dir} switch main), then run berth gitops again.`,
    2,
  );
}

async function upstreamOf(dir: string, branch: string, options: OpenOptions): Promise<Workspace['upstream']> {
  const read = async (key: string) => {
    const result = await gitRaw(['config', '--get', key], { cwd: dir, env: options.env });
    return result.code === 0 ? result.stdout.trim() : undefined;
  };
  const remote = await read(`branch.${branch}.remote`);
  const merge = await read(`branch.${branch}.merge`);
  if (remote !== undefined && remote !== '.' && merge?.startsWith('refs/heads/')) {
    return { remote, branch: merge.slice('refs/heads/'.length) };
  }
  if (options.push) {
    throw new GitopsError(
      `--push: branch '${branch}' of ${dir} has no upstream to push to. ` +
        `Set one (git -C ${dir} branch --set-upstream-to origin/${branch}) or leave out --push.`,
      2,
    );
  }
  return undefined;
}

async function requireNothingUnpushed(dir: string, branch: string, upstream: Workspace['upstream'], options: OpenOptions): Promise<void> {
  if (upstream === undefined) return;
  const tracking = `refs/remotes/${upstream.remote}/${upstream.branch}`;
  const ahead = await gitRaw(['rev-list', '--count', `${tracking}..HEAD`], { cwd: dir, env: options.env });
  const count = ahead.code === 0 ? Number(ahead.stdout.trim()) : 0;
  if (count > 0) {
    throw new GitopsError(
      `--push: branch '${branch}' of ${dir} has ${count} commit(s) not yet on ${upstream.remote}/${upstream.branch}; ` +
        `berth pushes only its own commits. Push or drop them first (git -C ${dir} log ${tracking}..HEAD).`,
      2,
    );
  }
}

async function cloneWorkspace(url: string, options: OpenOptions): Promise<Workspace> {
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-gitops-'));
  const dir = path.join(temp, 'repo');
  const args = ['clone', '--quiet', '--no-tags', '--origin', 'origin'];
  if (isRemoteUrl(url)) args.push('--filter=blob:none');
  if (options.branch !== undefined) args.push('--branch', options.branch);
  try {
    const result = await gitRaw([...args, '--', url, dir], { cwd: temp, env: options.env, signal: options.signal });
    if (result.code !== 0) throw cloneFailure(url, options.branch, result.stderr);
    const head = await gitRaw(['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, env: options.env });
    const branch = options.branch ?? (await git(['symbolic-ref', '--short', 'HEAD'], { cwd: dir, env: options.env }));
    return {
      dir,
      mode: 'clone',
      branch,
      upstream: { remote: 'origin', branch },
      base: head.code === 0 ? head.stdout.trim() : undefined,
      label: url,
    };
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function cloneFailure(url: string, branch: string | undefined, stderr: string): GitopsError {
  if (branch !== undefined && /Remote branch .* not found/.test(stderr)) {
    return new GitopsError(`--branch ${branch}: ${url} has no branch '${branch}'. Create it there first, or drop --branch to use the default branch.`, 2);
  }
  const reason = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-4)
    .join(' ');
  return new GitopsError(`Could not clone ${url}: ${reason}\nCheck the URL and that your git can reach it (git ls-remote ${url}).`, 1);
}

/** Deletes a clone's temp dir; leaves a user's checkout alone. */
export async function closeWorkspace(workspace: Workspace): Promise<void> {
  if (workspace.mode === 'clone') await fs.rm(path.dirname(workspace.dir), { recursive: true, force: true });
}
