// The cluster's recorded state (<repo>/.cluster/state.json), its shape and the constants of the simulated GKE nodes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findRepoRoot } from './binaries.js';

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
export const COMPONENTS: Component[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

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

export const log = (msg: string): void => {
  process.stderr.write(`[cluster] ${msg}\n`);
};
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
export function writeState(state: Partial<ClusterState> & { stateDir: string }): void {
  writeFileSync(join(state.stateDir, 'state.json'), JSON.stringify(state, null, 2) + '\n');
}

/** The PIDs recorded in `stateDir`'s state.json (none when it is missing or unreadable). */
export function recordedPids(stateDir: string): Partial<Record<Component, number>> {
  try {
    return (JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as ClusterState).pids ?? {};
  } catch {
    return {};
  }
}

/** Where shared fixtures live (the GKE CRDs): $BERTH_SHARED_DIR, else <repo>/../shared. */
export function sharedDir(repoRoot: string): string {
  return process.env.BERTH_SHARED_DIR ?? resolve(repoRoot, '../shared');
}
