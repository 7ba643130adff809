/** One `git push` (never forced): pushed, or the remote moved (retry after fetching), or a hard failure. */
import { GitopsError } from './errors.js';
import { describeFailure, gitRaw, type Env } from './git.js';

export interface PushTarget {
  readonly cwd: string;
  readonly env: Env;
  readonly signal?: AbortSignal;
  readonly remote: string;
  readonly branch: string;
  /** Record the pushed branch as the current branch's upstream (`-u`). */
  readonly setUpstream: boolean;
}

export async function pushOnce(target: PushTarget): Promise<'pushed' | 'moved'> {
  const args = ['push', '--porcelain', ...(target.setUpstream ? ['-u'] : []), target.remote, `HEAD:refs/heads/${target.branch}`];
  const result = await gitRaw(args, { cwd: target.cwd, env: target.env, signal: target.signal });
  if (result.code === 0) return 'pushed';
  if (remoteMoved(result.stdout + '\n' + result.stderr)) return 'moved';
  throw new GitopsError(
    `${describeFailure(args, target.cwd, result)}\nNothing was pushed. Check that your git can push to ${target.remote} ` +
      `(credentials, branch protection), then run berth gitops again.`,
    1,
  );
}

/**
 * A rejected ref in `--porcelain` output (`!\trefs/...\t[rejected] (fetch first)`), or a ref lock lost to a
 * concurrent push (`[remote rejected] (failed to update ref)` / `cannot lock ref`): the remote moved.
 */
export function remoteMoved(output: string): boolean {
  return output.split('\n').some((line) => {
    if (!line.startsWith('!\t')) return false;
    const status = line.split('\t')[2] ?? '';
    if (status.startsWith('[rejected]')) return true;
    return status.startsWith('[remote rejected]') && /lock|failed to update ref|incorrect old value|stale/i.test(status);
  });
}
