/**
 * Synth benchmark: `berth synth` vs. a naive cdk8s-plus program (naive-cdk8s-plus.ts) on cdk8s-plus-27 (issue 10's
 * baseline) and on the newest cdk8s-plus line, each timed as a whole command run through `sh -c`, so node startup,
 * module loading and any cleanup are inside the time.
 *
 * Cases (per size, each with its own output folder per side):
 *  - fresh: `rm -rf <out> && <program>` — the SAME cleanup inside the timed command for both sides (the
 *    previous run's output is there to delete, as on a developer's machine);
 *  - all-changed: re-synth into the existing output, every service's image tag changed since the last run;
 *  - one-changed: re-synth into the existing output, one service's image tag changed.
 * One discarded warm-up per program per case, then `runs` measured rounds, the programs' order rotating every round.
 * Measured per run: wall (spawn → exit of the shell), CPU = user+sys of the shell's children (the shell's
 * `times`: rm and node included; 10 ms resolution), peak RSS (ru_maxrss of the node process, via the
 * `rss-probe.js` preload). After the timed runs, one more berth run with BERTH_PROFILE=1 (not timed) says
 * where berth's time goes.
 * Where the output folder lives moves the result (a new file costs an inode; on some disks that is most of berth's
 * write time, and berth writes a file per service where the baseline writes one), so the target cases at 1000
 * services run twice: in os.tmpdir() (the tables) and in a folder inside the repository checkout, where a user's
 * `dist/` lives (and in any `--also-in` folder). Both are reported, with what new and rewritten files cost in each
 * folder and each folder's file system. Case (a) at 1000 services also runs as a V8 study: berth and the naive app,
 * each on V8's default tier-up budget and on berth's, four arms interleaved in one loop (runBudgetStudy).
 * The runner itself (one timed command, interleaved arms) is synth-runner.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSystemOf } from './bench-facts.js';
import { median } from './synth-output.js';
import {
  type Arm,
  BERTH_CLI,
  type Declarations,
  declarationFor,
  NAIVE,
  outFolder,
  phasesOf,
  repoRoot,
  runArms,
  runOnce,
  writeDeclarations,
} from './synth-runner.js';
import {
  renderSynthReport,
  type CaseResult,
  type FileCosts,
  type FolderResult,
  type SideSummary,
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
const TABLE_ARMS: readonly Arm[] = [
  { key: 'berth', side: 'berth', flags: [] },
  { key: 'perService', side: 'perService', flags: [] },
  { key: 'naive', side: 'naive', flags: [] },
  { key: 'newest', side: 'newest', flags: [] },
];

function runCase(c: SynthCase, n: number, decls: Declarations, workDir: string, runs: number): CaseResult {
  const summaries = runArms(c, n, decls, workDir, runs, TABLE_ARMS);
  const [berthArm] = TABLE_ARMS;
  const profiled = runOnce(c, 'berth', declarationFor(c, decls, runs), outFolder(workDir, berthArm, n, c), path.join(workDir, 'rss.txt'), true);
  for (const arm of TABLE_ARMS) rmSync(outFolder(workDir, arm, n, c), { recursive: true, force: true });
  const pick = (key: string) => summaries.get(key) as SideSummary;
  const phases = profiled.ok ? phasesOf(profiled.stderr) : {};
  return { case: c, n, berth: pick('berth'), perService: pick('perService'), naive: pick('naive'), newest: pick('newest'), phases };
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
function v8DefaultBudget(): number | undefined {
  const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).stdout ?? '';
  const m = /^\s+--interrupt-budget \(.*\)\n\s+type: int\s+default: --interrupt-budget=(\d+)/m.exec(options);
  return m ? Number(m[1]) : undefined;
}

/** Rounds of the V8 study: at least 5, as its four arms differ by less than the tables' two. */
const STUDY_MIN_RUNS = 5;

/**
 * Case (a) at the target size, four arms interleaved in one loop: berth as shipped and with V8's default budget
 * (given explicitly, which berth then keeps), the naive app on V8's default and with berth's budget. Shows how much
 * of berth's ratio comes from the budget it sets for itself.
 */
/**
 * Where the V8 study runs: on tmpfs (/dev/shm) when there is one, since a new file's cost on some disks swings by more
 * than the budget moves CPU time (see FOLDER_NOTES); else in the tables' folder.
 */
function studyBase(workDir: string): string {
  return existsSync('/dev/shm') && fileSystemOf('/dev/shm') === 'tmpfs' ? '/dev/shm' : workDir;
}

function runBudgetStudy(workDir: string, runs: number): V8Study | undefined {
  const budget = v8DefaultBudget();
  if (budget === undefined) return undefined;
  const arms: Arm[] = [
    { key: 'berth-shipped', side: 'berth', flags: [] },
    { key: 'naive-default', side: 'naive', flags: [] },
    { key: 'berth-default', side: 'berth', flags: [`--interrupt-budget=${budget}`] },
    { key: 'naive-tuned', side: 'naive', flags: [`--interrupt-budget=${INTERRUPT_BUDGET}`] },
  ];
  const decls = writeDeclarations(workDir, TARGET_SIZE);
  const rounds = Math.max(runs, STUDY_MIN_RUNS);
  const s = runArms('fresh', TARGET_SIZE, decls, workDir, rounds, arms);
  for (const arm of arms) rmSync(outFolder(workDir, arm, TARGET_SIZE, 'fresh'), { recursive: true, force: true });
  const pair = (berth: string, naive: string): CaseResult => ({
    case: 'fresh',
    n: TARGET_SIZE,
    berth: s.get(berth) as SideSummary,
    naive: s.get(naive) as SideSummary,
    phases: {},
  });
  return {
    defaultBudget: budget,
    berthBudget: INTERRUPT_BUDGET,
    runs: rounds,
    folder: `${path.dirname(workDir)} (${fileSystemOf(workDir)})`,
    shipped: pair('berth-shipped', 'naive-default'),
    defaults: pair('berth-default', 'naive-default'),
    tuned: pair('berth-shipped', 'naive-tuned'),
  };
}

/** The target cases at the target size, run in `workDir` (another folder than the tables'). */
function runInFolder(label: string, workDir: string, cases: readonly SynthCase[], runs: number): FolderResult {
  const decls = writeDeclarations(workDir, TARGET_SIZE);
  const before = fileCosts(workDir);
  const results = TARGET_CASES.filter((c) => cases.includes(c)).map((c) => runCase(c, TARGET_SIZE, decls, workDir, runs));
  return { label, folder: workDir, files: { before, after: fileCosts(workDir) }, results };
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
    // what a new file costs in os.tmpdir() before the tables' runs (and, below, after them)
    const tmpBefore = sizes.includes(TARGET_SIZE) ? fileCosts(workDir) : undefined;
    for (const n of sizes) {
      const decls = writeDeclarations(workDir, n);
      for (const c of cases) results.push(runCase(c, n, decls, workDir, runs));
    }
    if (tmpBefore) {
      folders.push({ label: 'os.tmpdir()', folder: workDir, files: { before: tmpBefore, after: fileCosts(workDir) }, results: [] });
      mkdirSync(repoWork, { recursive: true });
      folders.push(runInFolder('repository checkout', mkdtempSync(path.join(repoWork, 'synth-')), cases, runs));
      if (cases.includes('fresh')) {
        const at = mkdtempSync(path.join(studyBase(workDir), 'berth-bench-v8-'));
        extra.push(at);
        study = runBudgetStudy(at, runs);
      }
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
