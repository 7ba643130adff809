// The kubeconfigs the harness writes once kube-apiserver serves: admin (<state>/kubeconfig) and read-only
// (<state>/limited.kubeconfig), both pinning the apiserver's self-signed CA.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ClusterState } from './state.js';

export function kubeconfigYaml(server: string, caData: string, user: string, token: string): string {
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

/** Reads the CA kube-apiserver wrote into `state.caData` and writes both kubeconfigs (mode 0600). */
export function writeKubeconfigs(state: ClusterState): void {
  state.caData = Buffer.from(readFileSync(state.caFile)).toString('base64');
  writeFileSync(state.kubeconfig, kubeconfigYaml(state.server, state.caData, 'berth-admin', state.token), { mode: 0o600 });
  writeFileSync(state.limitedKubeconfig, kubeconfigYaml(state.server, state.caData, 'berth-limited', state.limitedToken), { mode: 0o600 });
}
