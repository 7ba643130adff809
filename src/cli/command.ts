/** What every CLI command receives: its arguments and the process's streams; only `main.ts` touches `process`. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  /** Where interactive commands (`init` on a terminal) read answers; absent or not a TTY: they never ask. @default undefined */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Working directory the user ran berth in. */
  readonly cwd: string;
  /** Environment variables (commands read these; constructs never do). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
}

/** A CLI command: parses its own args (node:util parseArgs) and returns the exit code. */
export type Command = (args: readonly string[], io: CommandIo) => Promise<number>;
