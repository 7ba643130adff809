// A real, local Kubernetes control plane for berth's e2e tests, without Docker:
// etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok (fake GKE nodes),
// all on 127.0.0.1 with random free ports and a throwaway state dir (<repo>/.cluster).
//
//   const state = await up();      // idempotent; concurrent callers share one cluster (lock file)
//   readState();                    // state of a running cluster, or undefined
//   await stopApiServer(); await startApiServer();   // restart kube-apiserver on the same port/data
//   await down();                   // stops every process it started (by PID) and removes the state
import { execFile, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureBinaries, findRepoRoot, pinnedVersions, type BinPaths } from './binaries.js';
import { ensureClientCa } from './client-ca.js';

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
const COMPONENTS: Component[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

export interface ClusterState {
  /** Who started it: 'cli' (npm run cluster:up) or 'jest' (e2e global setup); informational. */
  owner: string;
  repoRoot: string;
  /** <repo>/.cluster: everything below is throwaway. */
  stateDir: string;
  /** etcd data, certificates, tokens: the throwaway data dir. */
  dataDir: string;
  logDir: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM bundle that signs the apiserver's serving certificate (pin it, never skip TLS verification). */
  caFile: string;
  /** base64 of caFile's PEM, as in a kubeconfig's certificate-authority-data. */
  caData: string;
  /** Bearer token of user `berth-admin` in group system:masters. */
  token: string;
  /** kubeconfig for `token`: <repo>/.cluster/kubeconfig */
  kubeconfig: string;
  /** Bearer token of user `berth-limited` (group berth:limited): RBAC `view` only, so writes get 403. */
  limitedToken: string;
  limitedKubeconfig: string;
  serviceCIDR: string;
  ports: { etcd: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number };
  pids: Partial<Record<Component, number>>;
  binDir: string;
  /** kubectl matching the apiserver's version. */
  kubectl: string;
  versions: { kubernetes: string; etcd: string; kwok: string };
  apiserverArgs: string[];
  nodes: string[];
  startedAt: string;
}

/** Node shape: GKE e2-standard-4 (4 vCPU, 16 GB) allocatable, one per zone. */
export const NODE_ZONES = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];
export const NODE_ALLOCATABLE = { cpu: '3920m', memory: '13335580Ki', pods: '110', 'ephemeral-storage': '47060071478' };
export const SERVICE_CIDR = '10.96.0.0/16';

const log = (msg: string): void => {
  process.stderr.write(`[cluster] ${msg}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function stateDirOf(repoRoot = findRepoRoot()): string {
  return join(repoRoot, '.cluster');
}
function stateFile(repoRoot = findRepoRoot()): string {
  return join(stateDirOf(repoRoot), 'state.json');
}

/** State of the cluster recorded in <repo>/.cluster/state.json (it may be dead; see isLive). */
export function readState(repoRoot = findRepoRoot()): ClusterState | undefined {
  try {
    const s = JSON.parse(readFileSync(stateFile(repoRoot), 'utf8')) as Partial<ClusterState>;
    return s.server && s.token ? (s as ClusterState) : undefined;
  } catch {
    return undefined;
  }
}
function writeState(state: Partial<ClusterState> & { stateDir: string }): void {
  writeFileSync(join(state.stateDir, 'state.json'), JSON.stringify(state, null, 2) + '\n');
}

// ---------------------------------------------------------------- processes

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}
function alive(pid: number | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = (() => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return '';
    }
  })();
  return !/^\d+ \(.*\) Z /.test(stat); // zombies are dead
}
/** PIDs of processes whose command line points into this cluster's state dir (ours, and only ours). */
function processesUsing(stateDir: string): number[] {
  const marker = stateDir + '/';
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (cmdlineOf(pid)?.includes(marker)) out.push(pid);
  }
  return out;
}
async function stopPids(pids: number[], what: string, graceMs = 15_000): Promise<void> {
  const live = pids.filter(alive);
  if (live.length === 0) return;
  log(`stopping ${what}: pid ${live.join(', ')}`);
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && live.some(alive)) await sleep(100);
  for (const pid of live.filter(alive)) {
    log(`pid ${pid} still running ${graceMs / 1000}s after SIGTERM; sending SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  while (live.some(alive)) await sleep(50);
}

function spawnComponent(stateDir: string, name: Component, bin: string, args: string[]): number {
  const logDir = join(stateDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const fd = openSync(join(logDir, `${name}.log`), 'a');
  // detached: own process group, so the cluster outlives `npm run cluster:up` and Ctrl-C of a test run;
  // down() (or the reaper of a jest-owned cluster) stops it by PID.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  if (!child.pid) throw new Error(`cannot start ${bin}`);
  log(`started ${name} (pid ${child.pid})`);
  return child.pid;
}

export function logTail(stateDir: string, name: string, lines = 30): string {
  try {
    const text = readFileSync(join(stateDir, 'logs', `${name}.log`), 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------- ports, http

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

interface HttpResult {
  status: number;
  body: string;
}
function get(url: string, opts: { ca?: string; token?: string } = {}): Promise<HttpResult> {
  return new Promise((res, rej) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: 'GET',
        timeout: 5000,
        ...(opts.ca ? { ca: opts.ca } : {}),
        headers: opts.token ? { Authorization: `Bearer ${opts.token}` } : {},
      },
      (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', rej);
    req.end();
  });
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; pid?: number; stateDir: string; component?: string },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (opts.pid !== undefined && !alive(opts.pid)) {
      throw new Error(`${opts.component} exited while waiting for ${what}:\n${logTail(opts.stateDir, opts.component ?? '')}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    await sleep(250);
  }
  throw new Error(
    `timed out waiting for ${what}${lastErr ? ` (${lastErr})` : ''}` +
      (opts.component ? `:\n${logTail(opts.stateDir, opts.component)}` : ''),
  );
}

async function apiserverReady(state: Pick<ClusterState, 'server' | 'caFile' | 'token'>): Promise<boolean> {
  if (!existsSync(state.caFile)) return false;
  const r = await get(`${state.server}/readyz`, { ca: readFileSync(state.caFile, 'utf8'), token: state.token });
  return r.status === 200 && r.body.trim() === 'ok';
}

/** True if every recorded process runs and kube-apiserver answers /readyz. */
export async function isLive(state: ClusterState | undefined): Promise<boolean> {
  if (!state) return false;
  for (const c of COMPONENTS) {
    const pid = state.pids[c];
    if (!alive(pid) || !cmdlineOf(pid)?.includes(state.stateDir + '/')) return false;
  }
  try {
    return await apiserverReady(state);
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((res, rej) => {
    const child = execFile(
      cmd,
      args,
      { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? rej(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : res(stdout)),
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs the cluster's own kubectl (same version as the apiserver) with the admin kubeconfig. */
export function kubectl(state: ClusterState, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  return run(state.kubectl, ['--kubeconfig', state.kubeconfig, ...args], opts);
}

// ---------------------------------------------------------------- lock

function lockPath(repoRoot: string): string {
  return join(tmpdir(), `berth-cluster-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`);
}
async function withLock<T>(repoRoot: string, fn: () => Promise<T>): Promise<T> {
  const path = lockPath(repoRoot);
  const deadline = Date.now() + 60 * 60_000; // a cold build can take a while
  let told = false;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(path, 'utf8').trim() || '0');
      if (holder && !alive(holder)) {
        rmSync(path, { force: true }); // stale lock of a crashed run
        continue;
      }
      if (holder === process.pid) break; // re-entrant
      if (!told) log(`waiting for another cluster operation (pid ${holder}, lock ${path})`);
      told = true;
      if (Date.now() > deadline) throw new Error(`lock ${path} held by pid ${holder} for too long`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
    } catch {
      /* already gone */
    }
  }
}

// ---------------------------------------------------------------- config files

function kubeconfigYaml(server: string, caData: string, user: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: berth-local
  cluster:
    server: ${server}
    certificate-authority-data: ${caData}
users:
- name: ${user}
  user:
    token: ${token}
contexts:
- name: berth-local
  context:
    cluster: berth-local
    user: ${user}
current-context: berth-local
`;
}

export function nodeNames(): string[] {
  return NODE_ZONES.map((z) => `gke-berth-default-pool-${z.slice(-1)}-0`);
}

function nodesYaml(): string {
  return NODE_ZONES.map((zone, i) => {
    const name = nodeNames()[i];
    return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    beta.kubernetes.io/os: linux
    beta.kubernetes.io/arch: amd64
    node.kubernetes.io/instance-type: e2-standard-4
    topology.kubernetes.io/region: europe-west1
    topology.kubernetes.io/zone: ${zone}
    cloud.google.com/gke-nodepool: default-pool
    cloud.google.com/machine-family: e2
    type: kwok
spec: {}
status:
  capacity:
    cpu: "4"
    memory: 16393220Ki
    pods: "110"
    ephemeral-storage: 98831908Ki
  allocatable:
${Object.entries(NODE_ALLOCATABLE)
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join('\n')}
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    osImage: Container-Optimized OS from Google
`;
  }).join('---\n');
}

const LIMITED_RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: berth-limited-view
subjects:
- kind: Group
  apiGroup: rbac.authorization.k8s.io
  name: berth:limited
roleRef:
  kind: ClusterRole
  apiGroup: rbac.authorization.k8s.io
  name: view
`;

export function sharedDir(repoRoot: string): string {
  return process.env.BERTH_SHARED_DIR ?? resolve(repoRoot, '../shared');
}

// ---------------------------------------------------------------- up / down

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
      for (const c of COMPONENTS) {
        log(`---- ${c} log tail ----\n${logTail(stateDir, c, 15)}`);
      }
      await cleanup(stateDir, 'the failed start');
      throw e;
    }
  });
}

async function cleanup(stateDir: string, what: string): Promise<void> {
  const recorded = ((): Partial<Record<Component, number>> => {
    try {
      return (JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as ClusterState).pids ?? {};
    } catch {
      return {};
    }
  })();
  const ours = (pid: number | undefined): pid is number => alive(pid) && !!cmdlineOf(pid)?.includes(stateDir + '/');
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

async function start(repoRoot: string, stateDir: string, bins: BinPaths, owner: string): Promise<ClusterState> {
  const dataDir = join(stateDir, 'data');
  const pki = join(dataDir, 'pki');
  mkdirSync(pki, { recursive: true });
  mkdirSync(join(stateDir, 'logs'), { recursive: true });
  const [etcdPort, etcdPeer, apiPort, kcmPort, schedPort] = await freePorts(5) as [number, number, number, number, number];
  const token = randomBytes(24).toString('hex');
  const limitedToken = randomBytes(24).toString('hex');
  const tokens = join(dataDir, 'tokens.csv');
  writeFileSync(
    tokens,
    `${token},berth-admin,berth-admin,"system:masters"\n${limitedToken},berth-limited,berth-limited,"berth:limited"\n`,
    { mode: 0o600 },
  );
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  writeFileSync(join(pki, 'sa.key'), privateKey, { mode: 0o600 });
  writeFileSync(join(pki, 'sa.pub'), publicKey);

  const server = `https://127.0.0.1:${apiPort}`;
  const caFile = join(pki, 'apiserver.crt');
  const kubeconfig = join(stateDir, 'kubeconfig');
  const state: ClusterState = {
    owner,
    repoRoot,
    stateDir,
    dataDir,
    logDir: join(stateDir, 'logs'),
    server,
    caFile,
    caData: '',
    token,
    kubeconfig,
    limitedToken,
    limitedKubeconfig: join(stateDir, 'limited.kubeconfig'),
    serviceCIDR: SERVICE_CIDR,
    ports: { etcd: etcdPort, etcdPeer, apiserver: apiPort, controllerManager: kcmPort, scheduler: schedPort },
    pids: {},
    binDir: bins.dir,
    kubectl: bins.kubectl,
    versions: pinnedVersions(repoRoot),
    apiserverArgs: [],
    nodes: nodeNames(),
    startedAt: new Date().toISOString(),
  };
  writeState(state); // PIDs are recorded as they start, so a crash mid-way can still be cleaned up

  // etcd
  state.pids.etcd = spawnComponent(stateDir, 'etcd', bins.etcd, [
    '--name=berth',
    `--data-dir=${join(dataDir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=berth=http://127.0.0.1:${etcdPeer}`,
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=4294967296',
    '--log-level=warn',
  ]);
  writeState(state);
  await waitFor('etcd /health', async () => (await get(`http://127.0.0.1:${etcdPort}/health`)).body.includes('"true"'), {
    timeoutMs: 60_000,
    pid: state.pids.etcd,
    stateDir,
    component: 'etcd',
  });
  log(`etcd ready on 127.0.0.1:${etcdPort}`);

  // kube-apiserver: self-signs its serving cert into --cert-dir (apiserver.crt = cert + its CA); we pin that CA.
  state.apiserverArgs = [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--cert-dir=${pki}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    `--token-auth-file=${tokens}`,
    ...clientCaArgs(pki), // client certificates signed by pki/client-ca.crt (test/cluster/client-ca.ts)
    `--service-account-issuer=${server}/`,
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    '--enable-admission-plugins=PodSecurity', // on by default; stated because tests rely on it
    '--profiling=false',
    '--v=1',
  ];
  state.pids['kube-apiserver'] = spawnComponent(stateDir, 'kube-apiserver', bins['kube-apiserver'], state.apiserverArgs);
  writeState(state);
  await waitFor('kube-apiserver /readyz', () => apiserverReady(state), {
    timeoutMs: 180_000,
    pid: state.pids['kube-apiserver'],
    stateDir,
    component: 'kube-apiserver',
  });
  state.caData = Buffer.from(readFileSync(caFile)).toString('base64');
  writeFileSync(kubeconfig, kubeconfigYaml(server, state.caData, 'berth-admin', token), { mode: 0o600 });
  writeFileSync(state.limitedKubeconfig, kubeconfigYaml(server, state.caData, 'berth-limited', limitedToken), { mode: 0o600 });
  writeState(state);
  log(`kube-apiserver ready at ${server} (service CIDR ${SERVICE_CIDR}, token auth, RBAC, PodSecurity)`);

  // controllers (token user in system:masters)
  state.pids['kube-controller-manager'] = spawnComponent(stateDir, 'kube-controller-manager', bins['kube-controller-manager'], [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${kcmPort}`,
    `--service-account-private-key-file=${join(pki, 'sa.key')}`,
    `--root-ca-file=${caFile}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // kwok heartbeats every 20-25s; be lenient on a loaded 2-core CI box so nodes never flap NotReady
    '--node-monitor-grace-period=5m',
    '--v=1',
  ]);
  writeState(state);
  state.pids['kube-scheduler'] = spawnComponent(stateDir, 'kube-scheduler', bins['kube-scheduler'], [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${schedPort}`,
    '--v=1',
  ]);
  writeState(state);
  const stagesFile = join(dataDir, 'kwok-stages.yaml');
  const stagesDir = join(repoRoot, 'test', 'cluster', 'stages');
  writeFileSync(
    stagesFile,
    readdirSync(stagesDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => readFileSync(join(stagesDir, f), 'utf8').trim())
      .join('\n---\n') + '\n',
  );
  state.pids.kwok = spawnComponent(stateDir, 'kwok', bins.kwok, [
    `--kubeconfig=${kubeconfig}`,
    `--config=${stagesFile}`,
    '--manage-all-nodes=true',
    '--cidr=10.64.0.0/14',
    '--node-ip=10.128.0.10',
    '--node-lease-duration-seconds=0',
  ]);
  writeState(state);

  // Simulated GKE nodes, GKE CRDs, a read-only user.
  log(`registering ${NODE_ZONES.length} kwok nodes (e2-standard-4 allocatable: ${JSON.stringify(NODE_ALLOCATABLE)}) in ${NODE_ZONES.join(', ')}`);
  await kubectl(state, ['create', '-f', '-'], { input: nodesYaml() });
  const crds = join(sharedDir(repoRoot), 'crds', 'gke');
  log(`installing GKE CRDs from ${crds}`);
  await kubectl(state, ['apply', '--server-side', '--field-manager=berth-cluster', '-f', crds]);
  await kubectl(state, ['apply', '--server-side', '--field-manager=berth-cluster', '-f', '-'], { input: LIMITED_RBAC });
  await kubectl(state, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s'], { timeoutMs: 130_000 });
  await kubectl(state, ['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s'], { timeoutMs: 130_000 }).catch(
    (e: Error) => {
      throw new Error(`${e.message}\n---- kwok log ----\n${logTail(stateDir, 'kwok')}`);
    },
  );
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

/** Stops kube-apiserver only (etcd and data stay), e.g. to test a control plane that goes away mid-apply. */
export async function stopApiServer(): Promise<void> {
  const repoRoot = findRepoRoot();
  const state = readState(repoRoot);
  if (!state) throw new Error('no cluster state; call up() first');
  const pid = state.pids['kube-apiserver'];
  // it drains requests within ~1s, then may linger ~15s in shutdown hooks; the data is in etcd, so 5s grace
  if (alive(pid)) await stopPids([pid], 'kube-apiserver', 5_000);
  delete state.pids['kube-apiserver'];
  writeState(state);
}

/** Starts kube-apiserver again on the same port with the same data, certificates and tokens. */
export async function startApiServer(): Promise<ClusterState> {
  const repoRoot = findRepoRoot();
  const state = readState(repoRoot);
  if (!state) throw new Error('no cluster state; call up() first');
  if (alive(state.pids['kube-apiserver'])) return state;
  const bin = join(state.binDir, 'kube-apiserver');
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const pid = spawnComponent(state.stateDir, 'kube-apiserver', bin, state.apiserverArgs);
    state.pids['kube-apiserver'] = pid;
    writeState(state);
    try {
      await waitFor('kube-apiserver /readyz', () => apiserverReady(state), {
        timeoutMs: 120_000,
        pid,
        stateDir: state.stateDir,
        component: 'kube-apiserver',
      });
      return state;
    } catch (e) {
      lastErr = e; // e.g. the port still in TIME_WAIT; try again
      await stopPids([pid], 'kube-apiserver');
      await sleep(1000);
    }
  }
  throw lastErr;
}

// ---------------------------------------------------------------- reaper

/**
 * A tiny detached watchdog: when `ownerPid` dies (e.g. jest crashed or was killed), it stops every
 * process whose command line points into the state dir and removes it, so no orphans survive.
 * It exits on its own once the state dir is gone (normal down()).
 */
function startReaper(stateDir: string, ownerPid: number): void {
  const src = `
const fs = require('fs');
const [owner, dir] = [Number(process.argv[1]), process.argv[2]];
const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
const ours = () => fs.readdirSync('/proc').filter((e) => /^\\d+$/.test(e) && Number(e) !== process.pid).filter((e) => {
  try { return fs.readFileSync('/proc/' + e + '/cmdline', 'utf8').replace(/\\0/g, ' ').includes(dir + '/'); } catch { return false; }
}).map(Number);
const timer = setInterval(() => {
  if (!fs.existsSync(dir)) process.exit(0);
  if (alive(owner)) return;
  clearInterval(timer);
  const pids = ours();
  for (const p of pids) { try { process.kill(p, 'SIGTERM'); } catch {} }
  setTimeout(() => {
    for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch {} }
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }, 10000);
}, 1000);
`;
  const child = spawn(process.execPath, ['-e', src, String(ownerPid), stateDir], { detached: true, stdio: 'ignore' });
  child.unref();
  log(`reaper pid ${child.pid} stops the cluster if pid ${ownerPid} dies`);
}

/** `--client-ca-file` when the client CA could be made (openssl present). */
function clientCaArgs(pki: string): string[] {
  const ca = ensureClientCa(pki);
  return ca ? [`--client-ca-file=${ca}`] : [];
}
