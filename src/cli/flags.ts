/**
 * The one place every berth command parses its flags: node:util parseArgs, strict, plus berth's conventions
 * (kubectl / helm habits): `-h/--help` everywhere, the short flags `-f` (--file), `-e` (--env), `-o` (--output),
 * `-q` (--quiet) wherever the long flag exists (no `-v`: npm reads it as
 * --version, kubectl as a log level; --verbose and --version are spelled out, `-V` is the version), `--output text|json`, and did-you-mean for unknown flags.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../declaration/shape.js';

export type FlagSpec = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly default?: string | boolean; readonly multiple?: boolean; readonly short?: string }>
>;

/** Short flags berth gives every command that has the long one. */
const SHORT: Readonly<Record<string, string>> = { file: 'f', env: 'e', output: 'o', quiet: 'q', help: 'h' };

/** A flag the user got wrong: exit 2, with the command's name for "see berth <command> --help". */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** Flags that parse but do not go together or make sense (a missing --env, a bad duration, --revision with --app): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `options` with `help` added and the conventional short flags set. */
export function withConventions<O extends FlagSpec>(options: O): O & { help: { type: 'boolean'; short: 'h' } } {
  const out: Record<string, FlagSpec[string]> = { ...options, help: { type: 'boolean', short: 'h' } };
  for (const [long, short] of Object.entries(SHORT)) {
    const spec = out[long];
    if (spec && spec.short === undefined && (long !== 'output' || spec.type === 'string')) out[long] = { ...spec, short };
  }
  return out as O & { help: { type: 'boolean'; short: 'h' } };
}

type Config<O extends FlagSpec> = { args: string[]; strict: true; allowPositionals: false; options: O & { help: { type: 'boolean'; short: 'h' } } };
export type Parsed<O extends FlagSpec> = ReturnType<typeof parseArgs<Config<O>>>;

/** Parses `args` for `command` (strict, no positionals); unknown flags get a did-you-mean. */
export function parseFlags<O extends FlagSpec>(command: string, args: readonly string[], options: O): Parsed<O> {
  const all = withConventions(options);
  try {
    const parsed = parseArgs<Config<O>>({ args: [...args], strict: true, allowPositionals: false, options: all });
    const output = (parsed.values as { output?: string | boolean }).output;
    if ('output' in options && options.output?.type === 'string' && output !== undefined && output !== 'text' && output !== 'json') {
      throw new FlagError(`--output must be text or json, not "${String(output)}". See berth ${command} --help.`);
    }
    return parsed;
  } catch (error) {
    throw explain(command, error, Object.keys(all));
  }
}

/** A parseArgs error rewritten the berth way: what was wrong, the closest known flag, where to look. */
function explain(command: string, error: unknown, known: readonly string[]): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return error;
  const message = (error as Error).message;
  const unknownFlag = /Unknown option '(-{1,2})([^'=]+)'/.exec(message);
  if (unknownFlag) {
    const hint = didYouMean(unknownFlag[2], known);
    const suggestion = hint ? ` Did you mean --${hint}?` : '';
    return new FlagError(`unknown flag ${unknownFlag[1]}${unknownFlag[2]} for "berth ${command}".${suggestion} See berth ${command} --help.`);
  }
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return new FlagError(`unexpected argument "${positional[1]}" for "berth ${command}" (flags only). See berth ${command} --help.`);
  return new FlagError(`${message.replace(/\. To specify.*$/s, '')}. See berth ${command} --help.`);
}

/** The closest command name to a typo, if any is close. */
export function closestCommand(word: string, commands: readonly string[]): string | undefined {
  return didYouMean(word, commands);
}
