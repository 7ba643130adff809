import { describe, expect, it } from '@jest/globals';
import { packPods } from '../../src/compare/packing.js';
import type { PodItem } from '../../src/compare/workload.js';
import { podRequests } from '../../src/compare/workload.js';

const pod = (service: string, cpuMilli: number, memoryMiB: number, replica = 0): PodItem => ({ service, replica, cpuMilli, memoryMiB });
const shape = (nodes: readonly { pods: readonly PodItem[] }[]): string[][] => nodes.map((n) => n.pods.map((p) => `${p.service}${p.replica}`));

describe('first-fit-decreasing packing', () => {
  it('sorts by summed share (memory then CPU on ties) and fills the first node that fits', () => {
    // GIVEN nodes of 1000m / 1000 MiB and pods of 600, 500, 400, 300, 200 MiB (100m each)
    const items = [pod('e', 100, 200), pod('a', 100, 600), pod('c', 100, 400), pod('b', 100, 500), pod('d', 100, 300)];
    // WHEN packed
    const p = packPods(items, { cpuMilli: 1000, memoryMiB: 1000 });
    // THEN 600+400 = 1000 on node 1 (a, then b 500 does not fit, c 400 does); node 2: 500+300+200 = 1000
    expect(shape(p.nodes)).toEqual([
      ['a0', 'c0'],
      ['b0', 'd0', 'e0'],
    ]);
    expect(p.unplaceable).toEqual([]);
  });

  it('orders by the sum of CPU and memory shares, so CPU-heavy pods are not left for last', () => {
    // GIVEN nodes of 1000m / 1000 MiB: c is CPU-heavy (800m, 100 MiB → 0.8 + 0.1 = 0.9), m memory-heavy (100m, 500 MiB → 0.6)
    const items = [pod('m', 100, 500, 0), pod('m', 100, 500, 1), pod('c', 800, 100)];
    // WHEN packed
    const p = packPods(items, { cpuMilli: 1000, memoryMiB: 1000 });
    // THEN c goes first (0.9 > 0.6), both m fit beside it: 800 + 100 + 100 = 1000m, 100 + 500 + 500 = 1100 MiB > 1000 → node 2 for m1
    expect(shape(p.nodes)).toEqual([['c0', 'm0'], ['m1']]);
  });

  it('opens a node when CPU is exhausted even with memory left', () => {
    // GIVEN 3 pods of 600m / 100 MiB on 1000m nodes: 600 + 600 > 1000
    const p = packPods([pod('x', 600, 100, 0), pod('x', 600, 100, 1), pod('x', 600, 100, 2)], { cpuMilli: 1000, memoryMiB: 8000 });
    // THEN one pod per node
    expect(p.nodes.length).toBe(3);
  });

  it('respects the pods-per-node limit', () => {
    // GIVEN 5 tiny pods and 2 pods per node → ⌈5 / 2⌉ = 3 nodes
    const p = packPods(
      Array.from({ length: 5 }, (_, i) => pod('t', 10, 10, i)),
      { cpuMilli: 4000, memoryMiB: 8000, pods: 2 },
    );
    expect(p.nodes.map((n) => n.pods.length)).toEqual([2, 2, 1]);
  });

  it('reports a pod larger than a node as unplaceable', () => {
    const p = packPods([pod('big', 100, 9000), pod('ok', 100, 100)], { cpuMilli: 1000, memoryMiB: 8000 });
    expect(p.unplaceable.map((x) => x.service)).toEqual(['big']);
    expect(p.nodes.length).toBe(1);
  });
});

describe('pod requests', () => {
  it('adds native sidecars and takes the max with plain init containers', () => {
    // GIVEN app 250m/512Mi, a native sidecar 50m/64Mi, and a plain init container 1/1Gi
    const spec = {
      containers: [{ resources: { requests: { cpu: '250m', memory: '512Mi' } } }],
      initContainers: [
        { restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '64Mi' } } },
        { resources: { requests: { cpu: '1', memory: '1Gi' } } },
      ],
    };
    // WHEN its effective requests are computed
    const r = podRequests(spec);
    // THEN steady = 250 + 50 = 300m, 512 + 64 = 576 MiB; the init container runs with the sidecar: 50 + 1000 = 1050m, 64 + 1024 = 1088 MiB
    expect(r).toEqual({ cpuMilli: 1050, memoryMiB: 1088, containers: 1, sidecars: 1 });
  });
});
