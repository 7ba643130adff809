/**
 * Packing benchmark (issue 9 §3): the compare model for 1000 services must take ≤ 1 s. Measures, on the rendering
 * of a generated 1000-service platform (varied requests, 1–3 replicas): one FFD packing onto e2-standard-4 capacity,
 * and the whole comparison (8 packings across the GKE and EC2 tables, Autopilot, Fargate, features). Median of runs.
 */
import os from 'node:os';
import { buildComparison } from '../../src/compare/compare.js';
import { gkeNodeCapacity } from '../../src/compare/cost.js';
import { DEFAULT_ASSUMPTIONS, GKE_MACHINES } from '../../src/compare/machines.js';
import { packPods } from '../../src/compare/packing.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';
import { podItems, workloadsOf } from '../../src/compare/workload.js';
import { renderPlatform } from '../../src/render/render.js';
import { ecsStandIn } from '../compare/ecs-stand-in.js';
import { variedPlatform } from '../compare/generate.js';

const LIMIT_MS = 1000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function runCompareBench(services = 1000, runs = 5): string {
  const [env] = renderPlatform(variedPlatform(services), { environments: ['production'] });
  const ecs = ecsStandIn(env);
  const items = podItems(workloadsOf(env.objects));
  const capacity = gkeNodeCapacity(GKE_MACHINES[1], DEFAULT_ASSUMPTIONS);
  const pack: number[] = [];
  const whole: number[] = [];
  let nodes = 0;
  for (let r = 0; r < runs; r++) {
    pack.push(time(() => (nodes = packPods(items, capacity).nodes.length)));
    whole.push(time(() => buildComparison({ environment: env, ecs, prices: DEFAULT_PRICES, source: 'bench' })));
  }
  const verdict = median(whole) <= LIMIT_MS ? 'PASS' : 'FAIL';
  return [
    `Machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Method: \`npm run bench -- --only compare\`; ${services} generated services (test/compare/generate.ts), ${items.length} pods; ` +
      `median of ${runs} runs, rendering excluded.`,
    '',
    '| Step | Median | Runs |',
    '|---|---|---|',
    `| FFD packing onto e2-standard-4 (${nodes} nodes) | ${median(pack).toFixed(1)} ms | ${pack.map((x) => x.toFixed(0)).join(', ')} |`,
    `| whole comparison (8 packings, 5 options, features) | ${median(whole).toFixed(1)} ms | ${whole.map((x) => x.toFixed(0)).join(', ')} |`,
    '',
    `- ${verdict}: whole comparison ${median(whole).toFixed(1)} ms ≤ ${LIMIT_MS} ms`,
  ].join('\n');
}
