/**
 * kube-score (built by .ci/run) on every environment of every platform in charts/: zero CRITICAL, except the checks
 * test/security/kube-score-ignore.yaml lists with their reasons — and each listed check must still be needed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { loadPlatformFile } from '../../src/declaration/load.js';
import { renderPlatform } from '../../src/render/render.js';
import type { RenderedEnvironment } from '../../src/render/types.js';
import { tempDir } from '../helpers.js';
import { PLATFORM_FILES, tool } from './tools.js';

interface IgnoreEntry {
  readonly check: string;
  readonly option?: string;
  readonly reason: string;
}

const IGNORES = (yaml.load(readFileSync('test/security/kube-score-ignore.yaml', 'utf8')) as { ignore: IgnoreEntry[] }).ignore;
const argsOf = (e: IgnoreEntry): string[] => (e.option ? [e.option] : ['--ignore-test', e.check]);

interface Environment {
  readonly label: string;
  readonly rendered: RenderedEnvironment;
  /** The environment's YAML files, one per kube-score argument (kube-score reads each file as one stream). */
  readonly files: string[];
}

const ENVIRONMENTS: Environment[] = PLATFORM_FILES.flatMap((file) =>
  renderPlatform(loadPlatformFile(file)).map((rendered) => {
    const dir = tempDir();
    const files = rendered.files
      .filter((f) => f.path.endsWith('.yaml'))
      .map((f) => {
        writeFileSync(join(dir, f.path), f.content);
        return join(dir, f.path);
      });
    return { label: `${file} ${rendered.name}`, rendered, files };
  }),
);

interface Finding {
  readonly grade: string;
  /** `name/namespace apiVersion/Kind: (container) message`, as kube-score's ci format prints it. */
  readonly text: string;
}

/** Runs kube-score (`--output-format ci`) and parses every line. */
function score(env: Environment, ignores: readonly IgnoreEntry[]): Finding[] {
  const run = spawnSync(tool('kube-score'), ['score', '--output-format', 'ci', '--kubernetes-version', 'v1.30', ...ignores.flatMap(argsOf), ...env.files], {
    encoding: 'utf8',
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`kube-score failed (${run.status}): ${run.stderr}`);
  const findings = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const m = /^\[([A-Z]+)\] (.*)$/.exec(line);
      if (!m) throw new Error(`unexpected kube-score line: ${line}`);
      return { grade: m[1], text: m[2] };
    });
  if (findings.filter((f) => f.grade === 'OK').length === 0) throw new Error(`kube-score scored nothing for ${env.label}: ${run.stderr}`);
  return findings;
}

describe('kube-score', () => {
  test('every ignored check has a reason', () => {
    expect(IGNORES.length).toBeGreaterThan(0);
    for (const e of IGNORES) expect(e.reason.length).toBeGreaterThan(40);
  });

  test.each(ENVIRONMENTS.map((e) => [e.label, e] as const))('%s: zero CRITICAL besides the documented ignores', (_label, env) => {
    // GIVEN the environment's rendered files  WHEN kube-score scores them with the documented ignores
    const findings = score(env, IGNORES);
    // THEN nothing is CRITICAL
    expect(findings.filter((f) => f.grade === 'CRITICAL').map((f) => f.text)).toEqual([]);
    const count = (grade: string): number => findings.filter((f) => f.grade === grade).length;
    process.stdout.write(`kube-score ${env.label}: ${count('OK')} OK, ${count('WARNING')} WARNING, 0 CRITICAL, ${count('SKIPPED')} skipped\n`);
  });

  test.each(IGNORES.map((e) => [e.check, e] as const))('the ignore of %s is still needed, and only where documented', (_check, entry) => {
    // GIVEN every environment  WHEN scored without this one ignore
    const others = IGNORES.filter((e) => e !== entry);
    const criticals = ENVIRONMENTS.flatMap((env) =>
      score(env, others)
        .filter((f) => f.grade === 'CRITICAL')
        .map((f) => ({ env, text: f.text })),
    );
    // THEN it finds something (else the entry is stale and must go)
    expect(criticals.length).toBeGreaterThan(0);
    if (entry.check === 'container-image-pull-policy') {
      // AND only on containers whose image is pinned by digest (tagged images must pull Always)
      for (const c of criticals) expect(imageOf(c.env.rendered, c.text)).toContain('@sha256:');
    }
  });
});

/** The image of the container a ci line names: `name/namespace apps/v1/Kind: (container) …`. */
function imageOf(rendered: RenderedEnvironment, text: string): string | undefined {
  const m = /^([^/ ]+)\/\S+ \S+\/(\w+): \(([^)]+)\)/.exec(text);
  if (!m) return undefined;
  const o = rendered.objects.find((x) => x.kind === m[2] && x.metadata.name === m[1]) as
    { spec?: { template?: { spec?: { containers?: { name: string; image: string }[]; initContainers?: { name: string; image: string }[] } } } } | undefined;
  const pod = o?.spec?.template?.spec;
  return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].find((c) => c.name === m[3])?.image;
}
