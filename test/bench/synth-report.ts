/** The synth benchmark's markdown: machine, versions, method, one table per case, berth's phases, targets. */
import * as os from 'node:os';
import { commandOutput, fileSystemOf, machineFacts, synthVersions } from './bench-facts.js';
import { ISSUE_PLUS, NEWEST_PLUS } from './plus-lines.js';

/**
 * berth (its default layout, every object of an environment in one `resources.yaml`); berth with `layout: per-service`
 * (a file per service); the naive app on cdk8s-plus-27 (issue 10's baseline); the naive app on the newest cdk8s-plus line.
 */
export type Side = 'berth' | 'perService' | 'naive' | 'newest';
type BerthSide = 'berth' | 'perService';
type BaseSide = 'naive' | 'newest';
export type SynthCase = 'fresh' | 'all-changed' | 'one-changed';
export const SYNTH_CASES: readonly SynthCase[] = ['fresh', 'all-changed', 'one-changed'];

const CASE_TITLE: Record<SynthCase, string> = {
  fresh: '(a) Fresh output folder: `rm -rf <out> && <program>` timed as one command, for both sides',
  'all-changed': '(b) Re-synth into the existing output, every service changed (every run gives all services an image tag no earlier run used)',
  'one-changed': '(c) Re-synth into the existing output, one service changed (every run gives it an image tag no earlier run used)',
};
const SIDE_LABEL: Record<Side, string> = {
  berth: 'berth',
  perService: 'berth, `layout: per-service`',
  naive: `naive ${ISSUE_PLUS}`,
  newest: `naive ${NEWEST_PLUS} (newest line)`,
};

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
  /** berth with `layout: per-service`, where it ran (the case tables). @default not run */
  readonly perService?: SideSummary;
  readonly naive: SideSummary;
  /** The naive app on the newest cdk8s-plus line, where it ran (the case tables). @default not run */
  readonly newest?: SideSummary;
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
  /** What files cost there (synth.ts fileCosts), before and after the folder's timed runs. */
  readonly files: { readonly before: FileCosts; readonly after: FileCosts };
  readonly results: readonly CaseResult[];
}

/** Case (a) at the target size with both programs on one V8 `--interrupt-budget` (synth.ts runBudgetStudy). */
export interface V8Study {
  /** V8's default budget on this node. */
  readonly defaultBudget: number;
  /** The budget berth sets for itself (src/cli/v8-tuning.ts). */
  readonly berthBudget: number;
  /** Rounds of the study's loop. */
  readonly runs: number;
  /** Where it ran, with the file system (e.g. "/dev/shm (tmpfs)"). */
  readonly folder: string;
  /** berth as shipped, the naive app on V8's default. */
  readonly shipped: CaseResult;
  /** Both on V8's default. */
  readonly defaults: CaseResult;
  /** Both on berth's budget. */
  readonly tuned: CaseResult;
}

export interface ReportInput {
  readonly results: readonly CaseResult[];
  /** @default none */
  readonly folders?: readonly FolderResult[];
  /** @default none */
  readonly study?: V8Study;
  readonly runs: number;
  readonly load: string;
  readonly workDir: string;
  readonly repoRoot: string;
  /** How the benchmark was run (e.g. `npm run bench -- --only synth --write`). @default not shown */
  readonly command?: string;
}

const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
const fmtMiB = (kib: number) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : '—');
const fmtBytes = (b: number) => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(2)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const fmtX = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');

function header(input: ReportInput): string[] {
  const fs = `${fileSystemOf(input.workDir)}, mount options ${commandOutput('findmnt', ['-no', 'OPTIONS', '-T', input.workDir])}`;
  return [
    `Machine: ${machineFacts()}; load average (1 min) ${input.load}.  `,
    `Versions: ${synthVersions(input.repoRoot)}.  `,
    `Output folders: ${os.tmpdir()} (${fs}). Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      (input.command ? ` with \`${input.command}\`.` : '.'),
    '',
    "Method: each run is ONE command, `sh -c '…'`, timed from spawn to exit: berth is " +
      "`node lib/bin/berth.js synth --file <decl> --out <out> --quiet` (the package's `berth` executable), " +
      'the baseline `node lib/test/bench/naive-cdk8s-plus.js <decl> <out> <cdk8s-plus line>` (one cdk8s App, one Chart per environment, ' +
      'cdk8s-plus `Deployment` + `exposeViaService` per service and one `Ingress`, written by `app.synth()`, as a user writes it), run with ' +
      `${ISSUE_PLUS} (the baseline issue 10 names, and its targets' reference) and with ${NEWEST_PLUS}, the newest line (what a user ` +
      'starting today installs), interleaved with berth in the same loop. berth runs twice in that loop: with its default ' +
      'layout (every object of the environment in one `resources.yaml`, as the baseline writes one file per chart) and with ' +
      '`layout: per-service` (the same declaration with that one line added to the environment: the same objects, a file per ' +
      'service; the default layout up to commit eca57e4). Case (a) runs ' +
      "`rm -rf <out> && <program>` for both sides, with the previous run's output there to delete; (b) and (c) run the program into the " +
      'output of the previous run, each run with an image tag no earlier run used, for every service (b) or the first (c); their warm-up writes ' +
      "into an empty folder, so berth's first measured run there is its first re-synth, with no spare rendering yet (it writes every " +
      'file new, as after a fresh clone of a repository with `dist/` committed), and later runs rewrite the spare. (Until commit ' +
      "2d36eb5 those cases alternated two declarations; with berth's spare rendering, two renderings back, already holding every " +
      'file, berth then rewrote none, and (b) at 1000 services gave 0.49× in os.tmpdir() and 0.55× in the repository checkout, wall ' +
      'against naive-27, on the AMD EPYC machine of that run.) Declarations: ' +
      '`test/bench/generate.ts` (one environment, every 10th service public). Per side, case and size: 1 discarded warm-up, then ' +
      `${input.runs} measured runs, the programs' order rotating every round; medians reported. ` +
      'Wall = spawn→exit of the shell; CPU = user+sys of everything the ' +
      'shell ran (its `times` builtin: rm and node included, 10 ms resolution); peak RSS = ru_maxrss of the node process. Objects = YAML ' +
      "documents with `kind:` (files and bytes likewise count the rendering, not berth's spare copy of the previous one in " +
      '`.berth-spare/`). Ratios are berth / that baseline (lower is better). "Where berth\'s time goes" comes from one more, untimed run ' +
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
    const sides = (['berth', 'perService', 'naive', 'newest'] as const).filter((side) => r[side] !== undefined);
    for (const side of sides) {
      const s = r[side] as SideSummary;
      const note = s.ok ? '' : ` ✗ ${s.error ?? 'failed'}`;
      lines.push(
        `| ${r.n} | ${SIDE_LABEL[side]}${note} | ${fmtS(s.wallMedianMs)} | ${fmtS(s.wallMinMs)}–${fmtS(s.wallMaxMs)} | ${fmtS(s.cpuMedianMs)} | ` +
          `${fmtMiB(s.rssMedianKiB)} | ${s.objects} | ${s.files} | ${fmtBytes(s.bytes)} |`,
      );
    }
    for (const ours of sides.filter((side): side is BerthSide => side === 'berth' || side === 'perService')) {
      for (const base of sides.filter((side): side is BaseSide => side === 'naive' || side === 'newest'))
        lines.push(ratioRow(r.n, r[ours] as SideSummary, r[base] as SideSummary, `${RATIO_LABEL[ours]} / ${RATIO_LABEL[base]}`));
    }
  }
  return lines;
}

const RATIO_LABEL: Record<Side, string> = { berth: 'berth', perService: 'berth per-service', naive: `naive ${ISSUE_PLUS}`, newest: `naive ${NEWEST_PLUS}` };

function ratioRow(n: number, berth: SideSummary, base: SideSummary, label: string): string {
  const ratio = (k: 'wallMedianMs' | 'cpuMedianMs' | 'rssMedianKiB' | 'objects') => berth[k] / base[k];
  return (
    `| ${n} | **${label}** | **${fmtX(ratio('wallMedianMs'))}** | | **${fmtX(ratio('cpuMedianMs'))}** | **${fmtX(ratio('rssMedianKiB'))}** ` +
    `| ${fmtX(ratio('objects'))} | | |`
  );
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
      "with `require` to skip ESM's scan of CommonJS); write files includes swapping the folders (berth swaps in a complete folder per " +
      'environment, written in the previous-but-one rendering kept as a spare).',
  );
  return lines;
}

/**
 * PASS/FAIL lines for the issue's targets: (a) and (b) at 1000 services ≤ 0.5× on wall and CPU, peak RSS ≤ the baseline's;
 * judged against cdk8s-plus-27 (the issue's baseline) and, where it ran, the same bar against the newest line.
 */
export function judge(results: readonly CaseResult[], where = ''): string[] {
  const verdicts: string[] = [];
  for (const c of TARGET_CASES) {
    const r = results.find((x) => x.case === c && x.n === TARGET_SIZE);
    if (!r) {
      verdicts.push(`n/a — ${c}${where} at ${TARGET_SIZE} services (not run)`);
      continue;
    }
    verdicts.push(...judgeAgainst(r.berth, r.naive, `${c}${where}`, 'naive'));
    if (r.newest) verdicts.push(...judgeAgainst(r.berth, r.newest, `${c}${where}, against the newest line`, `naive ${NEWEST_PLUS}`));
    if (r.perService) verdicts.push(...judgeAgainst(r.perService, r.naive, `${c}${where}, berth with layout: per-service`, 'naive'));
  }
  return verdicts;
}

function judgeAgainst(berth: SideSummary, base: SideSummary, what: string, baseName: string): string[] {
  const ok = berth.ok && base.ok && berth.objects >= base.objects;
  const lines = (['wall', 'CPU'] as const).map((metric) => {
    const key = metric === 'wall' ? 'wallMedianMs' : 'cpuMedianMs';
    const x = berth[key] / base[key];
    return (
      `${ok && x <= MAX_RATIO ? 'PASS' : 'FAIL'} — ${what}, ${metric} at ${TARGET_SIZE} services: ` +
      `berth ${fmtS(berth[key])} = ${fmtX(x)} ${baseName} ${fmtS(base[key])} (target ≤ ${MAX_RATIO}×; berth ${berth.objects} objects, ` +
      `${baseName} ${base.objects})`
    );
  });
  const rss = berth.rssMedianKiB <= base.rssMedianKiB;
  lines.push(
    `${ok && rss ? 'PASS' : 'FAIL'} — ${what}, peak RSS at ${TARGET_SIZE} services: berth ${fmtMiB(berth.rssMedianKiB)} vs ` +
      `${baseName} ${fmtMiB(base.rssMedianKiB)} (target ≤ baseline)`,
  );
  return lines;
}

/** What the folder table shows and why a new file's cost differs between folders (see fileSystemOf). */
const FOLDER_NOTES = [
  'naive-27 is the naive app on cdk8s-plus-27 (the targets below also judge each folder against the newest line). ' +
    "os.tmpdir() is where the tables above were measured; the repository checkout is a folder next to the repository's own `dist/`, " +
    "where a user's output lives; further rows are folders given with `--also-in`. The file columns are medians of 5 samples, each " +
    'in a new folder: creating 1000 new files of about 4 KiB (a new inode each), then rewriting the same files in place; they are ' +
    "taken before the folder's timed runs and again after them (for os.tmpdir(): before the first table's runs and after the last). " +
    'berth swaps in a whole folder per environment (so no reader sees a half-written rendering) and keeps the folder it swaps out as ' +
    "a spare (`<out>/.berth-spare/`): a re-synth rewrites the spare's files in place and swaps it in, so it creates and deletes no " +
    'files; a write into a fresh folder, as in case (a), creates every file new, and its `rm -rf` deletes as many. The baseline writes ' +
    "one file, and so does berth's default layout (one `resources.yaml`). So the cost of a new file moves the wall and system time of " +
    "berth with `layout: per-service` in case (a) and barely the baseline's or berth's default.",
  '',
  'Why a new file can cost 0.3–0.6 ms on ext4 without a journal: there the kernel does not reuse an inode freed in the last 60 s ' +
    "(360 s while its inode-table block is not yet written back): `recently_deleted()` in Linux's fs/ext4/ialloc.c. Each new inode's " +
    'search starts at the beginning of its block group and looks up every such inode on the way, so the cost of one new file grows ' +
    "with the number of files deleted nearby in the last minutes, including the benchmark's own earlier runs (each run of berth's " +
    '`layout: per-service` at 1000 services deletes about 1000 files in the `rm -rf` of case (a)). With a journal (the ' +
    'default of mkfs.ext4), or on tmpfs, this search does not happen. Both results are reported, and the targets are judged for each folder.',
];

const ms = (v: number): string => `${v.toFixed(0)} ms`;

/** The target cases at 1000 services in each working folder: the disk's cost of a new file moves berth's result. */
function folderTable(folders: readonly FolderResult[], tables: readonly CaseResult[]): string[] {
  if (folders.length === 0) return [];
  const lines = [
    '',
    `### Where the output folder lives (${TARGET_SIZE} services, same method, same run)`,
    '',
    '| Folder | File system | 1000 new files: before the runs → after (min–max after) | 1000 rewrites (after) | Case | berth wall | ' +
      'naive-27 wall | wall ratio | ' +
      'berth CPU | naive-27 CPU | CPU ratio |',
    '|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of folders) {
    const rows = f.results.length ? f.results : tables.filter((r) => r.n === TARGET_SIZE && TARGET_CASES.includes(r.case));
    const { before, after } = f.files;
    const files =
      `${fileSystemOf(f.folder)} | ${ms(before.createMs)} → ${ms(after.createMs)} (${ms(after.createMinMs)}–${ms(after.createMaxMs)}) | ` + ms(after.rewriteMs);
    for (const r of rows) {
      for (const [label, berth] of [
        [r.case, r.berth],
        [`${r.case}, per-service`, r.perService],
      ] as const) {
        if (!berth) continue;
        const x = (k: 'wallMedianMs' | 'cpuMedianMs') => fmtX(berth[k] / r.naive[k]);
        lines.push(
          `| ${f.label} | ${files} | ${label} | ${fmtS(berth.wallMedianMs)} | ${fmtS(r.naive.wallMedianMs)} | **${x('wallMedianMs')}** | ` +
            `${fmtS(berth.cpuMedianMs)} | ${fmtS(r.naive.cpuMedianMs)} | **${x('cpuMedianMs')}** |`,
        );
      }
    }
  }
  lines.push('', ...FOLDER_NOTES);
  return lines;
}

/** berth as shipped, and both programs on one V8 budget: how much of the ratio the budget berth sets for itself makes. */
function studyTable(study: V8Study | undefined): string[] {
  if (!study) return [];
  const row = (label: string, r: CaseResult) =>
    `| ${label} | ${fmtS(r.berth.wallMedianMs)} | ${fmtS(r.naive.wallMedianMs)} | **${fmtX(r.berth.wallMedianMs / r.naive.wallMedianMs)}** | ` +
    `${fmtS(r.berth.cpuMedianMs)} | ${fmtS(r.naive.cpuMedianMs)} | **${fmtX(r.berth.cpuMedianMs / r.naive.cpuMedianMs)}** |`;
  return [
    '',
    `### V8 tier-up budget (case (a), ${TARGET_SIZE} services, output in ${study.folder}, ${study.runs} rounds)`,
    '',
    '| Programs run with | berth wall | naive wall | wall ratio | berth CPU | naive CPU | CPU ratio |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row(`as shipped: berth sets --interrupt-budget=${study.berthBudget} for itself, the naive app runs on V8's default`, study.shipped),
    row(`both on V8's default (--interrupt-budget=${study.defaultBudget})`, study.defaults),
    row(`both on --interrupt-budget=${study.berthBudget}`, study.tuned),
    '',
    "berth's executable raises V8's tier-up budget for its own process (src/cli/v8-tuning.ts; a user's own " +
      "`--interrupt-budget` on node's command line wins): a short command otherwise spends much of its CPU optimizing functions on background " +
      "threads just before it exits. A user's cdk8s app runs on V8's default unless its author sets the flag; the other two rows show " +
      'both programs on the same budget, so the share of the ratio that comes from the flag is visible. The four programs (berth and ' +
      "the naive app, each on V8's default and on berth's budget) run interleaved in one loop, rotating their order every round, after " +
      'one discarded warm-up each; medians. They run on tmpfs when the machine has one, because there a new file costs the same ' +
      'every time, while on some disks its cost swings by more than the budget moves CPU time. The targets are judged on the tables ' +
      'above (as shipped).',
  ];
}

export function renderSynthReport(input: ReportInput): string {
  const cases = SYNTH_CASES.filter((c) => input.results.some((r) => r.case === c));
  const folders = input.folders ?? [];
  const verdicts = [...judge(input.results), ...folders.filter((f) => f.results.length).flatMap((f) => judge(f.results, ` (in the ${f.label})`))];
  const lines = [
    ...header(input),
    ...cases.flatMap((c) => caseTable(c, input.results)),
    ...folderTable(folders, input.results),
    ...studyTable(input.study),
    ...phaseTable(input.results),
    '',
    'Targets (issue 10, at 1000 services):',
    '',
    ...verdicts.map((v) => `- ${v}`),
  ];
  return lines.join('\n') + '\n';
}
