/**
 * The only way berth runs git: the real `git` binary with an argument array (never a shell string),
 * so SSH/HTTPS credentials, signing, hooks and the user's config behave exactly as their own git does.
 *
 * A neutral module below every stage: the render stage reads a declaration as of a revision with it,
 * gitops commits with it (gitops/git.ts turns its failures into GitopsError). It imports no stage.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export type Env = Readonly<Record<string, string | undefined>>;

export interface GitOptions {
  /** Directory git runs in. */
  readonly cwd: string;
  /** Full environment for git. @default this process's environment */
  readonly env?: Env;
  /** Text written to git's stdin (e.g. a commit message for `commit -F -`). @default nothing */
  readonly input?: string;
  readonly signal?: AbortSignal;
}

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Why git gave no answer: not installed, the folder does not exist, git failed (exit ≠ 0), or it did not finish. */
export type GitErrorKind = 'unavailable' | 'no-directory' | 'failed' | 'unfinished';

/** git could not be run, or (from `git()`) exited non-zero; `kind` says which. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly kind: GitErrorKind,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Runs git and resolves with its exit code and output; rejects (GitError) only when git cannot be started at all. */
export function gitRaw(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...args],
      { cwd: options.cwd, env: gitEnv(options.env), maxBuffer: 64 * 1024 * 1024, signal: options.signal, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : (error as { code?: unknown }).code;
        if (typeof code === 'number') resolve({ code, stdout, stderr });
        else reject(startFailure(args, options.cwd, error));
      },
    );
    // git may exit without reading stdin (e.g. a rejected commit): ignore EPIPE, the exit code tells.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

function startFailure(args: readonly string[], cwd: string, error: Error | null): GitError {
  if ((error as { code?: unknown } | null)?.code === 'ENOENT') {
    return existsSync(cwd)
      ? new GitError('git is not installed or not on PATH; berth needs the git CLI.', 'unavailable')
      : new GitError(`${cwd}: no such directory.`, 'no-directory');
  }
  return new GitError(`git ${args.join(' ')} did not finish: ${error?.message ?? 'unknown error'}`, 'unfinished');
}

/** Runs git and returns its stdout (trailing newline trimmed); a GitError naming the command on failure. */
export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  const result = await gitRaw(args, options);
  if (result.code !== 0) throw new GitError(describeFailure(args, options.cwd, result), 'failed');
  return result.stdout.replace(/\n$/, '');
}

/** `git <args>` failed (exit N) in <dir>: <git's own message>. */
export function describeFailure(args: readonly string[], cwd: string, result: GitResult): string {
  const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-8).join('\n  ');
  return `git ${args.join(' ')} failed (exit ${result.code}) in ${cwd}${detail ? `:\n  ${detail}` : ''}`;
}

function gitEnv(env: Env | undefined): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env ?? process.env)) {
    if (value !== undefined) base[key] = value;
  }
  // English, parseable messages; everything else (credentials, ssh, signing) stays the user's.
  base.LC_ALL = 'C';
  return base;
}
