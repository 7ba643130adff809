/** Building the KubeConfig berth talks through: a kubeconfig file (any cluster) or a GKE endpoint with ADC tokens. */
import { KubeConfig } from '@kubernetes/client-node';
import { GOOGLE_AUTH_PROVIDER, GoogleTokenAuthenticator, type TokenSource } from './auth.js';
import type { ClusterEndpoint } from './gke.js';

/** Loads a kubeconfig file (or the default: $KUBECONFIG, ~/.kube/config), optionally switching context. */
export function kubeConfigFromFile(path: string | undefined, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new Error(`context "${context}" not found in ${path ?? 'the default kubeconfig'}`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new Error(`no current cluster in ${path ?? 'the default kubeconfig'}`);
  return kc;
}

/** An in-memory kubeconfig for an endpoint whose bearer token comes from `tokens` on every request. */
export function kubeConfigForEndpoint(ep: ClusterEndpoint, tokens: TokenSource, name = 'berth'): KubeConfig {
  const kc = new KubeConfig();
  kc.addAuthenticator(new GoogleTokenAuthenticator(tokens));
  kc.loadFromClusterAndUser(
    { name, server: ep.server, skipTLSVerify: false, ...(ep.caData ? { caData: ep.caData } : {}) },
    { name, authProvider: { name: GOOGLE_AUTH_PROVIDER, config: {} } },
  );
  return kc;
}
