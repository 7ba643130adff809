/**
 * How berth reaches the API server of a kubeconfig's current context: TLS material, proxy and credentials, built only
 * from berth's own kubeconfig model (kubeconfig-model.ts) and Node's http/https/tls. Supported:
 * certificate-authority(-data), insecure-skip-tls-verify, tls-server-name, client-certificate(-data)/client-key(-data),
 * token and tokenFile, username/password, `as` (impersonation), exec credential plugins (exec-credential.ts),
 * proxy-url (http:// proxies: CONNECT for https servers, absolute-form for http ones), berth's own Google ADC provider,
 * and any other auth-provider through client-node's public `applyToHTTPSOptions` (auth-provider.ts, loaded only then).
 */
import { readFileSync } from 'node:fs';
import { accessToken } from './auth.js';
import { LegacyAuthProvider } from './auth-provider.js';
import { KubeconfigSettingError } from './credential-errors.js';
import { type ExecCredential, ExecCredentialSource } from './exec-credential.js';
import type { KubeCluster, KubeUser, Kubeconfig } from './kubeconfig-model.js';

/** TLS settings of the connection; a new object only when they change (an exec plugin rotated its certificate). */
export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer | string;
  readonly key?: Buffer | string;
  /** false only with insecure-skip-tls-verify. */
  readonly rejectUnauthorized: boolean;
  /** tls-server-name: the name sent in SNI and checked against the server's certificate. */
  readonly servername?: string;
}

/** What one request needs: auth headers, the TLS settings, and the exec credential used (to drop it on a 401). */
export interface Prepared {
  readonly headers: Readonly<Record<string, string>>;
  readonly tls: TlsMaterial;
  readonly credential?: ExecCredential;
}

export interface ConnectionOptions {
  /** Environment exec plugins inherit. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A person at the terminal (exec plugins with interactiveMode may prompt). @default false */
  readonly interactive?: boolean;
}

export class Connection {
  readonly server: string;
  /** proxy-url (http:// only). */
  readonly proxy: URL | undefined;
  /** Responses may come gzip-compressed (as client-go asks), unless the cluster sets disable-compression. */
  readonly compression: boolean;
  private readonly tls: TlsMaterial;
  private readonly headers: Record<string, string> = {};
  private readonly exec: ExecCredentialSource | undefined;
  private execTls: { cert: string; key: string; tls: TlsMaterial } | undefined;
  private fileToken: { token: string; readAt: number } | undefined;
  private readonly user: KubeUser | null;
  private legacy: LegacyAuthProvider | undefined;

  constructor(kc: Kubeconfig, options: ConnectionOptions = {}) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeconfigSettingError('the kubeconfig has no current cluster. fix: set current-context, or pass --context');
    const user = kc.getCurrentUser();
    this.user = user;
    this.server = cluster.server.replace(/\/+$/, '');
    this.proxy = proxyOf(cluster);
    this.compression = !cluster.disableCompression;
    this.tls = tlsOf(cluster, user);
    const token = user?.token ?? (user ? readTokenFile(user.name, user.tokenFile) : undefined);
    if (token) this.headers.Authorization = `Bearer ${token.trim()}`;
    else if (user?.username) this.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
    if (user?.impersonateUser) this.headers['Impersonate-User'] = user.impersonateUser;
    const exec = user?.exec;
    this.exec =
      exec && !token
        ? new ExecCredentialSource(exec, { user: user.name, cluster, env: options.env ?? process.env, interactive: options.interactive })
        : undefined;
  }

  /** Exec plugin runs so far (0 without a plugin). */
  get pluginRuns(): number {
    return this.exec?.runs ?? 0;
  }

  /** Headers and TLS settings for one request (runs the exec plugin or asks the token source when needed). */
  async prepare(): Promise<Prepared> {
    const user = this.user;
    const provider = user?.authProvider?.name;
    if (this.exec) {
      const credential = await this.exec.get();
      const headers = credential.token ? { ...this.headers, Authorization: `Bearer ${credential.token}` } : this.headers;
      return { headers, tls: this.tlsWith(credential), credential };
    }
    if (provider === 'tokenFile' && !this.headers.Authorization)
      return { headers: { ...this.headers, Authorization: `Bearer ${this.inClusterToken(user!)}` }, tls: this.tls };
    if (provider && !this.headers.Authorization) {
      const tokens = user.tokenSource;
      const authorization = tokens ? `Bearer ${await accessToken(tokens)}` : await (this.legacy ??= new LegacyAuthProvider(user)).header();
      return { headers: authorization ? { ...this.headers, Authorization: authorization } : this.headers, tls: this.tls };
    }
    return { headers: this.headers, tls: this.tls };
  }

  /** The server refused a credential (401): a plugin's is dropped so the next request runs the plugin again. */
  invalidate(prepared: Prepared): boolean {
    if (!this.exec || !prepared.credential) return false;
    this.exec.invalidate(prepared.credential);
    return true;
  }

  /**
   * The in-cluster service account (client-node's `loadFromCluster` names its projected token file through an
   * auth-provider `tokenFile`): re-read every minute, as kubelet rotates it.
   */
  private inClusterToken(user: KubeUser): string {
    const file = user.authProvider?.config?.tokenFile ?? '';
    if (!this.fileToken || Date.now() - this.fileToken.readAt > 60_000) {
      this.fileToken = { token: readTokenFile(user.name, file) ?? '', readAt: Date.now() };
    }
    return this.fileToken.token;
  }

  private tlsWith(c: ExecCredential): TlsMaterial {
    if (!c.cert || !c.key) return this.tls;
    if (this.execTls?.cert !== c.cert || this.execTls.key !== c.key)
      this.execTls = { cert: c.cert, key: c.key, tls: { ...this.tls, cert: c.cert, key: c.key } };
    return this.execTls.tls;
  }
}

/** A user's tokenFile, read once per run (kubectl re-reads it each minute; a berth run is shorter than a token's life). */
function readTokenFile(user: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    throw new KubeconfigSettingError(
      `kubeconfig users["${user}"].user.tokenFile names ${file}, which cannot be read ` +
        `(${(err as { code?: string }).code ?? 'unreadable'}). ` +
        "fix: point tokenFile at the token's file (relative paths are relative to the kubeconfig's folder)",
    );
  }
}

function tlsOf(cluster: KubeCluster, user: KubeUser | null): TlsMaterial {
  const ca = material(`clusters["${cluster.name}"].cluster`, 'certificate-authority', cluster.caFile, cluster.caData);
  if (ca && cluster.skipTLSVerify) {
    throw new KubeconfigSettingError(
      `kubeconfig cluster "${cluster.name}" sets both insecure-skip-tls-verify and a certificate authority. ` +
        'fix: keep the certificate authority and remove insecure-skip-tls-verify (kubectl refuses this pair too)',
    );
  }
  const where = `users["${user?.name}"].user`;
  const cert = user ? material(where, 'client-certificate', user.certFile, user.certData) : undefined;
  const key = user ? material(where, 'client-key', user.keyFile, user.keyData) : undefined;
  if (!cert !== !key) {
    throw new KubeconfigSettingError(
      `kubeconfig ${where} has a ${cert ? 'client-certificate but no client-key' : 'client-key but no client-certificate'}. ` +
        'fix: give both client-certificate(-data) and client-key(-data), or neither',
    );
  }
  return {
    rejectUnauthorized: !cluster.skipTLSVerify,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };
}

/** A PEM from `<field>` (a file) or `<field>-data` (base64); both at once is refused, as kubectl does. */
function material(where: string, field: string, file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file && data) throw new KubeconfigSettingError(`kubeconfig ${where} sets both ${field} and ${field}-data. fix: keep one`);
  if (data) return Buffer.from(data, 'base64');
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new KubeconfigSettingError(
      `kubeconfig ${where}.${field} names ${file}, which cannot be read (${code}). ` +
        `fix: point ${field} at an existing PEM file (relative paths are relative to the kubeconfig's folder), or use ${field}-data`,
    );
  }
}

function proxyOf(cluster: KubeCluster): URL | undefined {
  if (!cluster.proxyUrl) return undefined;
  let url: URL;
  try {
    url = new URL(cluster.proxyUrl);
  } catch {
    throw new KubeconfigSettingError(`kubeconfig clusters["${cluster.name}"].cluster.proxy-url is not a URL. fix: use http://host:port`);
  }
  if (url.protocol !== 'http:') {
    throw new KubeconfigSettingError(
      `kubeconfig clusters["${cluster.name}"].cluster.proxy-url uses ${url.protocol.replace(/:$/, '')}://, ` +
        'which berth does not support. fix: use an http:// proxy (HTTP CONNECT), e.g. http://127.0.0.1:3128',
    );
  }
  return url;
}
