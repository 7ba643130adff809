/**
 * Kubernetes quantities in ECS units, and Fargate task sizes. ECS takes whole CPU units (1024 = 1 vCPU)
 * and whole MiB; berth rounds UP, so an ECS task never reserves less than the pod requests.
 */
import { parseQuantity } from '../declaration/rules.js';
import type { EcsFargateSize } from './types.js';

const MIB = 2 ** 20;

/** CPU units of a CPU quantity: cores × 1024, rounded up (`250m` → 256, `100m` → 103). */
export function cpuUnits(q: string): number {
  return Math.ceil(round6(parseQuantity(q)! * 1024));
}

/** MiB of a memory quantity, rounded up (`1Gi` → 1024, `300M` → 287). */
export function mebibytes(q: string): number {
  return Math.ceil(round6(parseQuantity(q)! / MIB));
}

/** Floating-point noise off (0.1 × 1024 is 102.40000000000001). */
function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** One row of the Fargate size table: a task CPU and its valid memory sizes (MiB). */
interface FargateRow {
  readonly cpu: number;
  readonly memory: readonly number[];
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
}

/**
 * Valid Fargate task sizes (Linux, platform ≥ 1.4.0):
 * https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html
 */
export const FARGATE_SIZES: readonly FargateRow[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

/**
 * The smallest valid Fargate size holding `cpu` units and `memoryMiB`: the first CPU row that fits, then its
 * smallest memory that fits (the cheapest pair, since every larger row starts at a larger memory).
 * Undefined when nothing fits (over 16 vCPU or 120 GiB).
 */
export function fargateSize(cpu: number, memoryMiB: number): EcsFargateSize | undefined {
  for (const row of FARGATE_SIZES) {
    if (row.cpu < cpu) continue;
    const memory = row.memory.find((m) => m >= memoryMiB);
    if (memory !== undefined) return { cpu: row.cpu, memoryMiB: memory, wasteCpu: row.cpu - cpu, wasteMemoryMiB: memory - memoryMiB };
  }
  return undefined;
}
