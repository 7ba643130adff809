// The control plane's processes and their flags: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok, each started detached and recorded in the state as soon as it runs.
import { join } from 'node:path';
import type { BinPaths } from './binaries.js';
import { ensureClientCa } from './client-ca.js';
import type { Credentials } from './pki.js';
import { spawnComponent } from './processes.js';
import { apiserverReady, get, waitFor } from './readiness.js';
import { type ClusterState, type Component, SERVICE_CIDR, log, writeState } from './state.js';

/** Starts `name` and records its PID at once, so a crash mid-way can still be cleaned up. */
function launch(state: ClusterState, name: Component, bin: string, args: string[]): number {
  const pid = spawnComponent(state.stateDir, name, bin, args);
  state.pids[name] = pid;
  writeState(state);
  return pid;
}

export async function startEtcd(state: ClusterState, bin: string): Promise<void> {
  const { etcd, etcdPeer } = state.ports;
  const pid = launch(state, 'etcd', bin, [
    '--name=berth',
    `--data-dir=${join(state.dataDir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcd}`,
    `--advertise-client-urls=http://127.0.0.1:${etcd}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=berth=http://127.0.0.1:${etcdPeer}`,
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=4294967296',
    '--log-level=warn',
  ]);
  const healthy = async () => (await get(`http://127.0.0.1:${etcd}/health`)).body.includes('"true"');
  await waitFor('etcd /health', healthy, { timeoutMs: 60_000, pid, stateDir: state.stateDir, component: 'etcd' });
  log(`etcd ready on 127.0.0.1:${etcd}`);
}

/** kube-apiserver's flags: it self-signs its serving cert into --cert-dir (apiserver.crt = cert + its CA); tests pin that CA. */
export function apiserverArgs(state: ClusterState, creds: Credentials): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${state.ports.etcd}`,
    `--cert-dir=${creds.pki}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${state.ports.apiserver}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    `--token-auth-file=${creds.tokensFile}`,
    ...clientCaArgs(creds.pki), // client certificates signed by pki/client-ca.crt (test/cluster/client-ca.ts)
    `--service-account-issuer=${state.server}/`,
    `--service-account-key-file=${creds.saPub}`,
    `--service-account-signing-key-file=${creds.saKey}`,
    '--enable-admission-plugins=PodSecurity', // on by default; stated because tests rely on it
    '--profiling=false',
    '--v=1',
  ];
}

/** Starts kube-apiserver with `state.apiserverArgs` and waits for /readyz (it exiting meanwhile fails at once). */
export async function startKubeApiServer(state: ClusterState, bin: string, timeoutMs: number): Promise<number> {
  const pid = launch(state, 'kube-apiserver', bin, state.apiserverArgs);
  await waitFor('kube-apiserver /readyz', () => apiserverReady(state), { timeoutMs, pid, stateDir: state.stateDir, component: 'kube-apiserver' });
  return pid;
}

/** kube-controller-manager and kube-scheduler, as the admin token user (system:masters). */
export function startControllers(state: ClusterState, bins: BinPaths, creds: Credentials): void {
  const auth = [`--kubeconfig=${state.kubeconfig}`, `--authentication-kubeconfig=${state.kubeconfig}`, `--authorization-kubeconfig=${state.kubeconfig}`];
  launch(state, 'kube-controller-manager', bins['kube-controller-manager'], [
    ...auth,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${state.ports.controllerManager}`,
    `--service-account-private-key-file=${creds.saKey}`,
    `--root-ca-file=${state.caFile}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // kwok heartbeats every 20-25s; be lenient on a loaded 2-core CI box so nodes never flap NotReady
    '--node-monitor-grace-period=5m',
    '--v=1',
  ]);
  launch(state, 'kube-scheduler', bins['kube-scheduler'], [
    ...auth,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${state.ports.scheduler}`,
    '--v=1',
  ]);
}

/** kwok: plays the kubelet of every fake node, moving pods through the stages of `stagesFile`. */
export function startKwok(state: ClusterState, bin: string, stagesFile: string): void {
  launch(state, 'kwok', bin, [
    `--kubeconfig=${state.kubeconfig}`,
    `--config=${stagesFile}`,
    '--manage-all-nodes=true',
    '--cidr=10.64.0.0/14',
    '--node-ip=10.128.0.10',
    '--node-lease-duration-seconds=0',
  ]);
}

/** `--client-ca-file` when the client CA could be made (openssl present). */
function clientCaArgs(pki: string): string[] {
  const ca = ensureClientCa(pki);
  return ca ? [`--client-ca-file=${ca}`] : [];
}
