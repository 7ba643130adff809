/**
 * Node capacity for the packing model: GKE allocatable and ECS registered capacity, in millicores and MiB.
 *
 * GKE reserves per node (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes; the same
 * brackets are in the cluster autoscaler's
 * https://github.com/kubernetes/autoscaler/blob/HEAD/cluster-autoscaler/cloudprovider/gce/reserved.go):
 *   memory: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above 128 GiB
 *           (255 MiB flat below 1 GiB), plus a 100 MiB hard eviction threshold;
 *   CPU:    6% of the first core, 1% of the second, 0.5% of cores 3–4, 0.25% of every core above 4.
 * ECS registers less memory than the instance's nameplate; berth estimates it [E] with the Linux kernel term of the
 * same reserved.go (phys/64 + 16 MiB, + 64 MiB above 3 GiB), which gives 7984 MiB for an m4.large against the 7985
 * measured (https://github.com/awsdocs/amazon-ecs-developer-guide/blob/HEAD/doc_source/memory-management.md),
 * minus ECS_RESERVED_MEMORY (berth default 256 MiB; the agent's default is 0,
 * https://github.com/aws/amazon-ecs-agent/blob/HEAD/README.md). Registered CPU = vCPU × 1024 units.
 */

/** What one node (or instance) offers to pods/tasks. */
export interface NodeCapacity {
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  /** Pods per node. @default unlimited */
  readonly pods?: number;
}

/** GKE's hard eviction threshold, MiB. */
export const GKE_EVICTION_MIB = 100;

/** Brackets as [upper bound of the bracket, fraction reserved]. */
const MEMORY_BRACKETS: readonly (readonly [number, number])[] = [
  [4096, 0.25],
  [8192, 0.2],
  [16384, 0.1],
  [131072, 0.06],
  [Infinity, 0.02],
];
const CPU_BRACKETS: readonly (readonly [number, number])[] = [
  [1000, 0.06],
  [2000, 0.01],
  [4000, 0.005],
  [Infinity, 0.0025],
];

function bracketed(total: number, brackets: readonly (readonly [number, number])[]): number {
  let reserved = 0;
  let lower = 0;
  for (const [upper, fraction] of brackets) {
    if (total <= lower) break;
    reserved += (Math.min(total, upper) - lower) * fraction;
    lower = upper;
  }
  return reserved;
}

/** kube-reserved memory of a GKE node with `memoryMiB` of memory (eviction threshold not included). */
export function gkeReservedMemoryMiB(memoryMiB: number): number {
  return memoryMiB < 1024 ? 255 : bracketed(memoryMiB, MEMORY_BRACKETS);
}

/** kube-reserved CPU of a GKE node with `cpuMilli` millicores. */
export function gkeReservedCpuMilli(cpuMilli: number): number {
  return bracketed(cpuMilli, CPU_BRACKETS);
}

/** GKE allocatable = capacity − kube-reserved − eviction threshold (memory). */
export function gkeAllocatable(cpuMilli: number, memoryMiB: number): { cpuMilli: number; memoryMiB: number } {
  return {
    cpuMilli: cpuMilli - gkeReservedCpuMilli(cpuMilli),
    memoryMiB: memoryMiB - gkeReservedMemoryMiB(memoryMiB) - GKE_EVICTION_MIB,
  };
}

/** ECS registered memory estimate [E] for an instance with `physMiB`, minus ECS_RESERVED_MEMORY. */
export function ecsRegisteredMemoryMiB(physMiB: number, reservedMiB: number): number {
  const kernel = Math.floor(physMiB / 64) + 16 + (physMiB > 3072 ? 64 : 0);
  return physMiB - kernel - reservedMiB;
}
