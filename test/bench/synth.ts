/**
 * Synth benchmark: `berth synth` vs. a naive cdk8s-plus-27 program (naive-cdk8s-plus.ts), each timed as
 * a whole command run through `sh -c`, so node startup, module loading and any cleanup are inside the time.
 *
 * Cases (per size, each with its own output folder per side):
 *  - fresh: `rm -rf <out> && <program>` — the SAME cleanup inside the timed command for both sides (the
 *    previous run's output is there to delete, as on a developer's machine);
 *  - all-changed: re-synth into the existing output, every service's image tag changed since the last run;
 *  - one-changed: re-synth into the existing output, one service's image tag changed.
 * One discarded warm-up per side per case, then `runs` measured runs, interleaved A/B then B/A.
 * Measured per run: wall (spawn → exit of the shell), CPU = user+sys of the shell's children (the shell's
 * `times`: rm and node included; 10 ms resolution), peak RSS (ru_maxrss of the node process, via the
 * `rss-probe.js` preload). After the timed runs, one more berth run with BERTH_PROFILE=1 (not timed) says
 * where berth's time goes.
 * Where the output folder lives moves the result (a new file costs an inode; on some disks that is most of berth's
 * write time, and berth writes a file per service where the baseline writes one), so the target cases at 1000
 * services run twice: in os.tmpdir() (the tables) and in a folder inside the repository checkout, where a user's
 * `dist/` lives. Both are reported, with what new and rewritten files cost in each folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlatformYaml } from './generate.js';
import { measureOutput, median } from './synth-output.js';
import {
  renderSynthReport,
  type CaseResult,
  type FileCosts,
  type FolderResult,
  type SideSummary,
  type Side,
  SYNTH_CASES,
  type SynthCase,
  TARGET_CASES,
  TARGET_SIZE,
  type V8Study,
} from './synth-report.js';
import { INTERRUPT_BUDGET } from '../../src/cli/v8-tuning.js';

export { measureOutput } from './synth-output.js';

export interface SynthBenchOptions {
  /** Service counts to benchmark. @default 10, 100, 1000, 5000 */
  readonly sizes?: readonly number[];
  /** Measured runs per side per case per size (median reported), minimum 1. @default 5 */
  readonly runs?: number;
  /** Cases to run. @default all three */
  readonly cases?: readonly SynthCase[];
  /** More folders to run the target cases in, each on its own file system (e.g. /dev/shm). @default none */
  readonly alsoIn?: readonly string[];
  /** The command line, for the report. @default none */
  readonly command?: string;
}

export const DEFAULT_SIZES = [10, 100, 1000, 5000];
export const DEFAULT_RUNS = 5;
const CHILD_TIMEOUT_MS = 10 * 60_000;

const here = path.dirname(fileURLToPath(import.meta.url)); // lib/test/bench
export const repoRoot = path.resolve(here, '..', '..', '..');
const BERTH_CLI = path.join(repoRoot, 'lib', 'src', 'cli', 'main.js');
const NAIVE = path.join(here, 'naive-cdk8s-plus.js');
const RSS_PROBE = path.join(here, 'rss-probe.js');

/** `sh -c` scripts: $1 is the output folder, the rest the program; `times` prints the children's CPU to stderr. */
const SCRIPT: Record<SynthCase, string> = {
  fresh: 'out="$1"; shift; rm -rf "$out" && "$@"; s=$?; times >&2; exit $s',
  'all-changed': 'shift; "$@"; s=$?; times >&2; exit $s',
  'one-changed': 'shift; "$@"; s=$?; times >&2; exit $s',
};

interface Sample {
  readonly ok: boolean;
  readonly wallMs: number;
  readonly cpuMs?: number;
  readonly rssKiB?: number;
  readonly error?: string;
  readonly stderr: string;
}

/** The three declarations of a size: base (tag 1.0.0), every tag changed, first service's tag changed. */
interface Declarations {
  readonly base: string;
  readonly allChanged: string;
  readonly oneChanged: string;
}

function writeDeclarations(workDir: string, n: number): Declarations {
  const file = (name: string, text: string) => (writeFileSync(path.join(workDir, name), text), path.join(workDir, name));
  return {
    base: file(`platform-${n}.yaml`, generatePlatformYaml(n)),
    allChanged: file(`platform-${n}-all.yaml`, generatePlatformYaml(n, { tag: '1.0.1' })),
    oneChanged: file(`platform-${n}-one.yaml`, generatePlatformYaml(n, { firstTag: '1.0.1' })),
  };
}

/** The declaration of run `i` (-1 = warm-up): re-synth cases alternate, so every run changes what it says. */
function declarationFor(c: SynthCase, d: Declarations, i: number): string {
  if (c === 'fresh' || i < 0) return d.base;
  const changed = c === 'all-changed' ? d.allChanged : d.oneChanged;
  return i % 2 === 0 ? changed : d.base;
}

function programArgs(side: Side, decl: string, out: string): string[] {
  return side === 'berth' ? [BERTH_CLI, 'synth', '--file', decl, '--out', out, '--quiet'] : [NAIVE, decl, out];
}

/** `times` prints two lines (the shell's, then its children's user and system time), e.g. `0m0.41s 0m0.08s`. */
function childCpuMs(stderr: string): number | undefined {
  const rows = [...stderr.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  if (rows.length < 2) return undefined;
  const ms = (m: RegExpMatchArray) => (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
  return ms(rows[rows.length - 1]) + ms(rows[rows.length - 2]);
}

/** Node flags per side (e.g. a V8 budget); none for the runs of the tables. */
type SideFlags = Readonly<Record<Side, readonly string[]>>;
const NO_FLAGS: SideFlags = { berth: [], naive: [] };

function runOnce(c: SynthCase, side: Side, decl: string, out: string, rssFile: string, profile = false, flags: readonly string[] = []): Sample {
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
function phasesOf(stderr: string): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const m of stderr.matchAll(/^ {2}(\S.*?)\s+(\d+) ms$/gm)) phases[m[1]] = Number(m[2]);
  return phases;
}

function runCase(c: SynthCase, n: number, decls: Declarations, workDir: string, runs: number, flags: SideFlags = NO_FLAGS): CaseResult {
  const sides: Side[] = ['berth', 'naive'];
  const out = (side: Side) => path.join(workDir, `out-${side}-${n}-${c}`);
  const rss = path.join(workDir, 'rss.txt');
  for (const side of sides) runOnce(c, side, declarationFor(c, decls, -1), out(side), rss, false, flags[side]); // warm-up, discarded
  const samples: Record<Side, Sample[]> = { berth: [], naive: [] };
  for (let i = 0; i < runs; i++) {
    for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
      const s = runOnce(c, side, declarationFor(c, decls, i), out(side), rss, false, flags[side]);
      samples[side].push(s);
      const fmt = (ms?: number) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
      const who = [side, ...flags[side]].join(' ');
      console.error(
        `  synth ${c} n=${n} run ${i + 1}/${runs} ${who}: ${fmt(s.wallMs)} wall, ${fmt(s.cpuMs)} cpu, ` +
          `${s.rssKiB ? (s.rssKiB / 1024).toFixed(0) : '—'} MiB${s.ok ? '' : ` FAILED (${s.error})`}`,
      );
    }
  }
  const result = { berth: summarize(samples.berth, out('berth')), naive: summarize(samples.naive, out('naive')) };
  const profiled = runOnce(c, 'berth', declarationFor(c, decls, runs), out('berth'), rss, true, flags.berth);
  for (const side of sides) rmSync(out(side), { recursive: true, force: true });
  return { case: c, n, ...result, phases: profiled.ok ? phasesOf(profiled.stderr) : {} };
}

/** Bytes of each probe file: about the size of one of berth's files at 1000 services (4.26 MiB in 1007 files). */
const PROBE_BYTES = 4200;
const PROBE_SAMPLES = 5;

/**
 * What files cost on the disk under `dir`: 5 samples, each in a new folder, of creating 1000 new files of PROBE_BYTES
 * (a new inode each, as berth's writes) and of then rewriting the same 1000 files in place (O_TRUNC, no new inode).
 * One sample moves a lot with the file system's state (a first sample here once gave 18 ms, the next ones 530–680 ms).
 */
export function fileCosts(dir: string): FileCosts {
  const create: number[] = [];
  const rewrite: number[] = [];
  const data = 'x'.repeat(PROBE_BYTES);
  const timed = (fn: () => void): number => {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let s = 0; s < PROBE_SAMPLES; s++) {
    const at = mkdtempSync(path.join(dir, 'creates-'));
    try {
      const files = Array.from({ length: 1000 }, (_, i) => path.join(at, `f${i}`));
      create.push(timed(() => files.forEach((f) => writeFileSync(f, data, { flag: 'wx' }))));
      rewrite.push(timed(() => files.forEach((f) => writeFileSync(f, data, { flag: 'w' }))));
    } finally {
      rmSync(at, { recursive: true, force: true });
    }
  }
  return { createMs: median(create), createMinMs: Math.min(...create), createMaxMs: Math.max(...create), rewriteMs: median(rewrite) };
}

/** V8's own `--interrupt-budget` default on this node (the budget berth replaces with INTERRUPT_BUDGET). */
export function v8DefaultBudget(): number | undefined {
  const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).stdout ?? '';
  const m = /^\s+--interrupt-budget \(.*\)\n\s+type: int\s+default: --interrupt-budget=(\d+)/m.exec(options);
  return m ? Number(m[1]) : undefined;
}

/**
 * Case (a) at the target size with both programs on the same V8 budget: V8's default (berth is given it explicitly,
 * and then keeps it) and berth's own. Shows how much of berth's ratio comes from the budget it sets for itself.
 */
function runBudgetStudy(workDir: string, runs: number): V8Study | undefined {
  const budget = v8DefaultBudget();
  if (budget === undefined) return undefined;
  const decls = writeDeclarations(workDir, TARGET_SIZE);
  const defaults = runCase('fresh', TARGET_SIZE, decls, workDir, runs, { berth: [`--interrupt-budget=${budget}`], naive: [] });
  const tuned = runCase('fresh', TARGET_SIZE, decls, workDir, runs, { berth: [], naive: [`--interrupt-budget=${INTERRUPT_BUDGET}`] });
  return { defaultBudget: budget, berthBudget: INTERRUPT_BUDGET, defaults, tuned };
}

/** The target cases at the target size, run in `workDir` (another folder than the tables'). */
function runInFolder(label: string, workDir: string, cases: readonly SynthCase[], runs: number): FolderResult {
  const decls = writeDeclarations(workDir, TARGET_SIZE);
  const files = fileCosts(workDir);
  const results = TARGET_CASES.filter((c) => cases.includes(c)).map((c) => runCase(c, TARGET_SIZE, decls, workDir, runs));
  return { label, folder: workDir, files, results };
}

/** Runs the synth benchmark and returns a markdown report (method, machine, versions, tables, phases, targets). */
export async function runSynthBench(opts: SynthBenchOptions = {}): Promise<string> {
  const sizes = opts.sizes?.length ? opts.sizes : DEFAULT_SIZES;
  const runs = Math.max(1, Math.floor(opts.runs ?? DEFAULT_RUNS));
  const cases = opts.cases?.length ? opts.cases : SYNTH_CASES;
  if (!existsSync(BERTH_CLI) || !existsSync(NAIVE)) throw new Error(`synth bench: build first (npm run build): ${BERTH_CLI} or ${NAIVE} is missing`);
  const loadBefore = os.loadavg()[0];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-synth-'));
  const repoWork = path.join(repoRoot, '.bench-work');
  const results: CaseResult[] = [];
  const folders: FolderResult[] = [];
  const extra: string[] = [];
  let study: V8Study | undefined;
  try {
    for (const n of sizes) {
      const decls = writeDeclarations(workDir, n);
      for (const c of cases) results.push(runCase(c, n, decls, workDir, runs));
    }
    if (sizes.includes(TARGET_SIZE)) {
      folders.push({ label: 'os.tmpdir()', folder: workDir, files: fileCosts(workDir), results: [] });
      mkdirSync(repoWork, { recursive: true });
      folders.push(runInFolder('repository checkout', mkdtempSync(path.join(repoWork, 'synth-')), cases, runs));
      if (cases.includes('fresh')) study = runBudgetStudy(workDir, runs);
      for (const dir of opts.alsoIn ?? []) {
        const at = mkdtempSync(path.join(dir, 'berth-bench-synth-'));
        extra.push(at);
        folders.push(runInFolder(`folder ${dir}`, at, cases, runs));
      }
    }
    const load = `${loadBefore.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end`;
    return renderSynthReport({ results, folders, study, runs, load, workDir, repoRoot, command: opts.command });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(repoWork, { recursive: true, force: true });
    for (const at of extra) rmSync(at, { recursive: true, force: true });
  }
}
