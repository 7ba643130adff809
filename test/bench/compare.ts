/**
 * Packing benchmark (issue 9 §3): the compare model for 1000 services must take ≤ 1 s. Measures, on the rendering
 * of a generated 1000-service platform (varied requests, 1–3 replicas): one FFD packing onto e2-standard-4 capacity,
 * and the whole comparison (8 packings across the GKE and EC2 tables, Autopilot, Fargate, features). Median of runs.
 * The rendering itself is timed once and reported, not counted: `berth compare` consumes an existing rendering.
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
import { machineFacts } from './bench-facts.js';

const LIMIT_MS = 1000;

export interface CompareBenchOptions {
  /** Services in the generated platform. @default 1000 */
  readonly services?: number;
  /** Measured runs (median reported). @default 5 */
  readonly runs?: number;
  /** How the benchmark was run, for the report. @default not shown */
  readonly command?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function runCompareBench(opts: CompareBenchOptions = {}): string {
  const { services = 1000, runs = 5 } = opts;
  const loadBefore = os.loadavg()[0];
  const t0 = process.hrtime.bigint();
  const [env] = renderPlatform(variedPlatform(services), { environments: ['production'] });
  const renderMs = Number(process.hrtime.bigint() - t0) / 1e6;
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
    `Target (issue 9): the comparison of ${services} services takes ≤ ${LIMIT_MS / 1000} s.`,
    `Machine: ${machineFacts()}; load average (1 min) ${loadBefore.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end.  `,
    `Versions: node ${process.version}. Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      (opts.command ? ` with \`${opts.command}\`.` : '.'),
    '',
    `Method: \`test/bench/compare.ts\`, in one process: ${services} generated services (test/compare/generate.ts: varied requests, ` +
      `1–3 replicas), ${items.length} pods; each step timed ${runs} times in a row on the same rendering, median reported (the first ` +
      'runs carry the JIT warm-up). Rendering is not part of the time: `berth compare` consumes an existing rendering.',
    '',
    '| Step | Median | Runs |',
    '|---|---|---|',
    `| FFD packing onto e2-standard-4 (${nodes} nodes) | ${median(pack).toFixed(1)} ms | ${pack.map((x) => x.toFixed(0)).join(', ')} |`,
    `| whole comparison (8 packings, 5 options, features) | ${median(whole).toFixed(1)} ms | ${whole.map((x) => x.toFixed(0)).join(', ')} |`,
    '',
    `- ${verdict}: whole comparison ${median(whole).toFixed(1)} ms ≤ ${LIMIT_MS} ms`,
    '',
    'Notes:',
    `- Rendering the ${services}-service platform in the same process, once, before the timed steps: ${(renderMs / 1000).toFixed(2)} s (not counted).`,
    '- The whole comparison packs the pods eight times (four GKE machine types, four EC2 instance types) to choose the ' +
      'cheapest type per option; FFD is O(pods × nodes) per packing.',
  ].join('\n');
}
