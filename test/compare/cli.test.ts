/**
 * `berth compare` on every platform of charts/ (production), through the command's own code path, with the ECS side
 * from the test stand-in (the real renderer lives in src/ecs; `compare` lazy-loads it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCompare } from '../../src/cli/commands/compare.js';
import type { CompareData } from '../../src/compare/compare.js';
import { renderPlatform } from '../../src/render/render.js';
import { captureIo, tempDir } from '../helpers.js';
import { ecsStandIn } from './ecs-stand-in.js';

const platforms = [
  'charts/platform.yaml',
  ...readdirSync('charts/examples')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `charts/examples/${f}`),
];

describe('berth compare on every platform in charts/', () => {
  it.each(platforms)('%s --env production', async (file) => {
    // GIVEN the platform and an output folder
    const out = tempDir('berth-compare-all-');
    const io = captureIo(out);
    // WHEN compare runs
    const code = await runCompare(['--env', 'production', '--file', resolve(file), '--out', 'report'], io, async (p, env) =>
      ecsStandIn(renderPlatform(p, { environments: [env] })[0]),
    );
    // THEN exit 0, three files, five costed options, and the summary printed
    expect(io.err().replace(/^berth: using .*\n/m, '')).toBe('');
    expect(code).toBe(0);
    const data = JSON.parse(readFileSync(join(out, 'report', 'data.json'), 'utf8')) as CompareData;
    expect(data.options.map((o) => o.id)).toEqual(['gke-standard', 'gke-autopilot', 'ecs-ec2', 'ecs-fargate', 'legacy']);
    for (const o of data.options) expect(o.monthly).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report', 'report.md'), 'utf8')).toContain('## Monthly cost (estimate)');
    expect(readFileSync(join(out, 'report', 'index.html'), 'utf8')).toContain('<svg');
    expect(io.out()).toMatch(/GKE Standard \(berth\)\s+\d+ × \S+\s+\$\d+\.\d\d\/month \(estimate\)/);
  });
});
