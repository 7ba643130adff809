// What makes the control plane look like GKE: kwok's stages (pod lifecycle without kubelets), three fake
// e2-standard-4 nodes (one per zone), the GKE CRDs from the shared folder, and a read-only user's RBAC.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logTail } from './processes.js';
import { kubectl } from './readiness.js';
import { type ClusterState, NODE_ALLOCATABLE, NODE_ZONES, log, sharedDir } from './state.js';

export function nodeNames(): string[] {
  return NODE_ZONES.map((z) => `gke-berth-default-pool-${z.slice(-1)}-0`);
}

function nodeYaml(name: string, zone: string): string {
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
}

function nodesYaml(): string {
  const names = nodeNames();
  return NODE_ZONES.map((zone, i) => nodeYaml(names[i], zone)).join('---\n');
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

/** Joins test/cluster/stages/*.yaml into one kwok --config file in `dataDir`; returns its path. */
export function writeKwokStages(repoRoot: string, dataDir: string): string {
  const stagesFile = join(dataDir, 'kwok-stages.yaml');
  const stagesDir = join(repoRoot, 'test', 'cluster', 'stages');
  const stages = readdirSync(stagesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(join(stagesDir, f), 'utf8').trim());
  writeFileSync(stagesFile, stages.join('\n---\n') + '\n');
  return stagesFile;
}

/** Registers the fake nodes, installs the GKE CRDs and the read-only user's binding; waits until all are usable. */
export async function simulateGke(state: ClusterState): Promise<void> {
  log(`registering ${NODE_ZONES.length} kwok nodes (e2-standard-4 allocatable: ${JSON.stringify(NODE_ALLOCATABLE)}) in ${NODE_ZONES.join(', ')}`);
  await kubectl(state, ['create', '-f', '-'], { input: nodesYaml() });
  const crds = join(sharedDir(state.repoRoot), 'crds', 'gke');
  log(`installing GKE CRDs from ${crds}`);
  await kubectl(state, ['apply', '--server-side', '--field-manager=berth-cluster', '-f', crds]);
  await kubectl(state, ['apply', '--server-side', '--field-manager=berth-cluster', '-f', '-'], { input: LIMITED_RBAC });
  await kubectl(state, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s'], { timeoutMs: 130_000 });
  await kubectl(state, ['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s'], { timeoutMs: 130_000 }).catch((e: Error) => {
    throw new Error(`${e.message}\n---- kwok log ----\n${logTail(state.stateDir, 'kwok')}`);
  });
}
