// A real, local Kubernetes control plane for berth's e2e tests, without Docker:
// etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok (fake GKE nodes),
// all on 127.0.0.1 with random free ports and a throwaway state dir (<repo>/.cluster).
//
//   const state = await up();      // idempotent; concurrent callers share one cluster (lock file)
//   readState();                    // state of a running cluster, or undefined
//   await stopApiServer(); await startApiServer();   // restart kube-apiserver on the same port/data
//   await down();                   // stops every process it started (by PID) and removes the state
//
// The parts, by concern: state.ts (recorded state, constants), binaries.ts (finding/building the binaries),
// pki.ts (tokens, keys), components.ts (each process and its flags), processes.ts (supervision, reaper),
// readiness.ts (HTTP, waits, kubectl), kubeconfig.ts, nodes.ts (kwok nodes, GKE CRDs), lock.ts.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureBinaries, findRepoRoot, pinnedVersions, type BinPaths } from './binaries.js';
import { apiserverArgs, startControllers, startEtcd, startKubeApiServer, startKwok } from './components.js';
import { writeKubeconfigs } from './kubeconfig.js';
import { withLock } from './lock.js';
import { nodeNames, simulateGke, writeKwokStages } from './nodes.js';
import { type Credentials, writeCredentials } from './pki.js';
import { alive, logTail, processesUsing, runsIn, startReaper, stopPids } from './processes.js';
import { isLive, kubectl, waitFor } from './readiness.js';
import { type ClusterState, type Component, COMPONENTS, SERVICE_CIDR, log, readState, recordedPids, sleep, stateDirOf, writeState } from './state.js';

export { type ClusterState, type Component, NODE_ALLOCATABLE, NODE_ZONES, SERVICE_CIDR, readState, sharedDir, stateDirOf } from './state.js';
export { logTail } from './processes.js';
export { isLive, kubectl } from './readiness.js';
export { nodeNames } from './nodes.js';

export interface UpOptions {
  owner?: string;
  /** Also kill the cluster when this PID dies (used by the jest global setup). */
  reapWithPid?: number;
}

/** Starts the cluster, or returns the running one. Idempotent and safe to call concurrently. */
export async function up(opts: UpOptions = {}): Promise<ClusterState> {
  const repoRoot = findRepoRoot();
  return withLock(repoRoot, async () => {
    const existing = readState(repoRoot);
    if (await isLive(existing)) {
      log(`cluster already running at ${existing!.server} (kubeconfig ${existing!.kubeconfig})`);
      return existing!;
    }
    const stateDir = stateDirOf(repoRoot);
    await cleanup(stateDir, existing ? 'leftovers of a dead cluster' : 'orphans');
    const bins = await ensureBinaries(repoRoot);
    const started = Date.now();
    try {
      const state = await start(repoRoot, stateDir, bins, opts.owner ?? 'cli');
      if (opts.reapWithPid) startReaper(stateDir, opts.reapWithPid);
      log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s: ${state.server}`);
      log(`kubeconfig: ${state.kubeconfig}   (export KUBECONFIG=${state.kubeconfig})`);
      return state;
    } catch (e) {
      for (const c of COMPONENTS) log(`---- ${c} log tail ----\n${logTail(stateDir, c, 15)}`);
      await cleanup(stateDir, 'the failed start');
      throw e;
    }
  });
}

/** Stops what a (live or dead) cluster in `stateDir` left running, clients first, and removes the folder. */
async function cleanup(stateDir: string, what: string): Promise<void> {
  const recorded = recordedPids(stateDir);
  const ours = (pid: number | undefined): pid is number => runsIn(pid, stateDir);
  // Clients first, etcd last: kube-apiserver hangs in shutdown once etcd is gone.
  const order: Component[][] = [['kwok', 'kube-scheduler', 'kube-controller-manager'], ['kube-apiserver'], ['etcd']];
  for (const group of order) {
    const pids = group.map((c) => recorded[c]).filter(ours);
    if (pids.length > 0) await stopPids(pids, `${what}: ${group.filter((c) => ours(recorded[c])).join(', ')}`, 5_000);
  }
  const stray = processesUsing(stateDir);
  if (stray.length > 0) await stopPids(stray, `${what}: processes using ${stateDir}`);
  if (existsSync(stateDir)) {
    log(`removing ${stateDir}`);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>();
  while (out.size < n) out.add(await freePort());
  return [...out];
}

/** The state of a cluster about to start in `stateDir`: ports, paths, credentials; no PIDs yet. */
async function initialState(repoRoot: string, stateDir: string, bins: BinPaths, owner: string, creds: Credentials): Promise<ClusterState> {
  const [etcd, etcdPeer, apiserver, controllerManager, scheduler] = (await freePorts(5)) as [number, number, number, number, number];
  return {
    owner,
    repoRoot,
    stateDir,
    dataDir: join(stateDir, 'data'),
    logDir: join(stateDir, 'logs'),
    server: `https://127.0.0.1:${apiserver}`,
    caFile: join(creds.pki, 'apiserver.crt'),
    caData: '',
    token: creds.token,
    kubeconfig: join(stateDir, 'kubeconfig'),
    limitedToken: creds.limitedToken,
    limitedKubeconfig: join(stateDir, 'limited.kubeconfig'),
    serviceCIDR: SERVICE_CIDR,
    ports: { etcd, etcdPeer, apiserver, controllerManager, scheduler },
    pids: {},
    binDir: bins.dir,
    kubectl: bins.kubectl,
    versions: pinnedVersions(repoRoot),
    apiserverArgs: [],
    nodes: nodeNames(),
    startedAt: new Date().toISOString(),
  };
}

async function start(repoRoot: string, stateDir: string, bins: BinPaths, owner: string): Promise<ClusterState> {
  const dataDir = join(stateDir, 'data');
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  const creds = writeCredentials(dataDir);
  const state = await initialState(repoRoot, stateDir, bins, owner, creds);
  writeState(state); // PIDs are recorded as they start, so a crash mid-way can still be cleaned up
  await startEtcd(state, bins.etcd);
  state.apiserverArgs = apiserverArgs(state, creds);
  await startKubeApiServer(state, bins['kube-apiserver'], 180_000);
  writeKubeconfigs(state);
  writeState(state);
  log(`kube-apiserver ready at ${state.server} (service CIDR ${SERVICE_CIDR}, token auth, RBAC, PodSecurity)`);
  startControllers(state, bins, creds);
  startKwok(state, bins.kwok, writeKwokStages(repoRoot, dataDir));
  await simulateGke(state);
  // kube-controller-manager is working once it created the default ServiceAccount.
  await waitFor(
    'the default ServiceAccount (kube-controller-manager)',
    async () => (await kubectl(state, ['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name'])).trim() !== '',
    { timeoutMs: 120_000, pid: state.pids['kube-controller-manager'], stateDir, component: 'kube-controller-manager' },
  );
  for (const c of COMPONENTS) {
    if (!alive(state.pids[c])) throw new Error(`${c} exited during startup:\n${logTail(stateDir, c)}`);
  }
  writeState(state);
  return state;
}

/** Stops every process of the cluster (by PID) and removes <repo>/.cluster. Idempotent. */
export async function down(): Promise<void> {
  const repoRoot = findRepoRoot();
  await withLock(repoRoot, async () => {
    const stateDir = stateDirOf(repoRoot);
    if (!existsSync(stateDir) && processesUsing(stateDir).length === 0) {
      log('no cluster running; nothing to do');
      return;
    }
    await cleanup(stateDir, 'cluster processes');
    log('cluster down');
  });
}

function requireState(): ClusterState {
  const state = readState(findRepoRoot());
  if (!state) throw new Error('no cluster state; call up() first');
  return state;
}

/** Stops kube-apiserver only (etcd and data stay), e.g. to test a control plane that goes away mid-apply. */
export async function stopApiServer(): Promise<void> {
  const state = requireState();
  const pid = state.pids['kube-apiserver'];
  // it drains requests within ~1s, then may linger ~15s in shutdown hooks; the data is in etcd, so 5s grace
  if (alive(pid)) await stopPids([pid], 'kube-apiserver', 5_000);
  delete state.pids['kube-apiserver'];
  writeState(state);
}

/** Starts kube-apiserver again on the same port with the same data, certificates and tokens. */
export async function startApiServer(): Promise<ClusterState> {
  const state = requireState();
  if (alive(state.pids['kube-apiserver'])) return state;
  const bin = join(state.binDir, 'kube-apiserver');
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await startKubeApiServer(state, bin, 120_000);
      return state;
    } catch (e) {
      lastErr = e; // e.g. the port still in TIME_WAIT; try again
      await stopPids([state.pids['kube-apiserver']!], 'kube-apiserver');
      await sleep(1000);
    }
  }
  throw lastErr;
}
