/**
 * berth gitops's use of the one git runner (src/git/git.ts): the same calls, with every failure a GitopsError
 * (a missing working folder is bad input, exit 2; anything else an operational failure, exit 1).
 */
import * as runner from '../git/git.js';
import type { GitOptions, GitResult } from '../git/git.js';
import { GitopsError } from './errors.js';

export { describeFailure, type Env, type GitOptions, type GitResult } from '../git/git.js';

/** Runs git and resolves with its exit code and output; rejects only when git cannot be started at all. */
export function gitRaw(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return runner.gitRaw(args, options).catch((err: unknown) => {
    throw asGitopsError(err);
  });
}

/** Runs git and returns its stdout (trailing newline trimmed); throws a GitopsError naming the command on failure. */
export function git(args: readonly string[], options: GitOptions): Promise<string> {
  return runner.git(args, options).catch((err: unknown) => {
    throw asGitopsError(err);
  });
}

function asGitopsError(err: unknown): unknown {
  if (!(err instanceof runner.GitError)) return err;
  const message = err.kind === 'unavailable' ? 'git is not installed or not on PATH; berth gitops needs the git CLI.' : err.message;
  return new GitopsError(message, err.kind === 'no-directory' ? 2 : 1);
}
