/**
 * `npm run bench` entry.
 *
 *   npm run bench                              # synth + deploy (if lib/test/bench/deploy.js exists)
 *   npm run bench -- --only synth              # synth only
 *   npm run bench -- --only compare            # the compare packing model, 1000 services (≤ 1 s)
 *   npm run bench -- --only synth --sizes 10,100 --runs 3
 *   npm run bench -- --only synth --sizes 1000 --cases fresh,all-changed
 *   BERTH_PROFILE=1 node lib/bin/berth.js synth -f platform.yaml   # berth's phases on stderr (not used for timing)
 *   npm run bench -- --only synth --also-in /dev/shm   # the 1000-service target cases also with the output there
 *   npm run bench -- --only synth --write      # also replace the benchmark's section of BENCHMARKS.md (each that ran)
 *   npm run bench -- --strict                  # exit 1 if a synth target FAILs
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCompareBench } from './compare.js';
import { runSynthBench } from './synth.js';
import { SYNTH_CASES, type SynthCase } from './synth-report.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // lib/test/bench
const repoRoot = path.resolve(here, '..', '..', '..');
const BENCHMARKS_MD = path.join(repoRoot, 'BENCHMARKS.md');
const SYNTH_HEADING = '## Synth';
const COMPARE_HEADING = '## Compare (packing model)';
const DEPLOY_HEADING = '## Deploy';

interface Args {
  only?: 'synth' | 'deploy' | 'compare';
  sizes?: number[];
  runs?: number;
  /** Extra folders to run the synth target cases in (`--also-in`, repeatable). */
  alsoIn?: string[];
  cases?: SynthCase[];
  write: boolean;
  strict: boolean;
}

function usage(msg: string): never {
  console.error(
    `bench: ${msg}\nusage: run.js [--only synth|deploy|compare] [--sizes 10,100,...] [--runs N] ` +
      '[--cases fresh,all-changed,one-changed] [--also-in DIR]... [--write] [--strict]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { write: false, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    switch (flag) {
      case '--only': {
        const v = value();
        if (v !== 'synth' && v !== 'deploy' && v !== 'compare') usage(`--only must be synth, deploy or compare, got ${v}`);
        args.only = v;
        break;
      }
      case '--sizes': {
        const sizes = value()
          .split(',')
          .map((s) => Number(s.trim()));
        if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1)) usage('--sizes must be positive integers, e.g. 10,100');
        args.sizes = sizes;
        break;
      }
      case '--runs': {
        const runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1) usage('--runs must be a positive integer');
        args.runs = runs;
        break;
      }
      case '--cases': {
        const cases = value()
          .split(',')
          .map((c) => c.trim());
        const bad = cases.filter((c) => !(SYNTH_CASES as readonly string[]).includes(c));
        if (bad.length) usage(`--cases takes ${SYNTH_CASES.join(', ')}; got ${bad.join(', ')}`);
        args.cases = cases as SynthCase[];
        break;
      }
      case '--also-in': {
        const dir = path.resolve(value());
        if (!existsSync(dir)) usage(`--also-in ${dir}: no such folder`);
        args.alsoIn = [...(args.alsoIn ?? []), dir];
        break;
      }
      case '--write':
        args.write = true;
        break;
      case '--strict':
        args.strict = true;
        break;
      default:
        usage(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

/** Replaces (or appends) the section under `heading` (e.g. `## Synth`), leaving every other section untouched. */
function writeSection(heading: string, report: string): void {
  const body = `${heading}\n\n${report.trimEnd()}\n`;
  if (!existsSync(BENCHMARKS_MD)) {
    writeFileSync(
      BENCHMARKS_MD,
      '# Benchmarks\n\nRun with `npm run bench` (`-- --only synth|deploy`, `-- --sizes 10,100` for quick runs; ' +
        '`-- --write` updates this file). Each section states the machine it was measured on.\n\n' +
        body,
    );
    return;
  }
  const lines = readFileSync(BENCHMARKS_MD, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === heading);
  let next: string;
  if (start < 0) {
    next = lines.join('\n').trimEnd() + '\n\n' + body;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^#{1,2} /.test(l));
    if (end < 0) end = lines.length;
    const after = lines.slice(end).join('\n');
    next = [...lines.slice(0, start), body].join('\n') + (after ? `\n${after}` : '');
  }
  writeFileSync(BENCHMARKS_MD, next);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const command = ['npm run bench --', ...process.argv.slice(2)].join(' ');
  let failed = false;

  if (args.only === undefined || args.only === 'synth') {
    const t0 = Date.now();
    console.log('# Synth benchmark\n');
    const report = await runSynthBench({
      sizes: args.sizes,
      runs: args.runs,
      cases: args.cases,
      alsoIn: args.alsoIn,
      command,
    });
    console.log('\n' + report);
    console.log(`(synth bench took ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    if (/^- FAIL/m.test(report)) failed = true;
    if (args.write) {
      writeSection(SYNTH_HEADING, report);
      console.log(`wrote ${SYNTH_HEADING} to ${path.relative(process.cwd(), BENCHMARKS_MD) || BENCHMARKS_MD}`);
    }
  }

  if (args.only === undefined || args.only === 'compare') {
    console.log('# Compare (packing) benchmark\n');
    const report = runCompareBench({ command });
    console.log(report + '\n');
    if (/^- FAIL/m.test(report)) failed = true;
    if (args.write) {
      writeSection(COMPARE_HEADING, report);
      console.log(`wrote ${COMPARE_HEADING} to ${path.relative(process.cwd(), BENCHMARKS_MD) || BENCHMARKS_MD}`);
    }
  }

  if (args.only === undefined || args.only === 'deploy') {
    const deployJs = path.join(here, 'deploy.js');
    if (!existsSync(deployJs)) {
      console.log('# Deploy benchmark\n\nskipped: lib/test/bench/deploy.js not found (not written/built yet)');
    } else {
      try {
        const mod = (await import(pathToFileURL(deployJs).href)) as {
          runDeployBench?: (o: { sizes?: number[]; runs?: number; command?: string }) => Promise<string>;
        };
        if (typeof mod.runDeployBench !== 'function') {
          console.log('# Deploy benchmark\n\nskipped: lib/test/bench/deploy.js does not export runDeployBench()');
        } else {
          console.log('# Deploy benchmark\n');
          const report = await mod.runDeployBench({ sizes: args.sizes, runs: args.runs, command });
          console.log(report);
          if (/^- FAIL/m.test(report)) failed = true;
          if (args.write) {
            writeSection(DEPLOY_HEADING, report);
            console.log(`wrote ${DEPLOY_HEADING} to ${path.relative(process.cwd(), BENCHMARKS_MD) || BENCHMARKS_MD}`);
          }
        }
      } catch (err) {
        console.error('# Deploy benchmark failed\n');
        console.error(err instanceof Error ? (err.stack ?? err.message) : err);
        process.exitCode = 1;
      }
    }
  }

  if (failed && args.strict) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
