/**
 * berth's own kubeconfig model: the clusters, users and contexts of one (merged) kubeconfig, with file paths already
 * absolute. Loaded by kubeconfig-file.ts (kubectl's merging rules) or built in memory (a GKE endpoint, the in-cluster
 * service account). Field names follow the kubeconfig's own (`certificate-authority-data` is `caData`).
 */
import type { TokenSource } from './auth.js';

/** The kubeconfig `user.exec` block, as written in the file (`command` made absolute when it holds a `/`). */
export interface ExecConfig {
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; value: string }[] | null;
  readonly apiVersion?: string;
  readonly installHint?: string;
  readonly provideClusterInfo?: boolean;
  readonly interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  readonly config?: unknown;
}

/** A legacy `user.auth-provider` block (oidc, azure, gcp; berth's in-memory ones: Google ADC, in-cluster tokenFile). */
export interface AuthProviderConfig {
  readonly name: string;
  readonly config?: Record<string, string>;
}

export interface KubeCluster {
  readonly name: string;
  readonly server: string;
  /** certificate-authority-data (base64 PEM). */
  readonly caData?: string;
  /** certificate-authority (an absolute path). */
  readonly caFile?: string;
  /** insecure-skip-tls-verify. */
  readonly skipTLSVerify: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
  /** disable-compression: ask for uncompressed responses (client-go's field). @default false */
  readonly disableCompression?: boolean;
}

export interface KubeUser {
  readonly name: string;
  readonly token?: string;
  /** tokenFile (an absolute path), read when the connection is made. */
  readonly tokenFile?: string;
  readonly certData?: string;
  readonly certFile?: string;
  readonly keyData?: string;
  readonly keyFile?: string;
  readonly username?: string;
  readonly password?: string;
  /** `as`: the user to impersonate. */
  readonly impersonateUser?: string;
  readonly exec?: ExecConfig;
  readonly authProvider?: AuthProviderConfig;
  /** In memory only (never read from a file): OAuth tokens fetched per request (GKE with Application Default Credentials). */
  readonly tokenSource?: TokenSource;
}

export interface KubeContext {
  readonly name: string;
  readonly cluster: string;
  readonly user?: string;
  readonly namespace?: string;
}

export interface KubeconfigData {
  readonly clusters: readonly KubeCluster[];
  readonly users: readonly KubeUser[];
  readonly contexts: readonly KubeContext[];
  readonly currentContext?: string;
}

/** A loaded kubeconfig; immutable (`withContext` gives another). Names are unique: the first entry of a name wins. */
export class Kubeconfig {
  constructor(readonly data: KubeconfigData) {}

  /** One cluster and one user, joined by one context (current). */
  static of(cluster: KubeCluster, user: KubeUser, context = 'loaded-context'): Kubeconfig {
    return new Kubeconfig({
      clusters: [cluster],
      users: [user],
      contexts: [{ name: context, cluster: cluster.name, user: user.name }],
      currentContext: context,
    });
  }

  get contexts(): readonly KubeContext[] {
    return this.data.contexts;
  }

  getCurrentContext(): string | undefined {
    return this.data.currentContext;
  }

  /** The same kubeconfig with another current context (it must exist: see `contexts`). */
  withContext(name: string): Kubeconfig {
    return new Kubeconfig({ ...this.data, currentContext: name });
  }

  getCurrentContextObject(): KubeContext | null {
    return this.data.contexts.find((c) => c.name === this.data.currentContext) ?? null;
  }

  getCurrentCluster(): KubeCluster | null {
    const ctx = this.getCurrentContextObject();
    return (ctx && this.data.clusters.find((c) => c.name === ctx.cluster)) ?? null;
  }

  getCurrentUser(): KubeUser | null {
    const ctx = this.getCurrentContextObject();
    return (ctx?.user !== undefined && this.data.users.find((u) => u.name === ctx.user)) || null;
  }
}
