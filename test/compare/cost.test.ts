import { describe, expect, it } from '@jest/globals';
import { autopilotRequests, fargateCost, sharedAlbs } from '../../src/compare/cost.js';
import { DEFAULT_ASSUMPTIONS } from '../../src/compare/machines.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';

describe('Autopilot request rounding', () => {
  it('raises requests to the class minimums and the 1–6.5 GiB per vCPU ratio', () => {
    // 10m / 16 MiB → minimums 50m / 52 MiB; then memory ≥ 1 GiB per vCPU: 0.05 × 1024 = 51.2 ≤ 52 → unchanged
    expect(autopilotRequests(10, 16)).toEqual({ cpuMilli: 50, memoryMiB: 52 });
    // 1000m / 256 MiB → memory raised to 1 GiB per vCPU = 1024 MiB
    expect(autopilotRequests(1000, 256)).toEqual({ cpuMilli: 1000, memoryMiB: 1024 });
    // 100m / 2048 MiB → 2 GiB / 6.5 = 0.3077 vCPU → CPU raised to ⌈307.7⌉ = 308m
    expect(autopilotRequests(100, 2048)).toEqual({ cpuMilli: 308, memoryMiB: 2048 });
  });
});

describe('Fargate cost', () => {
  it('bills the rounded task size and reports the rounding waste', () => {
    // GIVEN 2 tasks of 300 CPU units / 600 MiB, rounded by the ECS renderer to 512 / 1024 (waste 212 units, 424 MiB each)
    const tasks = [
      {
        service: 'a',
        cpuUnits: 300,
        memoryReservationMiB: 600,
        memoryLimitMiB: 600,
        desiredCount: 2,
        fargate: { cpu: 512, memoryMiB: 1024, wasteCpu: 212, wasteMemoryMiB: 424 },
      },
    ];
    // WHEN costed with one public service
    const o = fargateCost(tasks, { publicServices: 1, forwardingRules: 1 }, DEFAULT_PRICES, DEFAULT_ASSUMPTIONS);
    // THEN vCPU 2 × 0.5 = 1 → 1 × 0.04048 × 730 = 29.5504; GB 2 × 1 = 2 → 2 × 0.004445 × 730 = 6.4897; ALB 0.0305 × 730 = 22.265
    expect(o.monthly).toBeCloseTo(29.5504 + 6.4897 + 22.265, 1);
    // waste: 2 × 212 / 1024 = 0.414 vCPU, 2 × 424 / 1024 = 0.828 GB → (0.4141 × 0.04048 + 0.8281 × 0.004445) × 730 = 12.24 + 2.69 = 14.92
    expect(o.notes).toEqual(['rounding to valid task sizes: 0.414 vCPU and 0.828 GB paid but not requested/limited, $14.92 of the month']);
  });

  it('shards ALBs at 95 target groups', () => {
    // ⌈0/95⌉ = 0, ⌈95/95⌉ = 1, ⌈96/95⌉ = 2
    expect([0, 95, 96].map((n) => sharedAlbs({ publicServices: n, forwardingRules: 1 }, DEFAULT_ASSUMPTIONS))).toEqual([0, 1, 2]);
  });
});
