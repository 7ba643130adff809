import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/cli/platform-file.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import { synthEcs } from '../../src/ecs/synth.js';
import { ECS_LAUNCHES } from '../../src/ecs/types.js';
import { tempDir } from '../helpers.js';

/** The version `.ci/run` installs. */
const CFN_LINT_VERSION = '1.58.0';
/** Findings allowed, by rule id, with the reason. None today: every finding fails the test. */
const ALLOWED: Readonly<Record<string, string>> = {};

const root = packageRoot();
const platforms = [
  ...readdirSync(join(root, 'charts'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('charts', f)),
  ...readdirSync(join(root, 'charts/examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('charts/examples', f)),
];

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
}

describe('cfn-lint on every example platform, every environment, both launch types', () => {
  it('has cfn-lint installed (.ci/run installs it)', () => {
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if (version.error)
      throw new Error(`cfn-lint is not installed: run .ci/run, which installs cfn-lint==${CFN_LINT_VERSION} with pip (${version.error.message})`);
    expect(version.stdout.trim()).toBe(`cfn-lint ${CFN_LINT_VERSION}`);
  });

  it('finds no error and no warning', () => {
    // GIVEN every template berth ecs writes for the example platforms
    const dir = tempDir('berth-cfn-lint-');
    const files: string[] = [];
    for (const file of platforms) {
      const platform = loadPlatformFile(join(root, file));
      for (const env of Object.keys(platform.environments)) {
        for (const launch of ECS_LAUNCHES) {
          const out = join(dir, `${file.replace(/[/.]/g, '_')}-${env}-${launch}.json`);
          writeFileSync(out, synthEcs(platform, env, { launch }).templateJson);
          files.push(out);
        }
      }
    }
    expect(files.length).toBeGreaterThanOrEqual(platforms.length * 2);
    // WHEN cfn-lint checks them all
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (run.error) throw new Error(`cfn-lint is not installed: run .ci/run (${run.error.message})`);
    const findings = (JSON.parse(run.stdout || '[]') as Finding[]).filter((f) => !(f.Rule.Id in ALLOWED));
    // THEN nothing is reported
    expect(findings.map((f) => `${f.Level} ${f.Rule.Id} ${f.Filename}: ${f.Message}`)).toEqual([]);
    expect(run.stderr).toBe('');
  }, 180_000);

  it('reports a broken template (the check can fail)', () => {
    // GIVEN a valid template with an impossible network mode WHEN linted THEN cfn-lint reports an error
    const platform = loadPlatformFile(join(root, 'charts/examples/grpc-shop.yaml'));
    const broken = synthEcs(platform, 'staging', { launch: 'ec2' }).templateJson.replace('"NetworkMode": "bridge"', '"NetworkMode": "bridged"');
    const file = join(tempDir('berth-cfn-lint-'), 'broken.json');
    writeFileSync(file, broken);
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8' });
    expect((JSON.parse(run.stdout || '[]') as Finding[]).map((f) => f.Level)).toContain('Error');
  }, 60_000);
});
