/** `berth compare` with the real ECS renderer (src/ecs, aws-cdk-lib) on every platform in charts/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare } from '../../src/cli/commands/compare.js';
import { captureIo } from '../gitops/cli-io.js';
import { tempDir } from '../helpers.js';

const PLATFORMS = [
  'charts/platform.yaml',
  ...readdirSync('charts/examples')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `charts/examples/${f}`),
];

describe('berth compare with the real ECS rendering', () => {
  test.each(PLATFORMS)(
    '%s: report written, ECS side filled from synthEcs',
    async (file) => {
      // GIVEN a platform  WHEN compared for production with the real ECS renderer
      const out = tempDir();
      const io = captureIo(out, {});
      const code = await compare(['--env', 'production', '--file', join(process.cwd(), file), '--out', 'compare'], io);
      // THEN the three files exist and the data names ECS statuses for the features
      expect([code, io.err().replace(/^berth: using .*\n/m, '')]).toEqual([0, '']);
      for (const f of ['index.html', 'report.md', 'data.json']) expect(existsSync(join(out, 'compare', f))).toBe(true);
      const data = JSON.stringify(JSON.parse(readFileSync(join(out, 'compare', 'data.json'), 'utf8')));
      expect(data).toMatch(/"(mapped|partial|unsupported)"/);
    },
    120_000,
  );
});
