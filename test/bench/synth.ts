/**
 * Synth benchmark: `berth synth` vs. a naive cdk8s-plus-27 program, each as a whole process.
 *
 * For every size: write the declaration to a temp dir, run one discarded warm-up per side, then
 * `runs` measured runs per side, interleaved A/B then B/A to spread drift evenly. Each run writes to
 * a fresh temp output dir (never the repo's dist/); outputs are deleted after the last run only. Measured per run: wall time of the whole
 * process (spawn → exit, includes node startup), peak RSS (ru_maxrss via the `rss-probe.js`
 * preload), objects (YAML documents with a top-level `kind:`) and bytes written (all files).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePlatformYaml } from './generate.js';

export interface SynthBenchOptions {
  /** Service counts to benchmark. Default: 10, 100, 1000, 5000. */
  sizes?: number[];
  /** Measured runs per side per size (median reported). Default 5, minimum 1. */
  runs?: number;
}

export const DEFAULT_SIZES = [10, 100, 1000, 5000];
export const DEFAULT_RUNS = 5;

/** Targets from the issue. */
const TARGET_SIZE = 1000;
const SCALE_FROM = 1000;
const SCALE_TO = 5000;
const MAX_WALL_RATIO = 0.5;
const MAX_SCALING = 5.5;
const CHILD_TIMEOUT_MS = 10 * 60_000;

const here = path.dirname(fileURLToPath(import.meta.url)); // lib/test/bench
const repoRoot = path.resolve(here, '..', '..', '..');
const BERTH_CLI = path.join(repoRoot, 'lib', 'src', 'cli', 'main.js');
const NAIVE = path.join(here, 'naive-cdk8s-plus.js');
const RSS_PROBE = path.join(here, 'rss-probe.js');

type Side = 'berth' | 'naive';
const SIDE_LABEL: Record<Side, string> = { berth: 'berth', naive: 'naive cdk8s-plus' };

interface RunResult {
  ok: boolean;
  wallMs: number;
  rssKiB?: number;
  /** user + system CPU time of the child (less sensitive to a busy machine than wall time). */
  cpuMs?: number;
  objects: number;
  bytes: number;
  files: number;
  error?: string;
}

interface SideSummary {
  ok: boolean;
  runs: number;
  wallMedianMs: number;
  wallMinMs: number;
  wallMaxMs: number;
  rssMedianKiB?: number;
  cpuMedianMs?: number;
  objects: number;
  bytes: number;
  files: number;
  /** Set when outputs differed between runs (should never happen: synth is deterministic). */
  unstableOutput: boolean;
  error?: string;
}

interface SizeResult {
  n: number;
  berth: SideSummary;
  naive: SideSummary;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Objects = YAML documents with a top-level `kind:`; bytes = every file written. */
export function measureOutput(dir: string): { objects: number; bytes: number; files: number } {
  let objects = 0;
  let bytes = 0;
  const files = walk(dir);
  for (const f of files) {
    bytes += statSync(f).size;
    if (/\.ya?ml$/.test(f)) {
      for (const doc of readFileSync(f, 'utf8').split(/^---[ \t]*$/m)) {
        if (/^kind:[ \t]*\S/m.test(doc)) objects++;
      }
    }
  }
  return { objects, bytes, files: files.length };
}

function runOnce(side: Side, declFile: string, workDir: string, tag: string): RunResult {
  const outDir = path.join(workDir, `out-${tag}`);
  const rssFile = path.join(workDir, `rss-${tag}.txt`);
  rmSync(outDir, { recursive: true, force: true });
  rmSync(rssFile, { force: true });
  // The output dir does not exist beforehand: each program creates it, as on a fresh checkout.
  // Outputs are only deleted when the whole benchmark ends: on this VM's ext4 (mounted with
  // `discard`) creating 1000 files right after deleting 1000 took 1.1 s against 0.1-0.2 s otherwise,
  // so cleaning up between runs would time the harness's deletions, not the program.
  spawnSync('sync', { stdio: 'ignore' });

  const script = side === 'berth' ? BERTH_CLI : NAIVE;
  const args =
    side === 'berth' ? [script, 'synth', '--file', declFile, '--out', outDir] : [script, declFile, outDir];

  const t0 = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', RSS_PROBE, ...args], {
    cwd: workDir,
    env: { ...process.env, BERTH_BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: CHILD_TIMEOUT_MS,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;

  let rssKiB: number | undefined;
  let cpuMs: number | undefined;
  if (existsSync(rssFile)) {
    const rows = readFileSync(rssFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').map(Number));
    if (rows.length) {
      rssKiB = Math.max(...rows.map((r) => r[1]!));
      cpuMs = rows.reduce((sum, r) => sum + (r[2]! + r[3]!) / 1000, 0);
    }
  }
  const ok = child.status === 0 && !child.error;
  const out = measureOutput(outDir);
  const result: RunResult = { ok, wallMs, objects: out.objects, bytes: out.bytes, files: out.files };
  if (rssKiB !== undefined) result.rssKiB = rssKiB;
  if (cpuMs !== undefined) result.cpuMs = cpuMs;
  if (!ok) {
    const stderr = (child.stderr?.toString() ?? '').trim().split('\n').slice(-5).join(' | ');
    result.error = child.error
      ? String(child.error.message)
      : `exit ${child.status ?? child.signal}${stderr ? `: ${stderr}` : ''}`;
  }
  return result;
}

function summarize(runs: RunResult[]): SideSummary {
  const okRuns = runs.filter((r) => r.ok);
  const failed = runs.find((r) => !r.ok);
  const pick = okRuns.length ? okRuns : runs;
  const walls = pick.map((r) => r.wallMs);
  const rss = pick.map((r) => r.rssKiB).filter((x): x is number => x !== undefined);
  const first = pick[0]!;
  const summary: SideSummary = {
    ok: failed === undefined,
    runs: okRuns.length,
    wallMedianMs: median(walls),
    wallMinMs: Math.min(...walls),
    wallMaxMs: Math.max(...walls),
    objects: first.objects,
    bytes: first.bytes,
    files: first.files,
    unstableOutput: pick.some((r) => r.objects !== first.objects || r.bytes !== first.bytes),
  };
  if (rss.length) summary.rssMedianKiB = median(rss);
  const cpu = pick.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  if (cpu.length) summary.cpuMedianMs = median(cpu);
  if (failed?.error) summary.error = failed.error;
  return summary;
}

function skipped(error: string): SideSummary {
  return {
    ok: false, runs: 0, wallMedianMs: NaN, wallMinMs: NaN, wallMaxMs: NaN,
    objects: 0, bytes: 0, files: 0, unstableOutput: false, error,
  };
}

const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
const fmtMiB = (kib?: number) => (kib === undefined ? '—' : `${(kib / 1024).toFixed(0)} MiB`);
const fmtBytes = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(2)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const fmtX = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');

export function machineFacts(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim() ?? 'unknown CPU';
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  const mem = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `node ${process.version}, ${model}, ${cores} cores, ${mem} GiB RAM, ${os.type()} ${os.release()} (${os.arch()})`;
}

function render(results: SizeResult[], runs: number, verdicts: string[], load: string): string {
  const lines: string[] = [];
  lines.push(`Machine: ${machineFacts()}; load average (1 min) ${load}  `);
  lines.push(
    `Method: whole process (\`node lib/src/cli/main.js synth\` vs \`node lib/test/bench/naive-cdk8s-plus.js\`), ` +
      `${runs} measured runs per side per size after 1 discarded warm-up, interleaved A/B–B/A; ` +
      `wall = spawn→exit; peak RSS = ru_maxrss of the child (median); objects = YAML documents with \`kind:\`; ` +
      `CPU = user+sys of the child; bytes = all files written; outputs are deleted only after the last run ` +
      `(on this VM's ext4, mounted with \`discard\`, creating 1000 files right after deleting 1000 took 1.1 s instead of 0.1–0.2 s, ` +
      `which would time the harness's cleanup rather than the program). Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  );
  lines.push('');
  lines.push('| Services | Program | Wall (median) | Wall (min–max) | CPU user+sys (median) | Peak RSS (median) | Objects | Bytes written |');
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    for (const side of ['berth', 'naive'] as const) {
      const s = r[side];
      const note = s.ok ? (s.unstableOutput ? ' ⚠ output varied between runs (lib/ rebuilt mid-bench, or nondeterministic synth)' : '') : ` ✗ ${s.error ?? 'failed'}`;
      lines.push(
        `| ${r.n} | ${SIDE_LABEL[side]}${note} | ${fmtS(s.wallMedianMs)} | ${fmtS(s.wallMinMs)}–${fmtS(s.wallMaxMs)} | ` +
          `${fmtS(s.cpuMedianMs ?? NaN)} | ${fmtMiB(s.rssMedianKiB)} | ${s.runs ? s.objects : '—'} | ${s.runs ? fmtBytes(s.bytes) : '—'} |`,
      );
    }
    const wallRatio = r.berth.wallMedianMs / r.naive.wallMedianMs;
    const rssRatio =
      r.berth.rssMedianKiB !== undefined && r.naive.rssMedianKiB !== undefined
        ? r.berth.rssMedianKiB / r.naive.rssMedianKiB
        : NaN;
    const objRatio = r.berth.runs && r.naive.runs ? r.berth.objects / r.naive.objects : NaN;
    const byteRatio = r.berth.runs && r.naive.runs ? r.berth.bytes / r.naive.bytes : NaN;
    const cpuRatio =
      r.berth.cpuMedianMs !== undefined && r.naive.cpuMedianMs !== undefined ? r.berth.cpuMedianMs / r.naive.cpuMedianMs : NaN;
    lines.push(
      `| ${r.n} | **berth / naive** | **${fmtX(wallRatio)}** | | ${fmtX(cpuRatio)} | **${fmtX(rssRatio)}** | ${fmtX(objRatio)} | ${fmtX(byteRatio)} |`,
    );
  }
  const scaling = scalingOf(results);
  lines.push('');
  lines.push(
    `Scaling t(${SCALE_TO})/t(${SCALE_FROM}) (median wall): berth ${fmtX(scaling.berth)}, naive cdk8s-plus ${fmtX(scaling.naive)} ` +
      `(linear would be ${(SCALE_TO / SCALE_FROM).toFixed(1)}×). Same on median CPU time (less sensitive to other load on ` +
      `the machine): berth ${fmtX(scaling.berthCpu)}, naive cdk8s-plus ${fmtX(scaling.naiveCpu)}.`,
  );
  lines.push('');
  lines.push('Targets:');
  lines.push('');
  for (const v of verdicts) lines.push(`- ${v}`);
  return lines.join('\n') + '\n';
}

function scalingOf(results: SizeResult[]): { berth: number; naive: number; berthCpu: number; naiveCpu: number } {
  const a = results.find((r) => r.n === SCALE_FROM);
  const b = results.find((r) => r.n === SCALE_TO);
  const ratio = (side: Side, metric: 'wallMedianMs' | 'cpuMedianMs') =>
    a && b && a[side].ok && b[side].ok ? (b[side][metric] ?? NaN) / (a[side][metric] ?? NaN) : NaN;
  return {
    berth: ratio('berth', 'wallMedianMs'),
    naive: ratio('naive', 'wallMedianMs'),
    berthCpu: ratio('berth', 'cpuMedianMs'),
    naiveCpu: ratio('naive', 'cpuMedianMs'),
  };
}

function judge(results: SizeResult[]): string[] {
  const verdicts: string[] = [];
  const at = results.find((r) => r.n === TARGET_SIZE);
  if (!at) {
    verdicts.push(`n/a — wall ≤ ${MAX_WALL_RATIO}× baseline at ${TARGET_SIZE} services (size not run)`);
    verdicts.push(`n/a — peak RSS ≤ baseline at ${TARGET_SIZE} services (size not run)`);
  } else {
    const { berth, naive } = at;
    const both = berth.ok && naive.ok;
    const ratio = berth.wallMedianMs / naive.wallMedianMs;
    // "while emitting its full production object set": berth must succeed and emit at least the
    // baseline's objects (Deployment + Service per service + the Ingress) — a lower bound, not a spec check.
    const fullSet = berth.ok && naive.ok && berth.objects >= naive.objects;
    const pass = both && fullSet && ratio <= MAX_WALL_RATIO;
    verdicts.push(
      `${pass ? 'PASS' : 'FAIL'} — wall at ${TARGET_SIZE} services: berth ${fmtS(berth.wallMedianMs)} = ${fmtX(ratio)} ` +
        `naive ${fmtS(naive.wallMedianMs)} (target ≤ ${MAX_WALL_RATIO}×), berth emitting ${berth.objects} objects ` +
        `vs naive ${naive.objects}${fullSet ? '' : ' (berth failed or emitted fewer objects than the naive baseline)'}`,
    );
    const rssPass = both && berth.rssMedianKiB !== undefined && naive.rssMedianKiB !== undefined && berth.rssMedianKiB <= naive.rssMedianKiB;
    verdicts.push(
      `${rssPass ? 'PASS' : 'FAIL'} — peak RSS at ${TARGET_SIZE} services: berth ${fmtMiB(berth.rssMedianKiB)} vs naive ` +
        `${fmtMiB(naive.rssMedianKiB)} (target ≤ baseline)`,
    );
  }
  const scaling = scalingOf(results);
  if (!results.some((r) => r.n === SCALE_FROM) || !results.some((r) => r.n === SCALE_TO)) {
    verdicts.push(`n/a — berth t(${SCALE_TO})/t(${SCALE_FROM}) ≤ ${MAX_SCALING} (sizes not run)`);
  } else {
    const pass = Number.isFinite(scaling.berth) && scaling.berth <= MAX_SCALING;
    verdicts.push(
      `${pass ? 'PASS' : 'FAIL'} — berth t(${SCALE_TO})/t(${SCALE_FROM}) = ${fmtX(scaling.berth)} (target ≤ ${MAX_SCALING}; ` +
        `naive: ${fmtX(scaling.naive)})`,
    );
  }
  return verdicts;
}

/** Runs the synth benchmark and returns a markdown report (table, scaling, targets). */
export async function runSynthBench(opts: SynthBenchOptions = {}): Promise<string> {
  const sizes = opts.sizes?.length ? opts.sizes : DEFAULT_SIZES;
  const runs = Math.max(1, Math.floor(opts.runs ?? DEFAULT_RUNS));
  const berthAvailable = existsSync(BERTH_CLI);
  if (!berthAvailable) {
    console.error(`synth bench: ${path.relative(repoRoot, BERTH_CLI)} not found (build berth first); measuring the baseline only`);
  }
  const loadBefore = os.loadavg()[0]!;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'berth-bench-synth-'));
  const results: SizeResult[] = [];
  try {
    for (const n of sizes) {
      const declFile = path.join(workDir, `platform-${n}.yaml`);
      writeFileSync(declFile, generatePlatformYaml(n));
      const sides: Side[] = berthAvailable ? ['berth', 'naive'] : ['naive'];
      for (const side of sides) runOnce(side, declFile, workDir, `${side}-${n}-warmup`); // discarded
      const collected: Record<Side, RunResult[]> = { berth: [], naive: [] };
      for (let r = 0; r < runs; r++) {
        const order = r % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) {
          const res = runOnce(side, declFile, workDir, `${side}-${n}-${r}`);
          collected[side].push(res);
          console.error(
            `  synth n=${n} run ${r + 1}/${runs} ${SIDE_LABEL[side]}: ${fmtS(res.wallMs)} wall, ${fmtS(res.cpuMs ?? NaN)} cpu, ` +
              `${fmtMiB(res.rssKiB)}, ${res.objects} objects, ${res.bytes} bytes${res.ok ? '' : ` FAILED (${res.error})`}`,
          );
        }
      }
      results.push({
        n,
        berth: berthAvailable ? summarize(collected.berth) : skipped('berth CLI not built'),
        naive: summarize(collected.naive),
      });
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const verdicts = judge(results);
  for (const v of verdicts) console.log(v);
  const load = `${loadBefore.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at end`;
  return render(results, runs, verdicts, load);
}
