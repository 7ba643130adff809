/**
 * First-fit-decreasing bin packing of pods onto identical nodes [E]: items sorted by memory request, then CPU
 * (descending; ties by service name and replica for a deterministic result); each goes to the first open node where
 * memory, CPU and the pod slot all fit, else a new node is opened. Both GKE nodes and ECS instances use it.
 */
import type { NodeCapacity } from './capacity.js';
import type { PodItem } from './workload.js';

export interface PackedNode {
  readonly pods: PodItem[];
  cpuMilli: number;
  memoryMiB: number;
}

export interface Packing {
  readonly nodes: readonly PackedNode[];
  /** Pods bigger than one node: they cannot be placed at all. */
  readonly unplaceable: readonly PodItem[];
}

export function byDecreasingSize(a: PodItem, b: PodItem): number {
  return b.memoryMiB - a.memoryMiB || b.cpuMilli - a.cpuMilli || (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) || a.replica - b.replica;
}

/** FFD packing of `items` onto nodes of `capacity`. */
export function packPods(items: readonly PodItem[], capacity: NodeCapacity): Packing {
  const maxPods = capacity.pods ?? Infinity;
  const nodes: PackedNode[] = [];
  const unplaceable: PodItem[] = [];
  for (const item of [...items].sort(byDecreasingSize)) {
    if (item.cpuMilli > capacity.cpuMilli || item.memoryMiB > capacity.memoryMiB || maxPods < 1) {
      unplaceable.push(item);
      continue;
    }
    let target: PackedNode | undefined;
    for (const node of nodes) {
      if (node.pods.length < maxPods && node.cpuMilli + item.cpuMilli <= capacity.cpuMilli && node.memoryMiB + item.memoryMiB <= capacity.memoryMiB) {
        target = node;
        break;
      }
    }
    if (!target) {
      target = { pods: [], cpuMilli: 0, memoryMiB: 0 };
      nodes.push(target);
    }
    target.pods.push(item);
    target.cpuMilli += item.cpuMilli;
    target.memoryMiB += item.memoryMiB;
  }
  return { nodes, unplaceable };
}
