/**
 * Finding and reaching the cluster a command acts on, failing fast and clearly: no kubeconfig (listing what was
 * checked and the target flags), a refused connection (at once, no retries), GKE without Application Default
 * Credentials (one line naming the gcloud command). Retries of what can recover are shown as they happen.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CommandIo } from './command.js';
import { UsageError } from './flags.js';
import { GOOGLE_SCOPES } from '../deploy/auth.js';
import { KubeApiError, KubeClient, shownServer } from '../deploy/client.js';
import { type EndpointMode, findCluster } from '../deploy/gke.js';
import { type Kubeconfig, SERVICE_ACCOUNT_DIR, inClusterKubeconfig, kubeConfigForEndpoint, kubeConfigFromFiles } from '../deploy/kubeconfig.js';

export interface TargetFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly project?: string;
  readonly location?: string;
  readonly cluster?: string;
  readonly endpoint?: string;
  readonly concurrency?: string;
}

const TARGET_FLAGS = 'pass --kubeconfig PATH [--context NAME] for any cluster, or --project P --location L --cluster C for GKE';
const IN_CLUSTER_TOKEN = `${SERVICE_ACCOUNT_DIR}/token`;
export const ADC_HINT =
  'no Google Application Default Credentials: run "gcloud auth application-default login" ' +
  '(or set GOOGLE_APPLICATION_CREDENTIALS to a key or workload identity federation file)';

/** No cluster to talk to (bad input, exit 2): names what was checked and the flags that choose a target. */
export class NoTargetError extends UsageError {}

/** The KubeConfig of `--kubeconfig/--context`, else $KUBECONFIG, ~/.kube/config or the in-cluster service account. */
export function localKubeConfig(flags: TargetFlags, env: CommandIo['env']): Kubeconfig {
  if (flags.kubeconfig) return kubeConfigFromFiles([flags.kubeconfig], flags.context, flags.kubeconfig);
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const candidates = listed.length ? listed : [join(env.HOME ?? homedir(), '.kube', 'config')];
  const present = candidates.filter((f) => existsSync(f));
  if (present.length === 1) return kubeConfigFromFiles(present, flags.context, present[0]);
  // merged the kubectl way (missing entries skipped)
  if (present.length > 1) return kubeConfigFromFiles(present, flags.context, `$KUBECONFIG (${present.join(delimiter)})`);
  if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) return inClusterKubeconfig(env);
  const checked = [
    listed.length ? `$KUBECONFIG=${listed.join(delimiter)} (${listed.length > 1 ? 'none exists' : 'does not exist'})` : '$KUBECONFIG (not set)',
    ...(listed.length ? [] : [`${candidates[0]} (does not exist)`]),
    `in-cluster service account (${env.KUBERNETES_SERVICE_HOST ? `${IN_CLUSTER_TOKEN} does not exist` : 'KUBERNETES_SERVICE_HOST not set'})`,
  ];
  throw new NoTargetError(`no cluster to talk to: no kubeconfig found. Checked: ${checked.join('; ')}. fix: ${TARGET_FLAGS}`);
}

/** Whether Application Default Credentials can exist here (a file, or the metadata server of Google Cloud). */
function hasAdc(env: CommandIo['env']): boolean {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return true;
  const config = env.CLOUDSDK_CONFIG ?? join(env.HOME ?? homedir(), '.config', 'gcloud');
  if (existsSync(join(config, 'application_default_credentials.json'))) return true;
  if (env.GCE_METADATA_HOST || env.GCE_METADATA_IP || env.BERTH_GKE_API_ENDPOINT) return true;
  try {
    return /Google/.test(readFileSync('/sys/class/dmi/id/product_name', 'utf8'));
  } catch {
    return false;
  }
}

/** The GKE cluster's endpoint with ADC tokens; credential problems become one line, never a stack trace. */
export async function gkeKubeConfig(flags: TargetFlags, env: CommandIo['env']): Promise<{ kc: Kubeconfig; target: string }> {
  if (![flags.project, flags.location, flags.cluster].every(Boolean)) throw new UsageError('--project, --location and --cluster go together');
  if (flags.kubeconfig || flags.context) throw new UsageError('use either --kubeconfig/--context or --project/--location/--cluster');
  if (flags.endpoint && !['public', 'private', 'dns'].includes(flags.endpoint)) throw new UsageError('--endpoint must be public, private or dns');
  if (!hasAdc(env)) throw new KubeApiError(ADC_HINT, 401, 'Unauthorized');
  const keyFilename = env.GOOGLE_APPLICATION_CREDENTIALS;
  // loaded only for GKE targets: google-auth-library is not needed to reach a cluster from a kubeconfig
  const { GoogleAuth } = await import('google-auth-library');
  const auth = new GoogleAuth({ scopes: GOOGLE_SCOPES, ...(keyFilename ? { keyFilename } : {}) });
  const where = { project: flags.project!, location: flags.location!, cluster: flags.cluster! };
  const ep = await findCluster(where, { auth, ...apiEndpoint(env.BERTH_GKE_API_ENDPOINT) }, flags.endpoint as EndpointMode | undefined).catch(
    (err: unknown) => {
      if (/default credentials|Could not load the default|invalid_grant|reauth/i.test((err as Error).message))
        throw new KubeApiError(ADC_HINT, 401, 'Unauthorized');
      throw err;
    },
  );
  return {
    kc: kubeConfigForEndpoint(ep, auth, `gke_${flags.project}_${flags.location}_${flags.cluster}`),
    target: `GKE ${flags.project}/${flags.location}/${flags.cluster} (${ep.mode} endpoint ${ep.server})`,
  };
}

/** `BERTH_GKE_API_ENDPOINT=https://host[:port]`: another Cluster Manager API endpoint (Private Service Connect, tests). */
function apiEndpoint(url: string | undefined): { apiEndpoint?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!url) return {};
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { apiEndpoint: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/** A client for the command's target; the API server is asked once first, so a refused connection fails at once. */
export async function connect(flags: TargetFlags, io: CommandIo, timeoutMs?: number): Promise<{ client: KubeClient; target: string }> {
  // every request (connect and answer, retries included) is bounded by --timeout where the command has one
  const bounds = timeoutMs === undefined ? {} : { timeoutMs: Math.min(60_000, timeoutMs), deadlineMs: timeoutMs };
  const concurrency = Number(flags.concurrency ?? '16');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  const gke = [flags.project, flags.location, flags.cluster].some(Boolean);
  const { kc, target } = gke ? await gkeKubeConfig(flags, io.env) : local(flags, io.env);
  const onRetry = (r: { method: string; path: string; attempt: number; delayMs: number; reason: string }) =>
    io.stderr.write(`berth: ${r.reason} on ${r.method} ${r.path}; retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)}s\n`);
  const client = new KubeClient(kc, { concurrency: concurrency * 2, signal: io.signal, onRetry, env: io.env, interactive: !!process.stdin.isTTY, ...bounds });
  try {
    await probe(client);
  } catch (err) {
    client.close();
    throw err;
  }
  return { client, target };
}

function local(flags: TargetFlags, env: CommandIo['env']): { kc: Kubeconfig; target: string } {
  const kc = localKubeConfig(flags, env);
  return { kc, target: `${shownServer(kc.getCurrentCluster()!.server)} (context ${kc.getCurrentContext()})` };
}

/** One GET /version: refused or silent servers fail now; what can recover (reset, 5xx, 429) is retried, each retry shown. */
async function probe(client: KubeClient): Promise<void> {
  try {
    await client.request({ method: 'GET', path: '/version', maxAttempts: 1 });
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err; // no request went out: a credential plugin failed, a kubeconfig file is unreadable
    if (err.status !== 0) return; // it answered: reachable (auth is checked by the real requests)
    if (/ECONNREFUSED/.test(err.message)) {
      throw new KubeApiError(
        `cannot reach the Kubernetes API at ${shownServer(client.server)}: connection refused, nothing listens there ` +
          '(is the cluster running, and is this the right context?); not retried',
        0,
        'Unreachable',
      );
    }
    await client.request({ method: 'GET', path: '/version' }).catch((again: unknown) => {
      if (again instanceof KubeApiError && again.status !== 0) return;
      throw again;
    });
  }
}
