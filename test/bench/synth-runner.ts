/**
 * The synth benchmark's runner: one program run timed as a whole command through `sh -c` (wall, the shell's
 * children's CPU via `times`, peak RSS via the rss-probe preload), and a loop of interleaved arms (program variants).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlatformYaml } from './generate.js';
import { measureOutput, median } from './synth-output.js';
import { ISSUE_PLUS, NEWEST_PLUS } from './plus-lines.js';
import type { Side, SideSummary, SynthCase } from './synth-report.js';

const CHILD_TIMEOUT_MS = 10 * 60_000;

const here = path.dirname(fileURLToPath(import.meta.url)); // lib/test/bench
export const repoRoot = path.resolve(here, '..', '..', '..');
export const BERTH_CLI = path.join(repoRoot, 'lib', 'bin', 'berth.js');
export const NAIVE = path.join(here, 'naive-cdk8s-plus.js');
const RSS_PROBE = path.join(here, 'rss-probe.js');

/** `sh -c` scripts: $1 is the output folder, the rest the program; `times` prints the children's CPU to stderr. */
const SCRIPT: Record<SynthCase, string> = {
  fresh: 'out="$1"; shift; rm -rf "$out" && "$@"; s=$?; times >&2; exit $s',
  'all-changed': 'shift; "$@"; s=$?; times >&2; exit $s',
  'one-changed': 'shift; "$@"; s=$?; times >&2; exit $s',
};

export interface Sample {
  readonly ok: boolean;
  readonly wallMs: number;
  readonly cpuMs?: number;
  readonly rssKiB?: number;
  readonly error?: string;
  readonly stderr: string;
}

/** The declarations of a size: the base (tag 1.0.0), and where the re-synth cases write theirs. */
export interface Declarations {
  readonly base: string;
  readonly workDir: string;
  readonly n: number;
}

export function writeDeclarations(workDir: string, n: number): Declarations {
  const base = path.join(workDir, `platform-${n}.yaml`);
  writeFileSync(base, generatePlatformYaml(n));
  return { base, workDir, n };
}

/**
 * The declaration of run `i` (-1 = warm-up) for `side` (side `perService`: the same platform with
 * `layout: per-service`). In the re-synth cases every run gets an image tag no earlier run used
 * (every service's in (b), the first service's in (c)), so no file berth kept from any earlier run already holds it:
 * alternating two declarations would let berth's spare rendering, two renderings back, match every file.
 */
export function declarationFor(c: SynthCase, d: Declarations, i: number, side: Side = 'berth'): string {
  const base = c === 'fresh' || i < 0;
  const layout = side === 'perService' ? 'per-service' : undefined;
  if (base && !layout) return d.base;
  const tag = `1.1.${i}`;
  const file = path.join(d.workDir, `platform-${d.n}${base ? '' : `-${c}-${i}`}${layout ? '-per-service' : ''}.yaml`);
  const tags = base ? {} : c === 'all-changed' ? { tag } : { firstTag: tag };
  if (!existsSync(file)) writeFileSync(file, generatePlatformYaml(d.n, { ...tags, layout }));
  return file;
}

function programArgs(side: Side, decl: string, out: string): string[] {
  if (side === 'berth' || side === 'perService') return [BERTH_CLI, 'synth', '--file', decl, '--out', out, '--quiet'];
  return [NAIVE, decl, out, side === 'newest' ? NEWEST_PLUS : ISSUE_PLUS];
}

/** `times` prints two lines (the shell's, then its children's user and system time), e.g. `0m0.41s 0m0.08s`. */
function childCpuMs(stderr: string): number | undefined {
  const rows = [...stderr.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  if (rows.length < 2) return undefined;
  const ms = (m: RegExpMatchArray) => (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
  return ms(rows[rows.length - 1]) + ms(rows[rows.length - 2]);
}

export function runOnce(c: SynthCase, side: Side, decl: string, out: string, rssFile: string, profile = false, flags: readonly string[] = []): Sample {
  rmSync(rssFile, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, BERTH_BENCH_RSS_FILE: rssFile };
  delete env.BERTH_PROFILE;
  if (profile) env.BERTH_PROFILE = '1';
  const t0 = process.hrtime.bigint();
  const child = spawnSync('sh', ['-c', SCRIPT[c], 'bench', out, process.execPath, ...flags, '--import', RSS_PROBE, ...programArgs(side, decl, out)], {
    cwd: path.dirname(decl),
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const stderr = child.stderr?.toString() ?? '';
  const rows = existsSync(rssFile)
    ? readFileSync(rssFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ').map(Number))
    : [];
  const ok = child.status === 0 && !child.error;
  const error = ok
    ? undefined
    : child.error
      ? String(child.error.message)
      : `exit ${child.status ?? child.signal}: ${stderr.trim().split('\n').slice(-4).join(' | ')}`;
  return { ok, wallMs, cpuMs: childCpuMs(stderr), rssKiB: rows.length ? Math.max(...rows.map((r) => r[1])) : undefined, error, stderr };
}

function summarize(samples: readonly Sample[], out: string): SideSummary {
  const ok = samples.filter((s) => s.ok);
  const pick = ok.length ? ok : samples;
  const numbers = (f: (s: Sample) => number | undefined) => pick.map(f).filter((x): x is number => x !== undefined);
  const walls = numbers((s) => s.wallMs);
  return {
    ok: ok.length === samples.length,
    runs: ok.length,
    wallMedianMs: median(walls),
    wallMinMs: Math.min(...walls),
    wallMaxMs: Math.max(...walls),
    cpuMedianMs: median(numbers((s) => s.cpuMs)),
    rssMedianKiB: median(numbers((s) => s.rssKiB)),
    ...measureOutput(out),
    error: samples.find((s) => !s.ok)?.error,
  };
}

/** Phase → ms from a BERTH_PROFILE report (`  <phase>   <ms> ms` lines). */
export function phasesOf(stderr: string): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const m of stderr.matchAll(/^ {2}(\S.*?)\s+(\d+) ms$/gm)) phases[m[1]] = Number(m[2]);
  return phases;
}

/** One program variant in a measured loop: a side, its node flags (e.g. a V8 budget) and a key naming its output folder. */
export interface Arm {
  readonly key: string;
  readonly side: Side;
  readonly flags: readonly string[];
}

export const outFolder = (workDir: string, arm: Arm, n: number, c: SynthCase) => path.join(workDir, `out-${arm.key}-${n}-${c}`);

/**
 * Runs every arm once as a discarded warm-up, then `runs` rounds in which every arm runs once, the order rotating
 * from round to round (A B C, B C A, …) so that no arm always follows the same one. Output folders are left behind.
 */
export function runArms(c: SynthCase, n: number, decls: Declarations, workDir: string, runs: number, arms: readonly Arm[]): Map<string, SideSummary> {
  const rss = path.join(workDir, 'rss.txt');
  // every run's declaration written now, not between timed runs
  for (let i = 0; i < runs; i++) for (const arm of arms) declarationFor(c, decls, i, arm.side);
  for (const arm of arms) runOnce(c, arm.side, declarationFor(c, decls, -1, arm.side), outFolder(workDir, arm, n, c), rss, false, arm.flags);
  const samples = new Map<string, Sample[]>(arms.map((a) => [a.key, []]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < arms.length; j++) {
      const arm = arms[(i + j) % arms.length];
      const s = runOnce(c, arm.side, declarationFor(c, decls, i, arm.side), outFolder(workDir, arm, n, c), rss, false, arm.flags);
      samples.get(arm.key)?.push(s);
      const fmt = (ms?: number) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
      console.error(
        `  synth ${c} n=${n} run ${i + 1}/${runs} ${[arm.side, ...arm.flags].join(' ')}: ${fmt(s.wallMs)} wall, ${fmt(s.cpuMs)} cpu, ` +
          `${s.rssKiB ? (s.rssKiB / 1024).toFixed(0) : '—'} MiB${s.ok ? '' : ` FAILED (${s.error})`}`,
      );
    }
  }
  return new Map(arms.map((a) => [a.key, summarize(samples.get(a.key) ?? [], outFolder(workDir, a, n, c))]));
}
