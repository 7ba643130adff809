/**
 * berth's packing model against the real kube-scheduler (issue 9 §3). For each platform the model packs the
 * production pods onto its chosen GKE node type (allocatable by GKE's formula minus the DaemonSet overhead — the
 * kwok nodes are given that net capacity, standing in for the DaemonSet pods). The test then registers kwok nodes of
 * exactly that capacity (labelled and tainted for this test only, so no other test's pods land there), creates bare
 * pods with the same requests, and lets kube-scheduler place them:
 *   with model − 2 nodes some pods must stay Pending (the model does not overestimate by 2 or more);
 *   with model + 1 nodes every pod must be bound (the model does not underestimate by 2 or more).
 * It also records whether exactly the model's count sufficed, and the nodes actually used.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { gkeStandardCost } from '../../src/compare/cost.js';
import { lbFacts } from '../../src/compare/compare.js';
import { DEFAULT_ASSUMPTIONS } from '../../src/compare/machines.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';
import { podItems, workloadsOf, type PodItem } from '../../src/compare/workload.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { KubeApiError } from '../../src/deploy/client.js';
import type { KubeObject } from '../../src/render/types.js';
import { variedPlatform } from '../compare/generate.js';
import { adminClient, deleteNamespace, existsAt, render, uniqueNamespace } from '../deploy/e2e-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tester = adminClient({ concurrency: 24 });
const LABEL = 'berth.dev/compare-test';
const namespaces: string[] = [];
const nodes: string[] = [];
const results: string[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await Promise.all(nodes.map((n) => tester.request({ method: 'DELETE', path: `/api/v1/nodes/${n}` }).catch(() => undefined)));
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  tester.close();
  process.stderr.write(`packing model vs kube-scheduler:\n${results.join('\n')}\n`);
});

function production(p: PlatformDeclaration): PlatformDeclaration {
  const copy = structuredClone(p) as unknown as { environments: Record<string, Json> };
  copy.environments = { production: { ...copy.environments.production, namespace: 'production' } };
  return copy as unknown as PlatformDeclaration;
}

async function addNode(run: string, i: number, cpuMilli: number, memoryMiB: number): Promise<void> {
  const name = `${run}-n${i}`;
  nodes.push(name);
  const allocatable = { cpu: `${Math.floor(cpuMilli)}m`, memory: `${Math.floor(memoryMiB * 1024)}Ki`, pods: '110', 'ephemeral-storage': '47060071478' };
  await tester.request({
    method: 'POST',
    path: '/api/v1/nodes',
    body: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { 'kwok.x-k8s.io/node': 'fake' },
        labels: { [LABEL]: run, 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok' },
      },
      spec: { taints: [{ key: LABEL, value: run, effect: 'NoSchedule' }] },
      status: { capacity: allocatable, allocatable, nodeInfo: { architecture: 'amd64', operatingSystem: 'linux' } },
    },
  });
}

function podBody(run: string, p: PodItem): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${p.service}-${p.replica}` },
    spec: {
      nodeSelector: { [LABEL]: run },
      tolerations: [{ key: LABEL, operator: 'Equal', value: run, effect: 'NoSchedule' }],
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/pause:1',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: `${p.cpuMilli}m`, memory: `${Math.round(p.memoryMiB * 1024)}Ki` } },
        },
      ],
    },
  };
}

/** Waits until the scheduler stops making progress (bound count stable for 3 s, or all bound); returns bound pods. */
async function settle(ns: string, total: number, timeoutMs = 40_000): Promise<Json[]> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const pods = (await tester.request<{ items: Json[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods` })).items;
    const bound = pods.filter((p) => p.spec.nodeName);
    if (bound.length === total || Date.now() > deadline) return bound;
    if (bound.length !== last) [last, stableSince] = [bound.length, Date.now()];
    else if (Date.now() - stableSince > 3000) return bound;
    await sleep(500);
  }
}

/**
 * Waits until the namespace's `default` ServiceAccount exists: the ServiceAccount admission plugin refuses pods until
 * kube-controller-manager has created it (slow after another test restarted the API server).
 */
async function defaultServiceAccount(ns: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await existsAt(tester, `/api/v1/namespaces/${ns}/serviceaccounts/default`))) {
    if (Date.now() > deadline) throw new Error(`namespace ${ns}: no default ServiceAccount after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

async function check(label: string, platform: PlatformDeclaration): Promise<void> {
  // GIVEN the model's packing of the production pods
  const env = render(production(platform));
  const items = podItems(workloadsOf(env.objects));
  const { choice } = gkeStandardCost(items, lbFacts(env), DEFAULT_PRICES, DEFAULT_ASSUMPTIONS);
  const model = choice.packing.nodes.length;
  const run = uniqueNamespace('cmp');
  namespaces.push(run);
  await tester.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: run } } });
  await defaultServiceAccount(run);
  // WHEN model − 2 nodes of the same capacity exist and the pods are created
  let count = 0;
  const grow = async (to: number): Promise<void> => {
    await Promise.all(Array.from({ length: Math.max(0, to - count) }, (_, k) => addNode(run, count + k, choice.capacity.cpuMilli, choice.capacity.memoryMiB)));
    count = Math.max(count, to);
  };
  await grow(model - 2);
  for (let i = 0; i < items.length; i += 50) {
    await Promise.all(
      items.slice(i, i + 50).map((p) =>
        tester.request({ method: 'POST', path: `/api/v1/namespaces/${run}/pods`, body: podBody(run, p) }).catch((e: unknown) => {
          if (!(e instanceof KubeApiError && e.status === 409)) throw e;
        }),
      ),
    );
  }
  const few = await settle(run, items.length, 20_000);
  // THEN some pods stay Pending
  expect({ label, nodes: count, pending: items.length - few.length > 0 }).toEqual({ label, nodes: count, pending: true });
  // WHEN the model's count exists, then one more
  await grow(model);
  const atModel = await settle(run, items.length);
  await grow(model + 1);
  const all = await settle(run, items.length);
  // THEN every pod is bound, on at most model + 1 nodes
  const used = new Set(all.map((p) => p.spec.nodeName)).size;
  results.push(
    `  ${label}: ${items.length} pods, model ${model} × ${choice.machine.name}; scheduler: ` +
      `${atModel.length === items.length ? `all bound on ${model} nodes` : `${items.length - atModel.length} pending on ${model} nodes`}, ` +
      `all bound on ${model + 1}, ${used} nodes used`,
  );
  expect({ label, bound: all.length }).toEqual({ label, bound: items.length });
  expect(Math.abs(used - model)).toBeLessThanOrEqual(1);
}

describe('packing model vs kube-scheduler (kwok nodes of the model allocatable)', () => {
  it.each([
    ['charts/platform.yaml', () => loadPlatformFile('charts/platform.yaml')],
    ['grpc-shop', () => loadPlatformFile('charts/examples/grpc-shop.yaml')],
    ['python-company', () => loadPlatformFile('charts/examples/python-company.yaml')],
    ['generated 200 services', () => variedPlatform(200)],
  ] as [string, () => PlatformDeclaration][])(
    '%s: node count within one of the model',
    async (label, load) => {
      await check(label, load());
    },
    120_000,
  );
});
