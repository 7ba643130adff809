/** Flags and plumbing shared by `berth deploy|diff|prune|status` (called only from the CLI commands). */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { GoogleAuth } from 'google-auth-library';
import type { CommandIo } from '../cli/command.js';
import { packageRoot, sourceFor } from '../cli/platform-file.js';
import { type RenderingSource, renderEnvironment } from '../render/source.js';
import type { RenderedEnvironment } from '../render/types.js';
import { GOOGLE_SCOPES } from './auth.js';
import { KubeClient, shownServer } from './client.js';
import { type DeployContext, ResourceResolver } from './context.js';
import { EXIT, UsageError, classify } from './errors.js';
import { type EndpointMode, findCluster } from './gke.js';
import { kubeConfigForEndpoint, kubeConfigFromFile } from './kubeconfig.js';
import { type Reporter, makeReporter } from './report.js';

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
  help: { type: 'boolean' },
} as const;

export const SHARED_HELP = `Target (one of):
  --kubeconfig PATH [--context NAME]   any cluster (default: $KUBECONFIG or ~/.kube/config)
  --project P --location L --cluster C [--endpoint public|private|dns]
                                       a GKE cluster via the Cluster Manager API and Application Default Credentials
Source:
  --env NAME          environment to act on (required)
  --file PATH         declaration (default: the app of ./cdk8s.yaml, else ./platform.yaml, else ./berth.yaml)
  --app COMMAND       a cdk8s app instead: run with CDK8S_OUTDIR set, one chart per environment
Output:
  --output text|json  text: live progress on a terminal, plain lines otherwise; json: one document on stdout
  --concurrency N     writes in flight (default 16; dry runs and reads use up to twice that)
  --timeout DUR       bound every request to the API server, connect and answer, retries included
                      (diff, status, prune: default 2m; deploy: its --timeout, default 10m)
`;

export interface SharedValues {
  env?: string; file?: string; app?: string; kubeconfig?: string; context?: string; project?: string; location?: string;
  cluster?: string; endpoint?: string; output?: string; concurrency?: string; help?: boolean;
}

export function parse<O extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean; short?: string }>>(args: readonly string[], extra: O) {
  return parseArgs({ args: [...args], strict: true, allowPositionals: false, options: { ...SHARED_OPTIONS, ...extra } });
}

export function berthVersion(): string {
  try {
    return (JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function requireEnv(v: SharedValues): string {
  if (!v.env) throw new UsageError('--env NAME is required');
  if (v.output !== 'text' && v.output !== 'json') throw new UsageError('--output must be text or json');
  return v.env;
}

/** The environment rendered from the command's source (--file, --app, ./cdk8s.yaml, ./platform.yaml or ./berth.yaml). */
export async function loadEnvironment(v: SharedValues, io: CommandIo, chosen?: RenderingSource): Promise<{ env: RenderedEnvironment; source: RenderingSource }> {
  const source = chosen ?? sourceFor(v, io.cwd, io);
  const name = requireEnv(v);
  return { env: await renderEnvironment(source, name, { env: io.env, log: (text) => io.stderr.write(text), signal: io.signal }), source };
}

/** KubeConfig from --kubeconfig/--context, or from GKE (--project/--location/--cluster) with ADC tokens. */
export async function connect(v: SharedValues, io: CommandIo, timeoutMs?: number): Promise<{ client: KubeClient; target: string }> {
  const gke = [v.project, v.location, v.cluster];
  // every request (connect and answer, retries included) is bounded by --timeout where the command has one
  const bounds = timeoutMs === undefined ? {} : { timeoutMs: Math.min(60_000, timeoutMs), deadlineMs: timeoutMs };
  const concurrency = Number(v.concurrency ?? '16');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  if (gke.some(Boolean)) {
    if (!gke.every(Boolean)) throw new UsageError('--project, --location and --cluster go together');
    if (v.kubeconfig || v.context) throw new UsageError('use either --kubeconfig/--context or --project/--location/--cluster');
    if (v.endpoint && !['public', 'private', 'dns'].includes(v.endpoint)) throw new UsageError('--endpoint must be public, private or dns');
    const keyFilename = io.env.GOOGLE_APPLICATION_CREDENTIALS;
    const auth = new GoogleAuth({ scopes: GOOGLE_SCOPES, ...(keyFilename ? { keyFilename } : {}) });
    const ep = await findCluster({ project: v.project!, location: v.location!, cluster: v.cluster! }, { auth, ...apiEndpoint(io.env.BERTH_GKE_API_ENDPOINT) }, v.endpoint as EndpointMode | undefined);
    const kc = kubeConfigForEndpoint(ep, auth, `gke_${v.project}_${v.location}_${v.cluster}`);
    return { client: new KubeClient(kc, { concurrency: concurrency * 2, signal: io.signal, ...bounds }), target: `GKE ${v.project}/${v.location}/${v.cluster} (${ep.mode} endpoint ${ep.server})` };
  }
  const kc = kubeConfigFromFile(v.kubeconfig, v.context);
  return { client: new KubeClient(kc, { concurrency: concurrency * 2, signal: io.signal, ...bounds }), target: `${shownServer(kc.getCurrentCluster()!.server)} (context ${kc.getCurrentContext()})` };
}

/** `BERTH_GKE_API_ENDPOINT=https://host[:port]`: another Cluster Manager API endpoint (Private Service Connect, tests). */
function apiEndpoint(url: string | undefined): { apiEndpoint?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!url) return {};
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { apiEndpoint: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
}

export function makeContext(client: KubeClient, io: CommandIo, reporter: Reporter, concurrency: number): DeployContext {
  return { client, resources: new ResourceResolver(client), reporter, concurrency, signal: io.signal };
}

export function reporterFor(v: SharedValues, io: CommandIo, showChanges = false): Reporter {
  return makeReporter(v.output === 'json' ? 'json' : 'text', io.stdout, showChanges);
}

/** Prints an error the berth way and returns its exit code (json output also gets a result document). */
export function fail(err: unknown, io: CommandIo, reporter: Reporter | undefined, extra: Record<string, unknown> = {}): number {
  const { code, message } = classify(err, io.signal);
  if (String((err as NodeJS.ErrnoException | undefined)?.code ?? '').startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`berth: ${(err as Error).message}\n`);
    return EXIT.badInput;
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
export async function onCluster<O extends Parameters<typeof parse>[1]>(
  args: readonly string[], io: CommandIo, spec: { options: O; help: string; showChanges?: boolean },
  body: (run: ClusterRun<ReturnType<typeof parse<O>>['values']>) => Promise<number>,
): Promise<number> {
  let reporter: Reporter | undefined;
  let client: KubeClient | undefined;
  try {
    const { values } = parse(args, spec.options);
    const shared = values as SharedValues;
    if (shared.help) return io.stdout.write(spec.help), 0;
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
