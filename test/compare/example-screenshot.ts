/**
 * Regenerates docs/compare-example.png, the README's picture of the example platform's report:
 *   npx tsc -p tsconfig.json && node lib/test/compare/example-screenshot.js
 * Uses the real ECS renderer (src/ecs/synth.ts) when this build has it, else the test stand-in (ecs-stand-in.ts).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildComparison } from '../../src/compare/compare.js';
import type { EcsInput } from '../../src/compare/ecs-input.js';
import { DEFAULT_PRICES } from '../../src/compare/prices.js';
import { writeComparison } from '../../src/compare/write.js';
import { packageRoot } from '../../src/cli/platform-file.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import type { RenderedEnvironment } from '../../src/render/types.js';
import { screenshot } from './browser.js';
import { ecsStandIn } from './ecs-stand-in.js';

type Synth = (p: PlatformDeclaration, env: string, o: { launch: 'ec2' | 'fargate' }) => { mapping: EcsInput['mapping']; tasks: EcsInput['ec2Tasks'] };

async function ecsFor(platform: PlatformDeclaration, env: RenderedEnvironment): Promise<{ ecs: EcsInput; real: boolean }> {
  const specifier = '../../src/ecs/synth.js';
  try {
    const { synthEcs } = (await import(specifier)) as { synthEcs: Synth };
    const ec2 = synthEcs(platform, env.name, { launch: 'ec2' });
    return { ecs: { mapping: ec2.mapping, ec2Tasks: ec2.tasks, fargateTasks: synthEcs(platform, env.name, { launch: 'fargate' }).tasks }, real: true };
  } catch {
    return { ecs: ecsStandIn(env), real: false };
  }
}

const root = packageRoot();
const platform = loadPlatformFile(join(root, 'charts/platform.yaml'));
const [production] = renderPlatform(platform, { environments: ['production'] });
const { ecs, real } = await ecsFor(platform, production);
const out = mkdtempSync(join(tmpdir(), 'berth-compare-example-'));
writeComparison(out, 'compare', buildComparison({ environment: production, ecs, prices: DEFAULT_PRICES, source: 'charts/platform.yaml' }));
const png = join(out, 'compare.png');
await screenshot(join(out, 'compare', 'index.html'), png, '1000,2100');
copyFileSync(png, resolve(root, 'docs/compare-example.png'));
process.stdout.write(`docs/compare-example.png written (ECS side: ${real ? 'src/ecs synthEcs' : 'test stand-in'})\n`);
