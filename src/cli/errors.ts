import { COMMON_EXIT_RULES, EXIT, exitCodeOf } from './exit-codes.js';

/** Exit code for bad input: invalid declaration, failed GKE check, refused output folder, bad flags. */
export const EXIT_BAD_INPUT = EXIT.badInput;
/** Exit code for an operational failure. */
export const EXIT_FAILURE = EXIT.failed;

/** Prints an error the way every berth command does and returns its exit code (exit-codes.ts; anything else: 1). */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  stderr.write(`berth: ${error instanceof Error ? error.message : String(error)}\n`);
  return exitCodeOf(error, COMMON_EXIT_RULES, EXIT_FAILURE);
}

/** Exit codes of the commands that do not talk to a cluster (synth, validate, ecs, compare); each help quotes them. */
export const LOCAL_EXIT_CODES = `Exit codes (the same in --output json's "exitCode"):
  0 ok   1 unexpected failure   2 bad input (flags, declaration, refused output path); nothing written
`;

/** `--output json`: the result document on stdout; text: nothing more. Returns `code`. */
export function jsonResult(output: unknown, stdout: NodeJS.WritableStream, code: number, fields: Record<string, unknown>): number {
  if (output === 'json') stdout.write(`${JSON.stringify({ ok: code === 0, exitCode: code, ...fields }, null, 2)}\n`);
  return code;
}

/** reportError, plus the JSON result document (ok false, the same exit code, the message) with --output json. */
export function reportFailure(error: unknown, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, output: unknown): number {
  const code = reportError(error, io.stderr);
  return jsonResult(output, io.stdout, code, { error: error instanceof Error ? error.message : String(error) });
}

/** The value of -o/--output in raw args (for failures before or during flag parsing). */
export function outputOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output') return args[i + 1];
    if (a.startsWith('--output=')) return a.slice('--output='.length);
    if (a.startsWith('-o') && a.length > 2) return a.slice(2);
  }
  return undefined;
}
