/** Building the KubeConfig berth talks through: a kubeconfig file (any cluster) or a GKE endpoint with ADC tokens. */
import { KubeConfig } from '@kubernetes/client-node';
import { GOOGLE_AUTH_PROVIDER, GoogleTokenAuthenticator, type TokenSource } from './auth.js';
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
      throw new KubeconfigContextError(`context "${context}" not found in ${path ?? 'the default kubeconfig'}`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new KubeconfigContextError(`no current cluster in ${path ?? 'the default kubeconfig'}`);
  return kc;
}

/**
 * A kubeconfig that cannot be read or parsed (bad input: exit 2). The parser's own message quotes the file around
 * the error (a bearer token, a client key), so only its position is kept, never its text.
 */
export class KubeconfigError extends Error {
  constructor(path: string, cause: unknown) {
    const e = cause as { code?: string; mark?: { line?: number; column?: number }; linePos?: [{ line: number; col: number }] };
    const where = e.mark?.line !== undefined ? ` (line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1})`
      : e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    const why = e.code === 'ENOENT' ? 'it does not exist' : e.code === 'EACCES' ? 'it is not readable' : e.code?.startsWith('E') ? `it cannot be read (${e.code})`
      : `it is not a valid kubeconfig${where}`;
    super(`cannot load kubeconfig ${path}: ${why}; its contents are not shown (they may hold credentials). ` +
      'fix: check the file with "kubectl config view --kubeconfig <path>", or pass another with --kubeconfig');
    this.name = 'KubeconfigError';
  }
}

/** The kubeconfig loads but does not name a usable cluster: no such `--context`, or no current cluster (bad input: exit 2). */
export class KubeconfigContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigContextError';
  }
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
