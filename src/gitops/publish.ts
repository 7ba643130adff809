/**
 * `berth gitops`: commit each environment's rendering to its folder of a GitOps repository and
 * optionally push - fetching and re-applying on top when the remote moved (bounded, never forced).
 * On any error nothing stays committed: a user's checkout is reset to where it was.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { requireNoLink } from '../render/no-follow.js';
import type { RenderedEnvironment } from '../render/types.js';
import { checkAuthor, commitEnvironment, DEFAULT_PATH, folderFor, withIdentity, type EnvironmentResult } from './commit.js';
import { GitopsError } from './errors.js';
import { git, gitRaw, type Env } from './git.js';
import { pushOnce } from './push.js';
import { closeWorkspace, openWorkspace, type Workspace } from './workspace.js';

export type { EnvironmentResult } from './commit.js';

export interface PublishOptions {
  /** GitOps repository: a URL (cloned to a temp dir) or a local checkout (committed in place). */
  readonly repo: string;
  readonly environments: readonly RenderedEnvironment[];
  /** Folder per environment; `{env}` is replaced by its name. @default `environments/{env}` */
  readonly path?: string;
  /** Branch to commit to. @default the remote's default branch (clone) / the checkout's branch */
  readonly branch?: string;
  readonly push?: boolean;
  /** Commit to this new branch (for a pull request) instead of `branch`. */
  readonly prBranch?: string;
  /** `Name <email>`. @default the user's git identity, else `berth <berth@users.noreply.local>` */
  readonly author?: string;
  /** Replaces the generated subject line (the body still lists every change). */
  readonly message?: string;
  /** Where the declaration came from, e.g. `acme/platform@3f2c1ab`. */
  readonly source: string;
  readonly cwd: string;
  readonly env?: Env;
  readonly signal?: AbortSignal;
  /** Push attempts before giving up when the remote keeps moving. @default 5 */
  readonly maxAttempts?: number;
  readonly progress?: (line: string) => void;
}

export interface PublishResult {
  readonly results: readonly EnvironmentResult[];
  /** Branch the commits are on (the `--pr-branch` when given). */
  readonly branch: string;
  readonly pushed: boolean;
  readonly attempts: number;
  readonly workspace: { readonly mode: Workspace['mode']; readonly label: string; readonly remote?: string };
}

export async function publish(options: PublishOptions): Promise<PublishResult> {
  const folders = checkOptions(options);
  const workspace = await openWorkspace({ ...options, push: options.push ?? false });
  const session = new Session(workspace, options, folders);
  try {
    return await session.run();
  } catch (error) {
    await session.rollback();
    throw error;
  } finally {
    await closeWorkspace(workspace);
  }
}

function checkOptions(options: PublishOptions): string[] {
  const template = options.path ?? DEFAULT_PATH;
  if (options.environments.length === 0) throw new GitopsError('No environment to publish.', 2);
  const folders = options.environments.map((environment) => folderFor(template, environment.name));
  if (new Set(folders).size !== folders.length) {
    throw new GitopsError(`--path ${template}: every environment needs its own folder; put {env} in the path.`, 2);
  }
  if (options.author !== undefined) checkAuthor(options.author);
  if (options.message !== undefined && (options.message.trim() === '' || options.message.includes('\n'))) {
    throw new GitopsError('--message: give one non-empty line (it becomes the subject; the body still lists the changes).', 2);
  }
  return folders;
}

class Session {
  private env: Env;
  private readonly written = new Set<string>();
  private prCreated = false;
  private attempts = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly options: PublishOptions,
    private readonly folders: readonly string[],
  ) {
    this.env = options.env ?? process.env;
  }

  async run(): Promise<PublishResult> {
    this.env = await withIdentity(this.workspace.dir, this.env, this.options.author?.trim());
    if (this.options.prBranch !== undefined) await this.startPrBranch(this.options.prBranch);
    const max = Math.max(1, this.options.maxAttempts ?? 5);
    while (this.attempts < max) {
      this.attempts += 1;
      const results = await this.commitAll();
      if (!results.some((result) => result.commit !== undefined)) return this.finish(results, false);
      if (!this.options.push) return this.finish(results, false);
      const outcome = await pushOnce(this.pushTarget());
      if (outcome === 'pushed') return this.finish(results, true);
      if (this.options.prBranch !== undefined) {
        throw new GitopsError(`Branch '${this.options.prBranch}' appeared on the remote meanwhile; choose another --pr-branch.`, 1);
      }
      this.options.progress?.(`${this.remoteLabel()} moved meanwhile; fetching and re-applying (attempt ${this.attempts + 1} of ${max})`);
      await this.catchUp();
    }
    throw new GitopsError(
      `${this.remoteLabel()} kept moving: gave up after ${max} push attempts. Nothing was pushed or force-pushed; run berth gitops again.`,
      1,
    );
  }

  private async commitAll(): Promise<EnvironmentResult[]> {
    const context = {
      dir: this.workspace.dir,
      env: this.env,
      signal: this.options.signal,
      source: this.options.source,
      author: this.options.author?.trim(),
      subject: this.options.message?.trim(),
      wrote: (file: string) => this.written.add(file),
    };
    const results: EnvironmentResult[] = [];
    for (const [index, environment] of this.options.environments.entries()) {
      results.push(await commitEnvironment(context, environment, this.folders[index] ?? ''));
    }
    return results;
  }

  private pushTarget() {
    const upstream = this.requireUpstream();
    const branch = this.options.prBranch ?? upstream.branch;
    const setUpstream = this.options.prBranch !== undefined && this.workspace.mode === 'checkout';
    return { cwd: this.workspace.dir, env: this.env, signal: this.options.signal, remote: upstream.remote, branch, setUpstream };
  }

  private requireUpstream(): NonNullable<Workspace['upstream']> {
    const upstream = this.workspace.upstream;
    if (upstream === undefined) throw new GitopsError(`--push: ${this.workspace.label} has no upstream branch to push to.`, 2);
    return upstream;
  }

  private remoteLabel(): string {
    const upstream = this.workspace.upstream;
    return upstream === undefined ? 'The remote' : `${upstream.remote}/${upstream.branch}`;
  }

  /** The remote moved: take its tip (we have no other local commits) and render again on top of it. */
  private async catchUp(): Promise<void> {
    const upstream = this.requireUpstream();
    const run = (args: string[]) => git(args, { cwd: this.workspace.dir, env: this.env, signal: this.options.signal });
    await run(['fetch', '-q', upstream.remote, `refs/heads/${upstream.branch}`]);
    await run(['reset', '-q', '--hard', 'FETCH_HEAD']);
  }

  private async startPrBranch(name: string): Promise<void> {
    const run = (args: string[]) => gitRaw(args, { cwd: this.workspace.dir, env: this.env, signal: this.options.signal });
    if ((await run(['check-ref-format', '--branch', name])).code !== 0) {
      throw new GitopsError(`--pr-branch ${name}: not a valid git branch name.`, 2);
    }
    const upstream = this.workspace.upstream;
    const local = await run(['show-ref', '--verify', '--quiet', `refs/heads/${name}`]);
    const remote = this.options.push && upstream ? await run(['ls-remote', '--exit-code', '--heads', upstream.remote, name]) : undefined;
    if (local.code === 0 || remote?.code === 0) {
      throw new GitopsError(`--pr-branch ${name}: that branch already exists${remote?.code === 0 ? ' on the remote' : ''}; choose a new name.`, 2);
    }
    await git(['switch', '-q', '-c', name], { cwd: this.workspace.dir, env: this.env, signal: this.options.signal });
    this.prCreated = true;
  }

  private async finish(results: EnvironmentResult[], pushed: boolean): Promise<PublishResult> {
    const committed = results.some((result) => result.commit !== undefined);
    if (this.prCreated && this.workspace.mode === 'checkout') {
      await git(['switch', '-q', this.workspace.branch], { cwd: this.workspace.dir, env: this.env });
      if (!committed) await git(['branch', '-q', '-D', this.options.prBranch ?? ''], { cwd: this.workspace.dir, env: this.env });
    }
    return {
      results,
      branch: this.options.prBranch ?? this.workspace.branch,
      pushed,
      attempts: this.attempts,
      workspace: { mode: this.workspace.mode, label: this.workspace.label, remote: this.workspace.upstream?.remote },
    };
  }

  /** Undo everything in a user's checkout: back to the original branch and commit, berth's new files deleted. */
  async rollback(): Promise<void> {
    const { dir, mode, base, branch } = this.workspace;
    if (mode !== 'checkout' || base === undefined) return;
    const run = (args: string[]) => gitRaw(args, { cwd: dir, env: this.env });
    if (this.prCreated) {
      await run(['switch', '-q', '-f', branch]);
      await run(['branch', '-q', '-D', this.options.prBranch ?? '']);
    }
    await run(['reset', '-q', '--hard', base]);
    const tracked = new Set((await run(['ls-files', '-z'])).stdout.split('\0'));
    for (const file of this.written) {
      if (!tracked.has(file) && !passesThroughLink(dir, file)) await fs.rm(path.join(dir, file), { force: true });
    }
    for (const folder of this.folders) await fs.rmdir(path.join(dir, folder)).catch(() => undefined);
  }
}

/** True when `file` under `dir` is, or lies under, a symbolic link (rollback then leaves it alone). */
function passesThroughLink(dir: string, file: string): boolean {
  try {
    requireNoLink(dir, file, 'rollback');
    return false;
  } catch {
    return true;
  }
}
