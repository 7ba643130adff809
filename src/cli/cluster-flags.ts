/** Flags and plumbing shared by `berth deploy|diff|prune|status` (called only from the CLI commands). */
import { FlagError, UsageError, parseFlags, type FlagSpec, type Parsed } from './flags.js';
import type { CommandIo } from './command.js';
import { sourceFor } from './platform-file.js';
export { berthVersion } from './version.js';
import { type RenderingSource, renderEnvironment } from '../render/source.js';
import type { RenderedEnvironment } from '../render/types.js';
import type { KubeClient } from '../deploy/client.js';
import { connect } from './connect.js';
export { connect } from './connect.js';
import { type DeployContext, ResourceResolver } from '../deploy/context.js';
import { classify } from './cluster-exit-codes.js';
import { isParseArgsError } from './exit-codes.js';
import { type Reporter, makeReporter } from '../deploy/report.js';

export const SHARED_OPTIONS = {
  env: { type: 'string' },
  file: { type: 'string' },
  app: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  project: { type: 'string' },
  location: { type: 'string' },
  cluster: { type: 'string' },
  endpoint: { type: 'string' },
  output: { type: 'string', default: 'text' },
  concurrency: { type: 'string', default: '16' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
} as const;

export const SHARED_HELP = `Target (one of):
  --kubeconfig PATH [--context NAME]   any cluster (default: $KUBECONFIG, else ~/.kube/config, else the in-cluster
                                       service account; none of them: exit 2 at once, naming what was checked)
  --project P --location L --cluster C [--endpoint public|private|dns]
                                       a GKE cluster via the Cluster Manager API and Application Default Credentials
Source:
  -e, --env NAME      environment to act on (required)
  -f, --file PATH     declaration (default: the app of ./cdk8s.yaml, else ./platform.yaml, else ./berth.yaml)
  --app COMMAND       a cdk8s app instead: run with CDK8S_OUTDIR set, one chart per environment
Output:
  -o, --output text|json
                      text: live progress on a terminal, plain lines otherwise; json: one document on stdout
                      (its exitCode is the process's exit code)
  -q, --quiet         text: only warnings, the summary and errors
  --verbose           text: also unchanged objects
  --concurrency N     writes in flight (default 16; dry runs and reads use up to twice that)
  --timeout DUR       bound every request to the API server, connect and answer, retries included
                      (diff, status, prune: default 2m; deploy: its --timeout, default 10m)
`;

export interface SharedValues {
  env?: string;
  file?: string;
  app?: string;
  kubeconfig?: string;
  context?: string;
  project?: string;
  location?: string;
  cluster?: string;
  endpoint?: string;
  output?: string;
  concurrency?: string;
  help?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** The exit codes of deploy, diff, prune and status (README "Exit codes"); each help quotes them. */
export const CLUSTER_EXIT_CODES = `Exit codes (the same in --output json's "exitCode"):
  0 ok   1 diff: differences / status: not in sync or not ready   2 bad input (flags, declaration,
  kubeconfig missing or unreadable, unknown environment or revision)   3 rejected by the dry run, nothing written
  4 a write failed part-way   5 rollout failed or timed out   6 cluster unreachable, connection refused,
  not authorized, no Google credentials   7 prune failed   8 migration failed   9 refused (ownership, field
  conflicts)   10 another deploy holds the lease   130 interrupted
`;

export function parse<O extends FlagSpec>(command: string, args: readonly string[], extra: O): Parsed<typeof SHARED_OPTIONS & O> {
  return parseFlags(command, args, { ...SHARED_OPTIONS, ...extra });
}

export function requireEnv(v: SharedValues): string {
  if (!v.env) throw new UsageError('--env NAME is required');
  return v.env;
}

/** The environment rendered from the command's source (--file, --app, ./cdk8s.yaml, ./platform.yaml or ./berth.yaml). */
export async function loadEnvironment(
  v: SharedValues,
  io: CommandIo,
  chosen?: RenderingSource,
): Promise<{ env: RenderedEnvironment; source: RenderingSource }> {
  const source = chosen ?? sourceFor(v, io.cwd, io);
  const name = requireEnv(v);
  return { env: await renderEnvironment(source, name, { env: io.env, log: (text) => io.stderr.write(text), signal: io.signal }), source };
}

export function makeContext(client: KubeClient, io: CommandIo, reporter: Reporter, concurrency: number): DeployContext {
  return { client, resources: new ResourceResolver(client), reporter, concurrency, signal: io.signal };
}

export function reporterFor(v: SharedValues, io: CommandIo, showChanges = false): Reporter {
  return makeReporter(v.output === 'json' ? 'json' : 'text', io.stdout, showChanges, v.quiet ? 'quiet' : v.verbose ? 'verbose' : 'normal');
}

/** Prints an error the berth way and returns its exit code (json output also gets a result document). */
export function fail(err: unknown, io: CommandIo, reporter: Reporter | undefined, extra: Record<string, unknown> = {}): number {
  const { code, message } = classify(err, io.signal);
  if (err instanceof FlagError || isParseArgsError(err)) {
    io.stderr.write(`berth: ${(err as Error).message}\n`);
    return code;
  }
  reporter?.done({ ok: false, exitCode: code, error: message, ...extra });
  io.stderr.write(`berth: ${message}\n`);
  return code;
}

/** What a cluster command's body gets: the parsed flags, the rendered environment, a context and a reporter. */
export interface ClusterRun<V> {
  readonly values: V;
  readonly env: RenderedEnvironment;
  readonly ctx: DeployContext;
  readonly reporter: Reporter;
}

/**
 * The frame diff, prune and status share: parse flags (or print `help`), render the environment,
 * connect, run `body`, report any failure the berth way, and always close the client.
 */
export async function onCluster<O extends FlagSpec>(
  args: readonly string[],
  io: CommandIo,
  spec: { command: string; options: O; help: string; showChanges?: boolean },
  body: (run: ClusterRun<ReturnType<typeof parse<O>>['values']>) => Promise<number>,
): Promise<number> {
  let reporter: Reporter | undefined;
  let client: KubeClient | undefined;
  try {
    const { values } = parse(spec.command, args, spec.options);
    const shared = values as SharedValues;
    if (shared.help) return (io.stdout.write(spec.help), 0);
    const { env } = await loadEnvironment(shared, io);
    reporter = reporterFor(shared, io, spec.showChanges);
    const timeout = (values as { timeout?: string }).timeout;
    client = (await connect(shared, io, timeout === undefined ? undefined : parseDuration(timeout))).client;
    return await body({ values, env, reporter, ctx: makeContext(client, io, reporter, Number(shared.concurrency)) });
  } catch (err) {
    return fail(err, io, reporter);
  } finally {
    client?.close();
  }
}

/** `10m`, `90s`, `1h`, or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid duration "${text}" (use e.g. 300s, 10m)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
