/**
 * kubeconfig `user.exec` credential plugins (client.authentication.k8s.io v1beta1 and v1), the way kubectl runs them:
 * the command (found on PATH, or relative to the kubeconfig's folder when it holds a `/`), its `args` and `env`,
 * `KUBERNETES_EXEC_INFO` (with the cluster when `provideClusterInfo` is set), stdin only when interactive.
 * One plugin run per credential lifetime: the answer is kept until its `expirationTimestamp` (for the whole run when it
 * has none, as kubectl does), concurrent requests share one run, and a 401 drops it (`invalidate`).
 * This is berth's own path: client-node 1.4.0 has no public exec API (its ExecAuth is internal and ignores
 * provideClusterInfo, installHint and interactiveMode). A relative command is made absolute by kubeconfig-file.ts.
 */
import { spawn } from 'node:child_process';
import { CredentialError, KubeconfigSettingError } from './credential-errors.js';
import type { ExecConfig, KubeCluster } from './kubeconfig-model.js';

export type { ExecConfig } from './kubeconfig-model.js';

/** What a plugin hands back: a bearer token and/or a client certificate. */
export interface ExecCredential {
  readonly token?: string;
  readonly cert?: string;
  readonly key?: string;
  /** ms since epoch; Infinity when the plugin gave no expirationTimestamp. */
  readonly expiresAt: number;
}

const API_VERSIONS = ['client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1'];
/** A plugin that has not answered in this long is stopped (gke-gcloud-auth-plugin answers in well under a second). */
export const EXEC_TIMEOUT_MS = 60_000;
/** A credential this close to its expiry is fetched again (a request must not carry a token that expires in flight). */
const EXPIRY_SKEW_MS = 10_000;

/** The plugin's program is not installed (bad setup: exit 2); names the program and the kubeconfig's installHint. */
export class ExecPluginMissingError extends KubeconfigSettingError {}

/** The plugin ran but gave no usable credential (exit 6, like other authentication failures). */
export class ExecPluginError extends CredentialError {}

export interface ExecContext {
  /** The kubeconfig user's name (for messages). */
  readonly user: string;
  readonly cluster: KubeCluster;
  /** Environment the plugin inherits (PATH finds the command). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether a person is at the terminal (stdin is a TTY). @default false */
  readonly interactive?: boolean;
}

/** One user's exec plugin, run at most once per credential lifetime. */
export class ExecCredentialSource {
  private cached: ExecCredential | undefined;
  private pending: Promise<ExecCredential> | undefined;
  /** Plugin runs so far (for tests and logs). */
  runs = 0;

  constructor(
    private readonly exec: ExecConfig,
    private readonly ctx: ExecContext,
  ) {
    checkConfig(exec, ctx.user);
  }

  /** A credential valid for at least the next few seconds. */
  async get(): Promise<ExecCredential> {
    if (this.cached && this.cached.expiresAt - Date.now() > EXPIRY_SKEW_MS) return this.cached;
    this.pending ??= this.run().then(
      (c) => {
        this.cached = c;
        this.pending = undefined;
        return c;
      },
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }

  /** Forgets the credential (the server answered 401): the next `get` runs the plugin again. */
  invalidate(used: ExecCredential): void {
    if (this.cached === used) this.cached = undefined;
  }

  private async run(): Promise<ExecCredential> {
    this.runs++;
    const { stdout, code, stderr } = await runPlugin(this.exec, this.ctx);
    const name = `exec plugin "${this.exec.command}" of kubeconfig user "${this.ctx.user}"`;
    if (code !== 0) throw new ExecPluginError(`${name} failed (exit ${code})${tail(stderr)}. ${fixOf(this.exec)}`);
    return parseCredential(stdout, this.exec, name);
  }
}

function checkConfig(exec: ExecConfig, user: string): void {
  const bad = (field: string, why: string) => new KubeconfigSettingError(`kubeconfig user "${user}": users[].user.exec.${field} ${why}`);
  if (!exec.command) throw bad('command', 'is missing. fix: name the credential plugin program (e.g. gke-gcloud-auth-plugin)');
  if (!API_VERSIONS.includes(exec.apiVersion ?? '')) {
    throw bad('apiVersion', `"${exec.apiVersion ?? ''}" is not supported. fix: use ${API_VERSIONS.join(' or ')}`);
  }
  if (exec.interactiveMode !== undefined && !['Never', 'IfAvailable', 'Always'].includes(exec.interactiveMode)) {
    throw bad('interactiveMode', `"${String(exec.interactiveMode)}" is not one of Never, IfAvailable, Always`);
  }
}

function fixOf(exec: ExecConfig): string {
  return exec.installHint ? `installHint: ${exec.installHint.trim()}` : `fix: run "${[exec.command, ...(exec.args ?? [])].join(' ')}" to see why`;
}

function tail(stderr: string): string {
  const text = stderr.trim();
  return text ? `: ${text.length > 600 ? `…${text.slice(-600)}` : text}` : '';
}

/** The ExecCredential request the plugin reads from KUBERNETES_EXEC_INFO. */
function execInfo(exec: ExecConfig, ctx: ExecContext, interactive: boolean): string {
  const c = ctx.cluster;
  const cluster = exec.provideClusterInfo
    ? {
        server: c.server,
        ...(c.tlsServerName ? { 'tls-server-name': c.tlsServerName } : {}),
        ...(c.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
        ...(c.caData ? { 'certificate-authority-data': c.caData } : {}),
        ...(c.proxyUrl ? { 'proxy-url': c.proxyUrl } : {}),
        ...(exec.config !== undefined ? { config: exec.config } : {}),
      }
    : undefined;
  return JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive, ...(cluster ? { cluster } : {}) } });
}

function runPlugin(exec: ExecConfig, ctx: ExecContext): Promise<{ stdout: string; stderr: string; code: number }> {
  const mode = exec.interactiveMode ?? 'IfAvailable';
  const interactive = mode !== 'Never' && !!ctx.interactive;
  if (mode === 'Always' && !interactive) {
    return Promise.reject(
      new ExecPluginError(
        `exec plugin "${exec.command}" of kubeconfig user "${ctx.user}" needs an interactive terminal ` +
          '(interactiveMode: Always) and berth has none here. fix: run it once in a terminal, or set interactiveMode: IfAvailable',
      ),
    );
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  for (const e of exec.env ?? []) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = execInfo(exec, ctx, interactive);
  return new Promise((resolve, reject) => {
    const child = spawn(exec.command!, [...(exec.args ?? [])], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), EXEC_TIMEOUT_MS);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT' || err.code === 'EACCES'
          ? new ExecPluginMissingError(
              `exec plugin "${exec.command}" of kubeconfig user "${ctx.user}" ` +
                `${err.code === 'ENOENT' ? 'was not found (not on PATH)' : 'is not executable'}. ` +
                (exec.installHint ? `installHint: ${exec.installHint.trim()}` : 'fix: install it, or correct users[].user.exec.command'),
            )
          : err,
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: signal === 'SIGKILL' ? `${stderr}\n(no answer within ${EXEC_TIMEOUT_MS / 1000}s; stopped)` : stderr, code: code ?? 1 });
    });
  });
}

function parseCredential(stdout: string, exec: ExecConfig, name: string): ExecCredential {
  let obj: { apiVersion?: string; kind?: string; status?: Record<string, unknown> };
  try {
    obj = JSON.parse(stdout) as typeof obj;
  } catch {
    throw new ExecPluginError(`${name} printed no ExecCredential JSON (its output is not shown: it may hold a credential). ${fixOf(exec)}`);
  }
  if (obj?.kind !== 'ExecCredential' || obj.apiVersion !== exec.apiVersion) {
    throw new ExecPluginError(
      `${name} answered kind "${obj?.kind}" apiVersion "${obj?.apiVersion}", expected ExecCredential ${exec.apiVersion}. ${fixOf(exec)}`,
    );
  }
  const s = obj.status ?? {};
  const str = (k: string) => (typeof s[k] === 'string' && s[k] ? s[k] : undefined);
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  if (!token && !(cert && key)) {
    throw new ExecPluginError(`${name} gave neither status.token nor status.clientCertificateData with status.clientKeyData. ${fixOf(exec)}`);
  }
  const expiry = str('expirationTimestamp');
  const expiresAt = expiry ? Date.parse(expiry) : Infinity;
  if (Number.isNaN(expiresAt)) throw new ExecPluginError(`${name} gave status.expirationTimestamp "${expiry}", not an RFC 3339 time. ${fixOf(exec)}`);
  return { token, cert, key, expiresAt };
}
