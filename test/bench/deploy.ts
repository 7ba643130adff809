/**
 * Deploy benchmark (`npm run bench -- --only deploy [--sizes 100,1000] [--runs N] [--write]`), on the local control
 * plane, everything in one run. Per size: a platform of N services (every 10th public, replicas 0, no wait: the apply
 * path is what is timed), rendered once; each tool applies it into its own namespace, as a process the way a user runs it:
 * - berth: `node lib/bin/berth.js deploy --no-wait -o json` (render, schema preflight, dry runs, apply, prune check);
 * - kubectl, newest: the control plane's own build (`test/cluster` binaries), `apply --server-side -R -f <dir>`;
 * - kubectl, old: `/usr/bin/kubectl` (BERTH_BENCH_OLD_KUBECTL, `none` to skip), same command;
 * - floor: `node lib/test/bench/floor.js`: raw server-side-apply PATCHes of every object, no preflight, 16 in flight.
 * Cases, in order: cold (new namespace), no-op, one service's image changed, 10% of services' images changed.
 * Then, once: the example platform (charts/platform.yaml, production) deployed end to end with waiting (rollout
 * and load-balancer health), the cluster found through the GKE stand-in, the ingress controller played by the bench.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformText } from '../../src/declaration/load.js';
import { KubeClient } from '../../src/deploy/client.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { renderPlatform } from '../../src/render/render.js';
import type { RenderedEnvironment } from '../../src/render/types.js';
import { findBinaries } from '../cluster/binaries.js';
import { type ClusterState, down, isLive, readState, up } from '../cluster/cluster.js';
import { BENCH_ENVIRONMENT, generatePlatformYaml } from './generate.js';
import { timeExamplePlatform } from './deploy-platform.js';
import { berthAt, machineFacts } from './bench-facts.js';

const here = dirname(fileURLToPath(import.meta.url)); // lib/test/bench
const repoRoot = resolve(here, '..', '..', '..');
const OLD_KUBECTL = process.env.BERTH_BENCH_OLD_KUBECTL ?? '/usr/bin/kubectl';

/** The control plane's own kubectl (the newest). */
function newestKubectl(): string {
  const bins = findBinaries(repoRoot);
  if (!bins) throw new Error('the test/cluster binaries are not built (npm run cluster:build)');
  return bins.kubectl;
}

export type Case = 'cold' | 'no-op' | 'one changed' | '10% changed';
const CASES: readonly Case[] = ['cold', 'no-op', 'one changed', '10% changed'];
type Tool = 'berth' | 'kubectl (newest)' | 'kubectl (old)' | 'floor';

export interface Run {
  readonly size: number;
  readonly tool: Tool;
  readonly case: Case;
  readonly objects: number;
  readonly seconds: number;
  readonly requests: number;
  readonly writes: number;
  /** berth only: the time its deploy command reports (after node started and loaded its modules). */
  readonly command?: number;
  /** 0 for a step's first run of a tool; 1, 2… for its repeats (see REPEATED). */
  readonly sample: number;
}

/** What one timed command gives. */
type Sample = Omit<Run, 'size' | 'tool' | 'case' | 'sample'>;

/**
 * Cases a tool repeats within one run until it has MIN_STEP_SECONDS of samples (at most MAX_SAMPLES), the way hyperfine
 * or Go's benchtime give every command the same measuring time: a 1.5 s command is otherwise sampled at three instants of
 * a machine whose speed swings (a fixed CPU loop here takes 0.75–1.37 s from one run to the next), a 28 s one over 28 s.
 * Every tool follows the rule (kubectl's and the floor's steps already take longer, so they run once); the report gives
 * the medians over every sample and over first samples only (the method before), both.
 */
const REPEATED: readonly Case[] = ['no-op', 'one changed'];
const MIN_STEP_SECONDS = 10;
const MAX_SAMPLES = 15;

/** One request in kubectl's -v=6 log, in either klog format (`] GET https://… 200` or `verb="GET" url="https://…"`). */
function parseRequestLine(line: string): { verb: string; url: string } | undefined {
  const plain = /\] (GET|POST|PUT|PATCH|DELETE) (https?:\/\/\S+) \d{3}/.exec(line);
  if (plain) return { verb: plain[1], url: plain[2] };
  const structured = /"Response" verb="(\w+)" url="([^"]+)"/.exec(line);
  return structured ? { verb: structured[1], url: structured[2] } : undefined;
}

/**
 * The declaration for `c`: images of the changed services get tag 1.0.1 (one: the first; 10%: every 10th from the 5th);
 * a repeat of "one changed" changes the first service again (repeat k: tag 1.0.<k+1>).
 */
export function benchYaml(n: number, namespace: string, c: Case, repeat = 0): string {
  let yaml = generatePlatformYaml(n)
    .replace(/replicas: 2/g, 'replicas: 0')
    .replace(`namespace: ${BENCH_ENVIRONMENT}`, `namespace: ${namespace}`);
  const changed = c === 'one changed' ? [1] : c === '10% changed' ? Array.from({ length: n }, (_, i) => i + 1).filter((i) => i % 10 === 5) : [];
  const tag = c === 'one changed' ? `1.0.${repeat + 1}` : '1.0.1';
  for (const i of changed) yaml = yaml.replace(new RegExp(`(svc-0*${i}):1\\.0\\.0`), `$1:${tag}`);
  return yaml;
}

function render(yaml: string): RenderedEnvironment {
  return renderPlatform(loadPlatformText(yaml, 'bench.yaml'), { environments: [BENCH_ENVIRONMENT] })[0];
}

/** The rendered manifests as files (kustomization.yaml left out: `-f` applies every YAML document it finds). */
function writeManifests(env: RenderedEnvironment, root: string): void {
  rmSync(root, { recursive: true, force: true });
  for (const f of env.files.filter((x) => x.path.endsWith('.yaml') && !x.path.endsWith('kustomization.yaml'))) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
}

function timed(file: string, args: string[]): Promise<{ seconds: number; stdout: string; stderr: string }> {
  const t0 = process.hrtime.bigint();
  return new Promise((res, rej) => {
    execFile(file, args, { maxBuffer: 512 * 1024 * 1024, cwd: repoRoot }, (err, stdout, stderr) => {
      if (err) return rej(new Error(`${file} ${args.slice(0, 3).join(' ')} failed: ${err.message}\n${stderr.slice(-2000)}`));
      res({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, stdout, stderr });
    });
  });
}

async function kubectl(bin: string, kubeconfig: string, dir: string, cacheDir: string): Promise<Sample> {
  const { seconds, stderr } = await timed(bin, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'apply', '--server-side', '-R', '-f', dir, '-v=6']);
  const lines = stderr
    .split('\n')
    .map(parseRequestLine)
    .filter((m): m is { verb: string; url: string } => !!m);
  const writes = lines.filter((m) => m.verb !== 'GET' && !/[?&]dryRun=All/.test(m.url)).length;
  return { objects: 0, seconds, requests: lines.length, writes };
}

async function berth(kubeconfig: string, file: string): Promise<Sample> {
  const { seconds, stdout } = await timed(process.execPath, [
    join(repoRoot, 'lib/bin/berth.js'),
    'deploy',
    '--env',
    BENCH_ENVIRONMENT,
    '--file',
    file,
    '--kubeconfig',
    kubeconfig,
    '--no-wait',
    '-o',
    'json',
  ]);
  const out = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { requests: number; writes: number; seconds: number };
  return { objects: 0, seconds, requests: out.requests, writes: out.writes, command: out.seconds };
}

async function floor(kubeconfig: string, dir: string): Promise<Sample> {
  const { seconds, stdout } = await timed(process.execPath, [join(here, 'floor.js'), kubeconfig, dir]);
  const out = JSON.parse(stdout) as { requests: number; writes: number };
  return { objects: 0, seconds, requests: out.requests, writes: out.writes };
}

/** One tool through one case: once, or (REPEATED cases) until it has MIN_STEP_SECONDS of samples. */
async function step(kubeconfig: string, n: number, tmp: string, c: Case, tool: Tool, ns: string): Promise<Run[]> {
  const out: Run[] = [];
  let objects = 0;
  do {
    const sample = out.length;
    const yaml = benchYaml(n, ns, c, sample);
    const rendered = sample === 0 || tool !== 'berth' ? render(yaml) : undefined;
    if (rendered && sample === 0) objects = rendered.objects.length;
    let r: Sample;
    if (tool === 'berth') {
      writeFileSync(join(tmp, `${ns}.yaml`), yaml);
      r = await berth(kubeconfig, join(tmp, `${ns}.yaml`));
    } else {
      const dir = join(tmp, ns);
      writeManifests(rendered!, dir);
      r =
        tool === 'floor'
          ? await floor(kubeconfig, dir)
          : await kubectl(tool === 'kubectl (old)' ? OLD_KUBECTL : newestKubectl(), kubeconfig, dir, join(tmp, `cache-${ns}`));
    }
    out.push({ ...r, objects, size: n, tool, case: c, sample });
    process.stderr.write(
      `  ${n} services, ${c}, ${tool}${sample ? ` (repeat ${sample})` : ''}: ${r.seconds.toFixed(2)} s, ${r.requests} requests, ${r.writes} writes\n`,
    );
  } while (REPEATED.includes(c) && out.length < MAX_SAMPLES && out.reduce((t, r) => t + r.seconds, 0) < MIN_STEP_SECONDS);
  return out;
}

/** Every tool through every case at one size; namespaces deleted afterwards. */
async function benchSize(state: ClusterState, n: number, tmp: string, withOld: boolean): Promise<Run[]> {
  const suffix = randomBytes(3).toString('hex');
  const tools: [Tool, string][] = [
    ['berth', `bench-berth-${suffix}`],
    ['kubectl (newest)', `bench-kn-${suffix}`],
    ['floor', `bench-floor-${suffix}`],
  ];
  if (withOld && OLD_KUBECTL !== 'none' && existsSync(OLD_KUBECTL)) tools.push(['kubectl (old)', `bench-ko-${suffix}`]);
  const runs: Run[] = [];
  try {
    for (const c of CASES) for (const [tool, ns] of tools) runs.push(...(await step(state.kubeconfig, n, tmp, c, tool, ns)));
  } finally {
    const admin = new KubeClient(kubeConfigFromFile(state.kubeconfig, undefined));
    for (const [, ns] of tools) await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` }).catch(() => undefined);
    await namespacesGone(
      admin,
      tools.map(([, ns]) => ns),
    );
    admin.close();
  }
  return runs;
}

/**
 * Waits (up to 10 minutes) until the deleted namespaces are gone, so the next run does not share the control plane with
 * the namespace controller deleting thousands of objects: that slows every tool, and kubectl's many requests the most.
 */
async function namespacesGone(admin: KubeClient, names: readonly string[]): Promise<void> {
  const t0 = Date.now();
  for (const ns of names) {
    while (Date.now() - t0 < 10 * 60_000) {
      const gone = await admin.request({ method: 'GET', path: `/api/v1/namespaces/${ns}` }).then(
        () => false,
        (e: unknown) => (e as { status?: number }).status === 404,
      );
      if (gone) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  process.stderr.write(`  namespaces deleted in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The same ratio by the method before REPEATED (each tool's first sample of each run only), for the target line. */
function firstSamplesOnly(pick: (t: Tool) => Run[]): string {
  const first = (t: Tool) =>
    median(
      pick(t)
        .filter((r) => r.sample === 0)
        .map((r) => r.seconds),
    );
  const kubectlFirst = first('kubectl (newest)');
  const b = pick('berth');
  return (
    ` (median of ${b.length} berth samples; over first samples only, as before repeats: berth ${first('berth').toFixed(2)} s, ` +
    `${(first('berth') / kubectlFirst).toFixed(3)}×; vs kubectl ${kubectlFirst.toFixed(2)} s)`
  );
}

const TARGETS: Record<Case, number> = { cold: 0.8, 'no-op': 0.05, 'one changed': 0.05, '10% changed': 0.15 };

/** Medians over runs → the report's tables and target lines. */
export function report(all: Run[], meta: { runs: number; machine: string; versions: string; measured?: string; platform?: string }): string {
  const out: string[] = [];
  const sizes = [...new Set(all.map((r) => r.size))];
  for (const n of sizes) {
    out.push(
      `### ${n} services`,
      '',
      '| Case | Tool | Objects | Samples | Wall (median) | Wall (min–max) | Requests | Writes | vs newest kubectl |',
      '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    const targets: string[] = [];
    for (const c of CASES) {
      const pick = (t: Tool) => all.filter((r) => r.size === n && r.case === c && r.tool === t);
      const ref = median(pick('kubectl (newest)').map((r) => r.seconds));
      for (const t of ['berth', 'kubectl (newest)', 'kubectl (old)', 'floor'] as Tool[]) {
        const rs = pick(t);
        if (!rs.length) continue;
        const s = median(rs.map((r) => r.seconds));
        const inCommand = t === 'berth' ? ` (command ${median(rs.map((r) => r.command ?? 0)).toFixed(1)} s)` : '';
        const secs = rs.map((r) => r.seconds);
        out.push(
          `| ${c} | ${t} | ${rs[0].objects} | ${rs.length} | ${s.toFixed(2)} s${inCommand} | ` +
            `${Math.min(...secs).toFixed(2)}–${Math.max(...secs).toFixed(2)} s | ${median(rs.map((r) => r.requests))} | ` +
            `${median(rs.map((r) => r.writes))} | ${(s / ref).toFixed(3)}× |`,
        );
      }
      const b = pick('berth');
      const ratio = median(b.map((r) => r.seconds)) / ref;
      const writes = median(b.map((r) => r.writes));
      const writeRule = c === 'no-op' ? writes === 0 : true;
      const ok = ratio <= TARGETS[c] && writeRule;
      targets.push(
        `- ${ok ? 'PASS' : 'FAIL'} — ${c}: berth ${ratio.toFixed(3)}× the newest kubectl (target ` +
          `≤ ${TARGETS[c]}×${c === 'no-op' ? ', 0 writes' : ''}); berth writes ${writes}` +
          (REPEATED.includes(c) ? firstSamplesOnly(pick) : ''),
      );
    }
    out.push('', 'Targets (at 1000 services; smaller sizes shown for information):', '', ...targets, '');
  }
  return [
    `Machine: ${meta.machine}  `,
    `Versions: ${meta.versions}  `,
    ...(meta.measured ? [`Measured ${meta.measured}.  `] : []),
    `Method: \`npm run bench -- --only deploy\` → \`test/bench/deploy.ts\`, ${meta.runs} run(s) per size (the old kubectl in the first ` +
      'run only: it is several times slower), medians; after each run the bench deletes its namespaces and waits until they are gone. ' +
      'One environment of N services ' +
      '(every 10th public, replicas 0, no wait: the apply path is what is timed), rendered into one namespace per tool. Every tool runs as a process, ' +
      "the way a user runs it: berth = `node lib/bin/berth.js deploy --no-wait -o json` (the package's `berth` executable; " +
      'includes rendering the YAML declaration, the OpenAPI schema ' +
      'preflight, any server dry runs, the ApplySet parent and the prune check); kubectl = `apply --server-side -R -f <dir>` of the same rendering ' +
      '(fresh `--cache-dir` per namespace, requests counted from its `-v=6` log); floor = `node lib/test/bench/floor.js`: raw server-side-apply PATCHes ' +
      "of every object, no preflight, 16 in flight. Cases in order: cold (new namespace), no-op, one service's image changed, " +
      "10% of the services' images changed. " +
      `Within a run, every tool repeats the no-op and the one-changed step until it has ${MIN_STEP_SECONDS} s of samples ` +
      `(at most ${MAX_SAMPLES}; a repeat of one-changed changes the same service's image again), as hyperfine does: kubectl and the ` +
      'floor take longer than that once, so only berth repeats; the medians are over every sample, and each target line also gives ' +
      'the ratio over first samples only (the method before repeats). ' +
      "Writes = mutating requests that were not dry runs (kubectl's and the floor's no-op PATCHes change nothing but are sent). " +
      '"command" = the time berth\'s deploy command reports itself (from after node started and loaded berth\'s modules to the end); ' +
      "the rest of berth's wall time is process start-up and module loading.",
    '',
    ...out,
    ...(meta.platform ? ['### Example platform, end to end with waiting', '', meta.platform, ''] : []),
  ].join('\n');
}

function machine(): string {
  return `${machineFacts()}; load average (1 min) ${loadavg()[0].toFixed(1)} at start`;
}

function versions(kubeconfig: string): Promise<string> {
  const v = (bin: string) =>
    timed(bin, ['version', '--client', '-o', 'json']).then(
      (r) => (JSON.parse(r.stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion,
      () => 'n/a',
    );
  return Promise.all([
    v(newestKubectl()),
    OLD_KUBECTL === 'none' ? 'skipped' : v(OLD_KUBECTL),
    timed(newestKubectl(), ['--kubeconfig', kubeconfig, 'version', '-o', 'json']).then(
      (r) => (JSON.parse(r.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion,
      () => 'n/a',
    ),
  ]).then(
    ([n, o, s]) =>
      `${berthAt(repoRoot)}, node ${process.version}; control plane ${s} (test/cluster: etcd with --unsafe-no-fsync, kwok nodes); ` +
      `kubectl newest ${n}; kubectl old ${o}`,
  );
}

export async function runDeployBench(opts: { sizes?: number[]; runs?: number; platform?: boolean; command?: string } = {}): Promise<string> {
  const sizes = opts.sizes ?? [Number(process.env.BERTH_BENCH_SERVICES ?? 1000)];
  const existing = readState();
  const startedHere = !(existing && (await isLive(existing)));
  const state = startedHere ? await up({ owner: 'bench' }) : existing;
  const tmp = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  try {
    const measured = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` + (opts.command ? ` with \`${opts.command}\`` : '');
    const meta = { runs: opts.runs ?? 1, machine: machine(), versions: await versions(state.kubeconfig), measured };
    const runs: Run[] = [];
    for (const n of sizes) for (let i = 0; i < meta.runs; i++) runs.push(...(await benchSize(state, n, tmp, i === 0)));
    const platform = opts.platform === false ? undefined : await timeExamplePlatform(state);
    return report(runs, { ...meta, platform, machine: `${meta.machine}, ${loadavg()[0].toFixed(1)} at end` });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (startedHere) await down();
  }
}
