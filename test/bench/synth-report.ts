/** The synth benchmark's markdown: machine, versions, method, one table per case, berth's phases, targets. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Side = 'berth' | 'naive';
export type SynthCase = 'fresh' | 'all-changed' | 'one-changed';
export const SYNTH_CASES: readonly SynthCase[] = ['fresh', 'all-changed', 'one-changed'];

const CASE_TITLE: Record<SynthCase, string> = {
  fresh: '(a) Fresh output folder: `rm -rf <out> && <program>` timed as one command, for both sides',
  'all-changed': '(b) Re-synth into the existing output, every service changed (all image tags alternate between runs)',
  'one-changed': '(c) Re-synth into the existing output, one service changed (its image tag alternates between runs)',
};
const SIDE_LABEL: Record<Side, string> = { berth: 'berth', naive: 'naive cdk8s-plus-27' };

/** Targets from issue 10, at 1000 services. */
export const TARGET_SIZE = 1000;
const MAX_RATIO = 0.5;
export const TARGET_CASES: readonly SynthCase[] = ['fresh', 'all-changed'];

export interface SideSummary {
  readonly ok: boolean;
  readonly runs: number;
  readonly wallMedianMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  readonly cpuMedianMs: number;
  readonly rssMedianKiB: number;
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
  readonly error?: string;
}

export interface CaseResult {
  readonly case: SynthCase;
  readonly n: number;
  readonly berth: SideSummary;
  readonly naive: SideSummary;
  /** berth's BERTH_PROFILE phases (ms) from one extra, untimed run. */
  readonly phases: Readonly<Record<string, number>>;
}

/** Milliseconds for 1000 files of about 4 KiB: created new (median, min and max of the samples), rewritten in place (median). */
export interface FileCosts {
  readonly createMs: number;
  readonly createMinMs: number;
  readonly createMaxMs: number;
  readonly rewriteMs: number;
}

/** The target cases run again with the working folder elsewhere (the tables' folder has no results of its own here). */
export interface FolderResult {
  readonly label: string;
  readonly folder: string;
  /** What files cost there (synth.ts fileCosts). */
  readonly files: FileCosts;
  readonly results: readonly CaseResult[];
}

export interface ReportInput {
  readonly results: readonly CaseResult[];
  /** @default none */
  readonly folders?: readonly FolderResult[];
  readonly runs: number;
  readonly load: string;
  readonly workDir: string;
  readonly repoRoot: string;
}

const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
const fmtMiB = (kib: number) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : '—');
const fmtBytes = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(2)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const fmtX = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');

function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

export function machineFacts(): string {
  const cpus = os.cpus();
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  return (
    `${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cores} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()} (${os.arch()})`
  );
}

function versions(repoRoot: string): string {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  const berth = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return (
    `berth ${berth} (commit ${run('git', ['rev-parse', '--short', 'HEAD'], repoRoot)}), node ${process.version}, cdk8s ${pkg('cdk8s')}, ` +
    `cdk8s-plus-27 ${pkg('cdk8s-plus-27')}, constructs ${pkg('constructs')}`
  );
}

function header(input: ReportInput): string[] {
  const fs = `${run('stat', ['-f', '-c', '%T', input.workDir])}, mount options ${run('findmnt', ['-no', 'OPTIONS', '-T', input.workDir])}`;
  return [
    `Machine: ${machineFacts()}; load average (1 min) ${input.load}.  `,
    `Versions: ${versions(input.repoRoot)}.  `,
    `Output folders: ${os.tmpdir()} (${fs}). Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    "Method: each run is ONE command, `sh -c '…'`, timed from spawn to exit: berth is `node lib/src/cli/main.js synth --file <decl> --out <out> --quiet`, " +
      'the baseline `node lib/test/bench/naive-cdk8s-plus.js <decl> <out>` (one cdk8s App, one Chart per environment, cdk8s-plus-27 ' +
      '`Deployment` + `exposeViaService` per service and one `Ingress`, written by `app.synth()`, as a user writes it). Case (a) runs ' +
      "`rm -rf <out> && <program>` for both sides, with the previous run's output there to delete; (b) and (c) run the program into the " +
      'output of the previous run, alternating two declarations so every run changes all services (b) or one (c). Declarations: ' +
      '`test/bench/generate.ts` (one environment, every 10th service public). Per side, case and size: 1 discarded warm-up, then ' +
      `${input.runs} measured runs interleaved A/B–B/A; medians reported. Wall = spawn→exit of the shell; CPU = user+sys of everything the ` +
      'shell ran (its `times` builtin: rm and node included, 10 ms resolution); peak RSS = ru_maxrss of the node process. Objects = YAML ' +
      'documents with `kind:`. Ratios are berth / naive (lower is better). "Where berth\'s time goes" comes from one more, untimed run ' +
      'with `BERTH_PROFILE=1` (wall time per phase as berth sees it; timed runs never set it).',
  ];
}

function caseTable(c: SynthCase, results: readonly CaseResult[]): string[] {
  const lines = [
    '',
    `### ${CASE_TITLE[c]}`,
    '',
    '| Services | Program | Wall (median) | Wall (min–max) | CPU user+sys (median) | Peak RSS (median) | Objects | Files | Bytes |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results.filter((x) => x.case === c)) {
    for (const side of ['berth', 'naive'] as const) {
      const s = r[side];
      const note = s.ok ? '' : ` ✗ ${s.error ?? 'failed'}`;
      lines.push(
        `| ${r.n} | ${SIDE_LABEL[side]}${note} | ${fmtS(s.wallMedianMs)} | ${fmtS(s.wallMinMs)}–${fmtS(s.wallMaxMs)} | ${fmtS(s.cpuMedianMs)} | ` +
          `${fmtMiB(s.rssMedianKiB)} | ${s.objects} | ${s.files} | ${fmtBytes(s.bytes)} |`,
      );
    }
    const ratio = (k: 'wallMedianMs' | 'cpuMedianMs' | 'rssMedianKiB' | 'objects') => r.berth[k] / r.naive[k];
    lines.push(
      `| ${r.n} | **berth / naive** | **${fmtX(ratio('wallMedianMs'))}** | | **${fmtX(ratio('cpuMedianMs'))}** | **${fmtX(ratio('rssMedianKiB'))}** ` +
        `| ${fmtX(ratio('objects'))} | | |`,
    );
  }
  return lines;
}

function phaseTable(results: readonly CaseResult[]): string[] {
  const phases = [...new Set(results.flatMap((r) => Object.keys(r.phases)))].filter((p) => p !== 'total');
  if (phases.length === 0) return [];
  const lines = [
    '',
    "### Where berth's time goes (BERTH_PROFILE=1, one untimed run, ms of wall time)",
    '',
    `| Services | Case | ${phases.join(' | ')} | total |`,
    `|---:|---|${phases.map(() => '---:').join('|')}|---:|`,
  ];
  for (const r of results) lines.push(`| ${r.n} | ${r.case} | ${phases.map((p) => r.phases[p] ?? '—').join(' | ')} | ${r.phases.total ?? '—'} |`);
  lines.push(
    '',
    "Node startup + module load is everything before the synth command starts (node itself, berth's modules and cdk8s, loaded " +
      "with `require` to skip ESM's scan of CommonJS); write files includes removing the previous rendering (berth swaps in a complete new folder " +
      'per environment).',
  );
  return lines;
}

/** PASS/FAIL lines for the targets: (a) and (b) at 1000 services ≤ 0.5× on wall and CPU, peak RSS ≤ the baseline's. */
export function judge(results: readonly CaseResult[], where = ''): string[] {
  const verdicts: string[] = [];
  for (const c of TARGET_CASES) {
    const r = results.find((x) => x.case === c && x.n === TARGET_SIZE);
    if (!r) {
      verdicts.push(`n/a — ${c}${where} at ${TARGET_SIZE} services (not run)`);
      continue;
    }
    const ok = r.berth.ok && r.naive.ok && r.berth.objects >= r.naive.objects;
    for (const [metric, key] of [
      ['wall', 'wallMedianMs'],
      ['CPU', 'cpuMedianMs'],
    ] as const) {
      const x = r.berth[key] / r.naive[key];
      verdicts.push(
        `${ok && x <= MAX_RATIO ? 'PASS' : 'FAIL'} — ${c}${where}, ${metric} at ${TARGET_SIZE} services: ` +
          `berth ${fmtS(r.berth[key])} = ${fmtX(x)} naive ${fmtS(r.naive[key])} (target ≤ ${MAX_RATIO}×; berth ${r.berth.objects} objects, ` +
          `naive ${r.naive.objects})`,
      );
    }
    const rss = r.berth.rssMedianKiB <= r.naive.rssMedianKiB;
    verdicts.push(
      `${ok && rss ? 'PASS' : 'FAIL'} — ${c}${where}, peak RSS at ${TARGET_SIZE} services: berth ${fmtMiB(r.berth.rssMedianKiB)} vs ` +
        `naive ${fmtMiB(r.naive.rssMedianKiB)} (target ≤ baseline)`,
    );
  }
  return verdicts;
}

/** The target cases at 1000 services in each working folder: the disk's cost of a new file moves berth's result. */
const ms = (v: number): string => `${v.toFixed(0)} ms`;

function folderTable(folders: readonly FolderResult[], tables: readonly CaseResult[]): string[] {
  if (folders.length === 0) return [];
  const lines = [
    '',
    `### Where the output folder lives (${TARGET_SIZE} services, same method, same run)`,
    '',
    '| Folder | 1000 new files (min–max) | 1000 rewrites | Case | berth wall | naive wall | wall ratio | berth CPU | naive CPU | CPU ratio |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of folders) {
    const rows = f.results.length ? f.results : tables.filter((r) => r.n === TARGET_SIZE && TARGET_CASES.includes(r.case));
    const files = `${ms(f.files.createMs)} (${ms(f.files.createMinMs)}–${ms(f.files.createMaxMs)}) | ${ms(f.files.rewriteMs)}`;
    for (const r of rows) {
      const x = (k: 'wallMedianMs' | 'cpuMedianMs') => fmtX(r.berth[k] / r.naive[k]);
      lines.push(
        `| ${f.label} | ${files} | ${r.case} | ${fmtS(r.berth.wallMedianMs)} | ${fmtS(r.naive.wallMedianMs)} | **${x('wallMedianMs')}** | ` +
          `${fmtS(r.berth.cpuMedianMs)} | ${fmtS(r.naive.cpuMedianMs)} | **${x('cpuMedianMs')}** |`,
      );
    }
  }
  lines.push(
    '',
    "os.tmpdir() is where the tables above were measured; the repository checkout is a folder next to the repository's own `dist/`, " +
      "where a user's output lives. The file columns are medians of 5 samples, each in a new folder: creating 1000 new files of about " +
      '4 KiB (a new inode each), then rewriting the same files in place. berth writes every changed file as a new file (into a new ' +
      'folder swapped in whole, so no reader sees a half-written rendering; unchanged files are hard links) and the baseline one file, so ' +
      "the cost of a new file moves berth's wall and system time and barely the baseline's. Both results are reported, and the targets " +
      'are judged for both.',
  );
  return lines;
}

export function renderSynthReport(input: ReportInput): string {
  const cases = SYNTH_CASES.filter((c) => input.results.some((r) => r.case === c));
  const folders = input.folders ?? [];
  const verdicts = [...judge(input.results), ...folders.filter((f) => f.results.length).flatMap((f) => judge(f.results, ` (in the ${f.label})`))];
  const lines = [
    ...header(input),
    ...cases.flatMap((c) => caseTable(c, input.results)),
    ...folderTable(folders, input.results),
    ...phaseTable(input.results),
    '',
    'Targets (issue 10, at 1000 services):',
    '',
    ...verdicts.map((v) => `- ${v}`),
  ];
  return lines.join('\n') + '\n';
}
