import { describe, expect, it } from '@jest/globals';
import { ecsRegisteredMemoryMiB, gkeAllocatable, gkeReservedCpuMilli, gkeReservedMemoryMiB } from '../../src/compare/capacity.js';

describe('GKE allocatable (plan-node-sizes brackets)', () => {
  it('reserves memory by bracket and subtracts the 100 MiB eviction threshold', () => {
    // GIVEN machines of 8, 16 and 32 GiB
    // WHEN their allocatable memory is computed
    // THEN 8192 MiB:  25% × 4096 + 20% × 4096                          = 1024 + 819.2          = 1843.2 → 8192 − 1843.2 − 100 = 6248.8 (6.10 GiB)
    //      16384 MiB: 1843.2 + 10% × 8192                              = 2662.4                → 13621.6 (13.30 GiB)
    //      32768 MiB: 2662.4 + 6% × 16384                              = 3645.44               → 29022.56 (28.34 GiB)
    expect(gkeAllocatable(2000, 8192).memoryMiB).toBeCloseTo(6248.8, 6);
    expect(gkeAllocatable(4000, 16384).memoryMiB).toBeCloseTo(13621.6, 6);
    expect(gkeAllocatable(8000, 32768).memoryMiB).toBeCloseTo(29022.56, 6);
    // 2% above 128 GiB: 131072 → 1024 + 819.2 + 819.2 + 0.06 × 114688 = 9543.68; 262144 adds 0.02 × 131072 = 2621.44
    expect(gkeReservedMemoryMiB(262144)).toBeCloseTo(9543.68 + 2621.44, 6);
    // below 1 GiB: 255 MiB flat
    expect(gkeReservedMemoryMiB(614)).toBe(255);
  });

  it('reserves CPU by bracket', () => {
    // GIVEN 1, 2, 4 and 8 cores
    // THEN 1000m: 6% = 60; 2000m: 60 + 1% × 1000 = 70; 4000m: 70 + 0.5% × 2000 = 80; 8000m: 80 + 0.25% × 4000 = 90
    expect(gkeReservedCpuMilli(1000)).toBeCloseTo(60, 6);
    expect(gkeReservedCpuMilli(2000)).toBeCloseTo(70, 6);
    expect(gkeReservedCpuMilli(4000)).toBeCloseTo(80, 6);
    expect(gkeAllocatable(8000, 32768).cpuMilli).toBeCloseTo(7910, 6);
  });
});

describe('ECS registered memory [E]', () => {
  it('matches the note: m5.large 7984 MiB with no reservation, 7728 with 256; t3.medium 3952', () => {
    // 8192 − (8192/64 + 16 + 64) = 8192 − 208 = 7984; 4096 − (64 + 16 + 64) = 3952
    expect(ecsRegisteredMemoryMiB(8192, 0)).toBe(7984);
    expect(ecsRegisteredMemoryMiB(8192, 256)).toBe(7728);
    expect(ecsRegisteredMemoryMiB(4096, 0)).toBe(3952);
  });
});
