/**
 * Exit codes, chosen from the error's class and never from its message text. One table of rules
 * (class → code) for every command: the rules every command shares are here; the cluster commands add
 * theirs in cluster-exit-codes.ts (kept apart only so synth/validate never load the deploy modules).
 */
import { DeclarationError, InputError } from '../declaration/errors.js';
import { GitopsError } from '../gitops/errors.js';
import { RenderCheckError } from '../render/checks.js';
import { LinkError } from '../render/no-follow.js';
import { RevisionError, SourceError } from '../render/source-error.js';
import { OutputError } from '../render/write.js';
import { FlagError, UsageError } from './flags.js';

/** Every exit code berth uses (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** synth, validate, ecs, compare, gitops: an unexpected or operational failure. */
  failed: 1,
  /** diff: differences found; status: not in sync or not ready. */
  differences: 1,
  /** Bad flags, invalid declaration or kubeconfig, unknown environment or revision. */
  badInput: 2,
  /** The API server rejected the set in the dry run: nothing was written. */
  rejected: 3,
  /** A write failed part-way (rerun converges). */
  applyFailed: 4,
  /** Rollout failed, or the wait timed out. */
  rolloutFailed: 5,
  /** Cluster unreachable, authentication/authorization failure, GKE lookup failed. */
  unreachable: 6,
  /** Pruning failed (the ApplySet parent keeps the superset; rerun finishes it). */
  pruneFailed: 7,
  /** A migration (job with beforeDeploy) failed or did not finish in time: no workload was changed. */
  migrationFailed: 8,
  /** Refused before any write: a declared object belongs to someone else, or fields conflict with another manager. */
  refused: 9,
  /** Another deploy or prune of the environment holds its lease: nothing was done (retry later). */
  locked: 10,
  interrupted: 130,
} as const;

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** One row: errors of `type` (or a subclass) exit with `code`; a function may decline (undefined: later rows decide). */
export interface ExitRule {
  readonly type: ErrorClass<Error>;
  readonly code: number | ((error: Error) => number | undefined);
}

/** A typed row of the table. */
export function rule<E extends Error>(type: ErrorClass<E>, code: number | ((error: E) => number | undefined)): ExitRule {
  return { type, code: code as ExitRule['code'] };
}

/** Rows every command shares: bad input of any kind is 2; gitops says itself whether its failure is bad input. */
export const COMMON_EXIT_RULES: readonly ExitRule[] = [
  rule(FlagError, EXIT.badInput),
  rule(UsageError, EXIT.badInput),
  rule(DeclarationError, EXIT.badInput),
  rule(InputError, EXIT.badInput),
  rule(SourceError, EXIT.badInput),
  rule(RevisionError, EXIT.badInput),
  rule(RenderCheckError, EXIT.badInput),
  rule(OutputError, EXIT.badInput),
  rule(LinkError, EXIT.badInput),
  rule(GitopsError, (e) => e.exitCode),
];

/** node:util parseArgs' own errors (unknown option, missing value) are typed by their `code`. */
export function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** The exit code of `error`: the first row whose class it is an instance of, else `fallback`. */
export function exitCodeOf(error: unknown, rules: readonly ExitRule[], fallback: number): number {
  if (isParseArgsError(error)) return EXIT.badInput;
  for (const { type, code } of rules) {
    if (!(error instanceof type)) continue;
    const chosen = typeof code === 'number' ? code : code(error);
    if (chosen !== undefined) return chosen;
  }
  return fallback;
}
