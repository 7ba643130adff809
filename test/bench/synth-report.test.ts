import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { fileSystemOf } from './bench-facts.js';
import { NEWEST_PLUS } from './plus-lines.js';
import { renderSynthReport, type CaseResult, type SideSummary } from './synth-report.js';

const side = (wallMs: number, cpuMs: number): SideSummary => ({
  ok: true,
  runs: 3,
  wallMedianMs: wallMs,
  wallMinMs: wallMs,
  wallMaxMs: wallMs,
  cpuMedianMs: cpuMs,
  rssMedianKiB: 100 * 1024,
  objects: 5106,
  files: 1007,
  bytes: 4_000_000,
});

describe('renderSynthReport folder table', () => {
  test("names each folder's file system and explains why a new file's cost differs", () => {
    // GIVEN a target-case result measured in /tmp and in another folder
    const results: CaseResult[] = [{ case: 'fresh', n: 1000, berth: side(1500, 1900), naive: side(2500, 2600), phases: {} }];
    const files = {
      before: { createMs: 20, createMinMs: 18, createMaxMs: 25, rewriteMs: 30 },
      after: { createMs: 400, createMinMs: 300, createMaxMs: 500, rewriteMs: 40 },
    };
    const other = existsSync('/dev/shm') ? '/dev/shm' : os.homedir();
    // WHEN the report is rendered
    const report = renderSynthReport({
      results,
      folders: [
        { label: 'os.tmpdir()', folder: os.tmpdir(), files, results: [] },
        { label: `folder ${other}`, folder: other, files, results },
      ],
      runs: 3,
      load: '0.0',
      workDir: os.tmpdir(),
      repoRoot: process.cwd(),
    });
    // THEN every folder row carries its file system, and the recently-deleted-inode rule is explained
    const rows = report.split('\n').filter((l) => l.startsWith('| os.tmpdir()') || l.startsWith(`| folder ${other}`));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`| ${fileSystemOf(os.tmpdir())} | 20 ms → 400 ms (300 ms–500 ms) | 40 ms | fresh |`);
    expect(rows[1]).toContain(`| ${fileSystemOf(other)} |`);
    expect(report).toContain('`recently_deleted()`');
    expect(report).toContain(`FAIL — fresh (in the folder ${other}), wall at 1000 services: berth 1.50 s = 0.60×`);
  });
});

describe('renderSynthReport V8 budget table', () => {
  test('shows berth as shipped next to both programs on one budget, with their ratios', () => {
    // GIVEN case (a) as shipped and with both programs on V8's default and on berth's budget
    const fresh = (b: number, n: number): CaseResult => ({ case: 'fresh', n: 1000, berth: side(b, b), naive: side(n, n), phases: {} });
    const study = {
      defaultBudget: 67584,
      berthBudget: 500000,
      runs: 5,
      folder: '/dev/shm (tmpfs)',
      shipped: fresh(1000, 2000),
      defaults: fresh(1200, 2000),
      tuned: fresh(1000, 1600),
    };
    // WHEN the report is rendered
    const report = renderSynthReport({ results: [fresh(900, 2100)], study, runs: 3, load: '0.0', workDir: os.tmpdir(), repoRoot: process.cwd() });
    // THEN the heading says where it ran, and each row carries its own ratio
    expect(report).toContain('### V8 tier-up budget (case (a), 1000 services, output in /dev/shm (tmpfs), 5 rounds)');
    const rows = report.split('\n').filter((l) => /^\| (as shipped|both on)/.test(l));
    expect(rows).toEqual([
      expect.stringMatching(/^\| as shipped: berth sets --interrupt-budget=500000 .*\| 1\.00 s \| 2\.00 s \| \*\*0\.50×\*\* \|/),
      expect.stringMatching(/^\| both on V8's default \(--interrupt-budget=67584\) \| 1\.20 s \| 2\.00 s \| \*\*0\.60×\*\* \|/),
      expect.stringMatching(/^\| both on --interrupt-budget=500000 \| 1\.00 s \| 1\.60 s \| \*\*0\.63×\*\* \|/),
    ]);
  });
});

describe('renderSynthReport with the newest cdk8s-plus line', () => {
  test('shows both baselines with a ratio each and judges the targets against both', () => {
    // GIVEN case (a) at 1000 services with the baseline and the newest line
    const results: CaseResult[] = [{ case: 'fresh', n: 1000, berth: side(1000, 1000), naive: side(2500, 2500), newest: side(1800, 2200), phases: {} }];
    // WHEN the report is rendered
    const report = renderSynthReport({ results, runs: 3, load: '0.0', workDir: os.tmpdir(), repoRoot: process.cwd() });
    // THEN the table has a row and a ratio per baseline
    const rows = report.split('\n').filter((l) => l.startsWith('| 1000 |'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual([
      'berth',
      'naive cdk8s-plus-27',
      `naive ${NEWEST_PLUS} (newest line)`,
      '**berth / naive cdk8s-plus-27**',
      `**berth / naive ${NEWEST_PLUS}**`,
    ]);
    expect(rows[4]).toContain('| **0.56×** | | **0.45×** |');
    // AND each baseline gets its own verdicts (0.40× against 27 passes; 0.56× against the newest fails)
    expect(report).toContain('PASS — fresh, wall at 1000 services: berth 1.00 s = 0.40× naive 2.50 s');
    expect(report).toContain(`FAIL — fresh, against the newest line, wall at 1000 services: berth 1.00 s = 0.56× naive ${NEWEST_PLUS} 1.80 s`);
    expect(report).toContain(`PASS — fresh, against the newest line, CPU at 1000 services: berth 1.00 s = 0.45× naive ${NEWEST_PLUS} 2.20 s`);
  });
});

describe('renderSynthReport with berth on layout: per-service too', () => {
  test("shows berth's two layouts with a ratio each against each baseline, and judges both", () => {
    // GIVEN case (a) at 1000 services: berth (default layout) at 0.44×, berth per-service at 0.60× of the baseline
    const results: CaseResult[] = [
      { case: 'fresh', n: 1000, berth: side(1100, 1100), perService: side(1500, 1500), naive: side(2500, 2500), newest: side(2400, 2400), phases: {} },
    ];
    // WHEN the report is rendered
    const report = renderSynthReport({ results, runs: 3, load: '0.0', workDir: os.tmpdir(), repoRoot: process.cwd() });
    // THEN the table has a row per program and a ratio per berth layout and baseline
    const rows = report.split('\n').filter((l) => l.startsWith('| 1000 |'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual([
      'berth',
      'berth, `layout: per-service`',
      'naive cdk8s-plus-27',
      `naive ${NEWEST_PLUS} (newest line)`,
      '**berth / naive cdk8s-plus-27**',
      `**berth / naive ${NEWEST_PLUS}**`,
      '**berth per-service / naive cdk8s-plus-27**',
      `**berth per-service / naive ${NEWEST_PLUS}**`,
    ]);
    expect(rows[4]).toContain('| **0.44×** | | **0.44×** |');
    expect(rows[6]).toContain('| **0.60×** | | **0.60×** |');
    // AND the default layout and the per-service layout each get verdicts of their own
    expect(report).toContain('PASS — fresh, wall at 1000 services: berth 1.10 s = 0.44× naive 2.50 s');
    expect(report).toContain('FAIL — fresh, berth with layout: per-service, wall at 1000 services: berth 1.50 s = 0.60× naive 2.50 s');
  });
});
