/**
 * Building the kubeconfig berth talks through: kubeconfig files (any cluster), the in-cluster service account, or a
 * GKE endpoint with ADC tokens. berth's own model and loader (kubeconfig-model.ts, kubeconfig-file.ts): no client-node.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isIPv6 } from 'node:net';
import { delimiter, join } from 'node:path';
import { GOOGLE_AUTH_PROVIDER, type TokenSource } from './auth.js';
import { KubeconfigContextError } from './credential-errors.js';
import type { ClusterEndpoint } from './gke.js';
import { loadKubeconfigFiles } from './kubeconfig-file.js';
import { Kubeconfig } from './kubeconfig-model.js';

export { KubeconfigContextError, KubeconfigError } from './credential-errors.js';
export { Kubeconfig } from './kubeconfig-model.js';

/** Loads a kubeconfig file (or the default: the files of $KUBECONFIG that exist, else ~/.kube/config), optionally switching context. */
export function kubeConfigFromFile(path: string | undefined, context: string | undefined): Kubeconfig {
  return kubeConfigFromFiles(path ? [path] : defaultFiles(process.env), context, path ?? 'the default kubeconfig');
}

/** Loads and merges `files` the kubectl way (first definition of a name wins), then switches to `context` if given. */
export function kubeConfigFromFiles(files: readonly string[], context: string | undefined, label: string): Kubeconfig {
  let kc = loadKubeconfigFiles(files);
  if (context) {
    if (!kc.contexts.some((c) => c.name === context)) throw new KubeconfigContextError(`context "${context}" not found in ${label}`);
    kc = kc.withContext(context);
  }
  if (!kc.getCurrentCluster()) throw new KubeconfigContextError(`no current cluster in ${label}`);
  return kc;
}

/** kubectl's default: the entries of $KUBECONFIG that exist (missing ones are skipped), else ~/.kube/config. */
export function defaultFiles(env: Readonly<Record<string, string | undefined>>): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (!listed.length) return [join(env.HOME ?? homedir(), '.kube', 'config')];
  const present = listed.filter((f) => existsSync(f));
  return present.length ? present : listed.slice(0, 1); // none exists: loading the first names it in the error
}

/** Where Kubernetes mounts a pod's service account. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The pod's own service account (what client-node's `loadFromCluster` built before): KUBERNETES_SERVICE_HOST/PORT,
 * the mounted CA, and the projected token file (re-read by connection.ts, as kubelet rotates it).
 */
export function inClusterKubeconfig(env: Readonly<Record<string, string | undefined>>, dir = SERVICE_ACCOUNT_DIR): Kubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '';
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8') : undefined;
  return new Kubeconfig({
    clusters: [{ name: 'inCluster', server: `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`, caFile: join(dir, 'ca.crt'), skipTLSVerify: false }],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } } }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser', ...(namespace ? { namespace } : {}) }],
    currentContext: 'inClusterContext',
  });
}

/** An in-memory kubeconfig for an endpoint whose bearer token comes from `tokens` on every request. */
export function kubeConfigForEndpoint(ep: ClusterEndpoint, tokens: TokenSource, name = 'berth'): Kubeconfig {
  return Kubeconfig.of(
    { name, server: ep.server, skipTLSVerify: false, ...(ep.caData ? { caData: ep.caData } : {}) },
    { name, authProvider: { name: GOOGLE_AUTH_PROVIDER }, tokenSource: tokens },
  );
}
