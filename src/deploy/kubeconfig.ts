/** Building the KubeConfig berth talks through: a kubeconfig file (any cluster) or a GKE endpoint with ADC tokens. */
import { KubeConfig } from '@kubernetes/client-node';
import { GOOGLE_AUTH_PROVIDER, GoogleTokenAuthenticator, type TokenSource, attachTokenSource } from './auth.js';
import type { ClusterEndpoint } from './gke.js';

/** Loads a kubeconfig file (or the default: $KUBECONFIG, ~/.kube/config), optionally switching context. */
export function kubeConfigFromFile(path: string | undefined, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new KubeconfigError(path ?? 'the default kubeconfig', err);
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new Error(`context "${context}" not found in ${path ?? 'the default kubeconfig'}`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new Error(`no current cluster in ${path ?? 'the default kubeconfig'}`);
  return kc;
}

/**
 * A kubeconfig that cannot be read or parsed (bad input: exit 2). The parser's own message quotes the file around
 * the error (a bearer token, a client key), so only its position is kept, never its text.
 */
export class KubeconfigError extends Error {
  constructor(path: string, cause: unknown) {
    const e = cause as { code?: string; path?: string; mark?: { line?: number; column?: number }; linePos?: [{ line: number; col: number }] };
    // a token-file the kubeconfig names (read while parsing) is missing, not the kubeconfig itself
    const named = e.path && e.path !== path && path !== 'the default kubeconfig' ? ` (reading ${e.path}, a file it names, e.g. a user's token-file)` : '';
    const where = e.mark?.line !== undefined ? ` (line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1})`
      : e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    const why = e.code === 'ENOENT' ? (named ? 'that file does not exist' : 'it does not exist') : e.code === 'EACCES' ? 'it is not readable' : e.code?.startsWith('E') ? `it cannot be read (${e.code})`
      : `it is not a valid kubeconfig${where}`;
    super(`cannot load kubeconfig ${path}${named}: ${why}; its contents are not shown (they may hold credentials). ` +
      'fix: check the file with "kubectl config view --kubeconfig <path>", or pass another with --kubeconfig');
    this.name = 'KubeconfigError';
  }
}

/** An in-memory kubeconfig for an endpoint whose bearer token comes from `tokens` on every request. */
export function kubeConfigForEndpoint(ep: ClusterEndpoint, tokens: TokenSource, name = 'berth'): KubeConfig {
  const kc = new KubeConfig();
  kc.addAuthenticator(new GoogleTokenAuthenticator(tokens));
  attachTokenSource(kc, tokens);
  kc.loadFromClusterAndUser(
    { name, server: ep.server, skipTLSVerify: false, ...(ep.caData ? { caData: ep.caData } : {}) },
    { name, authProvider: { name: GOOGLE_AUTH_PROVIDER, config: {} } },
  );
  return kc;
}
