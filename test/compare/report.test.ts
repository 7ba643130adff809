/**
 * A 3-service platform's report numbers, reproduced from data.json with the arithmetic written out.
 * Prices: berth's default table (e2-standard-4 $0.13402/h, t3.medium $0.0416/h, ALB $0.0225/h + $0.008/LCU-h, …).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildComparison, type CompareData } from '../../src/compare/compare.js';
import type { EcsInput } from '../../src/compare/ecs-input.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';
import { writeComparison } from '../../src/compare/write.js';
import { renderPlatform } from '../../src/render/render.js';
import { platform, service, tempDir } from '../helpers.js';

// GIVEN web 500m/1Gi ×2 (public), api 250m/512Mi autoscaling min 3 (public), worker 1 CPU/2Gi ×1 (internal), no TLS
const threeServices = platform([
  service({ name: 'web', host: 'web.example.com', cpu: '500m', memory: '1Gi', replicas: 2 }),
  service({ name: 'api', host: 'api.example.com', cpu: '250m', memory: '512Mi', replicas: undefined, autoscaling: { min: 3, max: 6 } }),
  service({ name: 'worker', host: undefined, cpu: '1', memory: '2Gi', replicas: 1 }),
]);

// The ECS side, written by hand: task sizes as the ECS renderer reports them (cpu × 1024 units, limit = request here).
const ecs: EcsInput = {
  mapping: [{ feature: 'web: host web.example.com', gke: 'Ingress rule', ecs: 'listener rule, priority 10', status: 'mapped' }],
  ec2Tasks: [
    { service: 'api', cpuUnits: 256, memoryReservationMiB: 512, memoryLimitMiB: 512, desiredCount: 3 },
    { service: 'web', cpuUnits: 512, memoryReservationMiB: 1024, memoryLimitMiB: 1024, desiredCount: 2 },
    { service: 'worker', cpuUnits: 1024, memoryReservationMiB: 2048, memoryLimitMiB: 2048, desiredCount: 1 },
  ],
  fargateTasks: [
    {
      service: 'api',
      cpuUnits: 256,
      memoryReservationMiB: 512,
      memoryLimitMiB: 512,
      desiredCount: 3,
      fargate: { cpu: 256, memoryMiB: 512, wasteCpu: 0, wasteMemoryMiB: 0 },
    },
    {
      service: 'web',
      cpuUnits: 512,
      memoryReservationMiB: 1024,
      memoryLimitMiB: 1024,
      desiredCount: 2,
      fargate: { cpu: 512, memoryMiB: 1024, wasteCpu: 0, wasteMemoryMiB: 0 },
    },
    {
      service: 'worker',
      cpuUnits: 1024,
      memoryReservationMiB: 2048,
      memoryLimitMiB: 2048,
      desiredCount: 1,
      fargate: { cpu: 1024, memoryMiB: 2048, wasteCpu: 0, wasteMemoryMiB: 0 },
    },
  ],
};

function report(): CompareData {
  const [production] = renderPlatform(threeServices, { environments: ['production'] });
  const out = tempDir('berth-compare-');
  writeComparison(out, 'compare', buildComparison({ environment: production, ecs, prices: DEFAULT_PRICES, source: 'three-services' }));
  return JSON.parse(readFileSync(join(out, 'compare', 'data.json'), 'utf8')) as CompareData;
}

const option = (d: CompareData, id: string) => d.options.find((o) => o.id === id)!;
const H = 730;

describe('compare report numbers for a 3-service platform', () => {
  const d = report();

  it('counts pods and requests from the rendering (HPA min for api)', () => {
    // 2 web + 3 api + 1 worker = 6 pods; CPU 2×500 + 3×250 + 1000 = 2750m; memory 2×1024 + 3×512 + 2048 = 5632 MiB
    expect(d.totals).toEqual({ pods: 6, cpuMilli: 2750, memoryMiB: 5632 });
    // public = Ingress backends web, api; one Ingress without TLS = 1 forwarding rule
    expect(d.loadBalancing).toEqual({ publicServices: 2, forwardingRules: 1 });
    expect(d.consistency).toEqual([]);
  });

  it('GKE Standard: one e2-standard-4', () => {
    // e2-standard-2 per node for pods: 1930 − 300 = 1630m, 6248.8 − 461 = 5787.8 MiB. FFD: worker+web (1500m) then web
    //   does not fit on CPU → 2 nodes; 2 × (0.06701 × 730 + 100 GB × 0.10) = 2 × 58.9173 = $117.83
    // e2-standard-4 for pods: 3620m, 13160.6 MiB ≥ 2750m / 5632 MiB → 1 node: 0.13402 × 730 + 10 = $107.83 → cheaper
    const o = option(d, 'gke-standard');
    expect([o.machine, o.nodes]).toEqual(['e2-standard-4', 1]);
    // nodes 97.8346 + disk 10 + fee 73 − credit 73 + 1 rule × 0.025 × 730 = 18.25 → 126.08
    expect(o.monthly).toBeCloseTo(0.13402 * H + 10 + 73 - 73 + 0.025 * H, 1);
    expect(o.monthly).toBe(126.08);
  });

  it('GKE Autopilot: requests already within the minimums and ratios', () => {
    // 2.75 vCPU × 0.0445 × 730 = 89.33375 → 89.33; 5.5 GiB × 0.0049225 × 730 = 19.7638 → 19.76; + 18.25 rule
    expect(option(d, 'gke-autopilot').monthly).toBe(89.33 + 19.76 + 18.25);
  });

  it('ECS on EC2: two t3.medium', () => {
    // t3.medium registers 4096 − (64 + 16 + 64) − 256 = 3696 MiB, 2000m. FFD by memory:
    //   node 1: worker 2048 + web 1024 + api 512 = 3584 MiB (1750m); node 2: web 1024 + api 512 × 2 = 2048 MiB
    //   2 × (0.0416 × 730 + 30 GB × 0.08) = 2 × 32.768 = $65.54 < m5.large 2 × 72.48, m5.xlarge 142.56
    const o = option(d, 'ecs-ec2');
    expect([o.machine, o.nodes]).toEqual(['t3.medium', 2]);
    expect(d.packings[1].nodes.map((n) => n.memoryMiB)).toEqual([3584, 2048]);
    // instances 60.736 → 60.74, EBS 4.80, control plane 0, 1 ALB × (0.0225 + 0.008) × 730 = 22.265
    expect(o.monthly).toBeCloseTo(60.736 + 4.8 + 22.265, 1);
  });

  it('ECS Fargate: task sizes × desired count', () => {
    // vCPU 3 × 0.25 + 2 × 0.5 + 1 × 1 = 2.75 → 2.75 × 0.04048 × 730 = 81.2636
    // GB   3 × 0.5 + 2 × 1 + 1 × 2 = 5.5 → 5.5 × 0.004445 × 730 = 17.8467; + 1 ALB 22.265
    expect(option(d, 'ecs-fargate').monthly).toBeCloseTo(81.2636 + 17.8467 + 22.265, 1);
    // every task size equals its requests here: no rounding waste
    expect(option(d, 'ecs-fargate').notes).toEqual(['rounding to valid task sizes: 0 vCPU and 0 GB paid but not requested/limited, $0.00 of the month']);
  });

  it('legacy: the same instances, one ALB per public service', () => {
    // 60.736 + 4.8 + 2 × 22.265 = 110.066
    expect(option(d, 'legacy').monthly).toBeCloseTo(60.736 + 4.8 + 2 * 22.265, 1);
  });

  it('lists the features from the rendering and the ECS mapping', () => {
    const routing = d.features.find((f) => f.feature === 'Shared load balancer + host routing')!;
    expect(routing.gke).toBe('1 Ingress (one load balancer), 2 hosts, 2 routes');
    expect(routing.ecs).toBe('listener rule, priority 10');
    expect(d.features.find((f) => f.feature === 'Autoscaling')!.gke).toBe('1 HorizontalPodAutoscaler (api 3–6)');
    expect(d.features.find((f) => f.feature === 'TLS')!.gkeStatus).toBe('absent');
  });
});
