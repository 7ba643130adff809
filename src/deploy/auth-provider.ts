/**
 * Legacy kubeconfig `auth-provider` entries (oidc, azure, gcp) other than berth's own: their headers come from
 * client-node's public `applyToHTTPSOptions`. This is the only place berth loads @kubernetes/client-node, lazily, and
 * only for a user with such an entry (loading it costs about half a second: it pulls in the whole generated API).
 */
import type { KubeConfig as ClientNodeKubeConfig } from '@kubernetes/client-node';
import type { KubeUser } from './kubeconfig-model.js';

/** The Authorization header of one user's auth-provider, computed by client-node per request (it refreshes tokens). */
export class LegacyAuthProvider {
  private kc: Promise<ClientNodeKubeConfig> | undefined;

  constructor(private readonly user: KubeUser) {}

  async header(): Promise<string | undefined> {
    this.kc ??= clientNodeKubeConfig(this.user);
    const opts: { headers?: Record<string, unknown>; auth?: string } = { headers: {} };
    await (await this.kc).applyToHTTPSOptions(opts as Parameters<ClientNodeKubeConfig['applyToHTTPSOptions']>[0]);
    const value = opts.headers?.Authorization ?? opts.headers?.authorization;
    return typeof value === 'string' ? value : undefined;
  }
}

/**
 * client-node's KubeConfig for the user (the auth-provider object is shared: refreshed tokens stay in it). client-node
 * also builds an agent from the cluster, which berth does not use (connection.ts makes the TLS settings), so it gets a
 * placeholder cluster: its own checks would refuse what berth's path allows, such as a plain-http server.
 */
async function clientNodeKubeConfig(user: KubeUser): Promise<ClientNodeKubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser(
    { name: 'berth', server: 'https://kubernetes.invalid', skipTLSVerify: false },
    { name: user.name, authProvider: user.authProvider },
  );
  return kc;
}
