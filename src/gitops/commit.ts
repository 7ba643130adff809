/**
 * One environment into its folder of the GitOps checkout: write berth's files, delete the files of
 * removed services, stage exactly those paths, and commit only when the staged result differs.
 */
import { lstatSync } from 'node:fs';
import * as path from 'node:path';
import type { RenderedEnvironment } from '../render/types.js';
import { GitopsError } from './errors.js';
import { git, gitRaw, type Env } from './git.js';
import { requireNoLink } from '../render/no-follow.js';
import { applyPlan, folderFiles, isSafeRelative, noLinks, planFolder } from './ownership.js';
import { commitMessage, summarizeChanges } from './summary.js';

export interface EnvironmentResult {
  readonly environment: string;
  /** Folder in the GitOps repository, e.g. `environments/production`. */
  readonly folder: string;
  /** The new commit; undefined when the rendering was already there ("no changes"). */
  readonly commit?: string;
  readonly message?: string;
}

export interface CommitContext {
  readonly dir: string;
  readonly env: Env;
  readonly signal?: AbortSignal;
  readonly source: string;
  readonly author?: string;
  readonly subject?: string;
  /** Called with every repository-relative path berth writes (for rollback). */
  readonly wrote: (file: string) => void;
}

export const DEFAULT_PATH = 'environments/{env}';

/** `environments/{env}` → `environments/production`; throws (exit 2) for absolute or `..` paths. */
export function folderFor(template: string, environment: string): string {
  const folder = template.split('{env}').join(environment).replace(/\/+$/, '');
  if (!isSafeRelative(folder)) {
    throw new GitopsError(`--path ${template}: must be a relative folder inside the GitOps repository (no leading '/', no '..'), e.g. ${DEFAULT_PATH}.`, 2);
  }
  return folder;
}

export async function commitEnvironment(context: CommitContext, environment: RenderedEnvironment, folder: string): Promise<EnvironmentResult> {
  const absolute = path.join(context.dir, folder);
  noLinks(context.dir, () => requireNoLink(context.dir, folder, 'the --path folder in the GitOps repository'));
  requireFolderOrNothing(absolute, folder);
  const files = folderFiles(environment);
  const plan = await planFolder(absolute, folder, files);
  await applyPlan(absolute, plan);
  const inRepo = (file: string) => path.posix.join(folder, file);
  plan.write.forEach((file) => context.wrote(inRepo(file.path)));
  const run = (args: string[], input?: string) => git(args, { cwd: context.dir, env: context.env, signal: context.signal, input });
  await run(['add', '--', ...plan.write.map((file) => inRepo(file.path))]);
  if (plan.remove.length > 0) {
    await run(['rm', '-q', '--cached', '--ignore-unmatch', '--', ...plan.remove.map(inRepo)]);
  }
  if (!(await hasStagedChanges(context, folder))) return { environment: environment.name, folder };
  const summary = summarizeChanges(plan.previous, files);
  const message = commitMessage({ environment: environment.name, summary, source: context.source, subject: context.subject });
  await run(['commit', '-q', '-F', '-', ...(context.author ? ['--author', context.author] : [])], message);
  const commit = await run(['rev-parse', 'HEAD']);
  return { environment: environment.name, folder, commit, message };
}

function requireFolderOrNothing(absolute: string, folder: string): void {
  try {
    if (!lstatSync(absolute).isDirectory()) {
      throw new GitopsError(`${folder} exists in the GitOps repository but is not a folder; choose another --path.`, 2);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function hasStagedChanges(context: CommitContext, folder: string): Promise<boolean> {
  const args = ['diff', '--cached', '--quiet', '--', folder];
  const result = await gitRaw(args, { cwd: context.dir, env: context.env, signal: context.signal });
  if (result.code > 1) throw new GitopsError(`git ${args.join(' ')} failed in ${context.dir}: ${result.stderr.trim()}`, 1);
  return result.code === 1;
}

/** The user's git identity when configured; otherwise `berth <berth@users.noreply.local>` so commits never fail on it. */
export async function withIdentity(dir: string, env: Env, author: string | undefined): Promise<Env> {
  const result: Record<string, string | undefined> = { ...env };
  for (const role of ['COMMITTER', 'AUTHOR'] as const) {
    if (role === 'AUTHOR' && author !== undefined) continue;
    const ident = await gitRaw(['var', `GIT_${role}_IDENT`], { cwd: dir, env: result });
    if (ident.code !== 0) {
      result[`GIT_${role}_NAME`] = 'berth';
      result[`GIT_${role}_EMAIL`] = 'berth@users.noreply.local';
    }
  }
  return result;
}

/** `Name <email>`, as git's --author takes it. */
export function checkAuthor(author: string): string {
  if (!/^[^<>\n]+ <[^<>\s]+>$/.test(author.trim())) {
    throw new GitopsError(`--author ${JSON.stringify(author)}: write it as "Name <email>", e.g. "Release Bot <bot@acme.example>".`, 2);
  }
  return author.trim();
}
