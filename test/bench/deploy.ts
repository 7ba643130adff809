/**
 * Deploy benchmark (`npm run bench`): on the local control plane, in the same run, a 1000-service environment
 * (every 10th public, replicas 0, no wait: the apply path is what is timed) deployed cold with berth and with
 * `kubectl apply --server-side -R -f` of the same rendering into another namespace, then a no-op re-apply of each.
 * Wall time, requests sent and writes. Set BERTH_BENCH_SERVICES for a smaller run.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlatformText } from '../../src/declaration/load.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { KubeClient } from '../../src/deploy/client.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { MemoryReporter } from '../../src/deploy/report.js';
import { renderPlatform } from '../../src/render/render.js';
import type { RenderedEnvironment } from '../../src/render/types.js';
import { type ClusterState, down, isLive, readState, up } from '../cluster/cluster.js';
import { BENCH_ENVIRONMENT, generatePlatformYaml } from './generate.js';

/** The kubectl the reference numbers were measured with (override with BERTH_BENCH_KUBECTL). */
const KUBECTL = process.env.BERTH_BENCH_KUBECTL ?? '/usr/bin/kubectl';

/** One request in kubectl's -v=6 log, in either klog format (`] GET https://… 200` or `verb="GET" url="https://…"`). */
function parseRequestLine(line: string): { verb: string; url: string } | undefined {
  const plain = /\] (GET|POST|PUT|PATCH|DELETE) (https?:\/\/\S+) \d{3}/.exec(line);
  if (plain) return { verb: plain[1]!, url: plain[2]! };
  const structured = /"Response" verb="(\w+)" url="([^"]+)"/.exec(line);
  return structured ? { verb: structured[1]!, url: structured[2]! } : undefined;
}

interface Run { readonly label: string; readonly objects: number; readonly seconds: number; readonly requests: number; readonly writes: number }

function renderInto(n: number, namespace: string): RenderedEnvironment {
  const yaml = generatePlatformYaml(n).replace(/replicas: 2/g, 'replicas: 0');
  const p = loadPlatformText(yaml, 'bench.yaml') as unknown as { environments: Record<string, Record<string, unknown>> };
  p.environments[BENCH_ENVIRONMENT] = { ...p.environments[BENCH_ENVIRONMENT], namespace };
  return renderPlatform(p as unknown as PlatformDeclaration, { environments: [BENCH_ENVIRONMENT] })[0]!;
}

async function berth(state: ClusterState, env: RenderedEnvironment, label: string): Promise<Run> {
  const client = new KubeClient(kubeConfigFromFile(state.kubeconfig, undefined), { concurrency: 32 });
  const ctx = { client, resources: new ResourceResolver(client), reporter: new MemoryReporter(), concurrency: 16 };
  const t0 = process.hrtime.bigint();
  await deployEnvironment(ctx, env, { tooling: 'berth/bench', wait: false, waitLb: false, timeoutMs: 0, prune: true });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  client.close();
  return { label, objects: env.objects.length, seconds, requests: client.counters.requests, writes: client.counters.writes };
}

function kubectlRun(state: ClusterState, dir: string, cacheDir: string): Promise<{ seconds: number; log: string }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(KUBECTL, ['--kubeconfig', state.kubeconfig, '--cache-dir', cacheDir, 'apply', '--server-side', '-R', '-f', dir, '-v=6'],
      { maxBuffer: 512 * 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err) return reject(new Error(`kubectl failed: ${err.message}\n${stderr.slice(-2000)}`));
        resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, log: stderr });
      });
  });
}

async function kubectl(state: ClusterState, env: RenderedEnvironment, dir: string, cacheDir: string, label: string): Promise<Run> {
  const { seconds, log } = await kubectlRun(state, dir, cacheDir);
  const lines = log.split('\n').map(parseRequestLine).filter((m): m is { verb: string; url: string } => !!m);
  const writes = lines.filter((m) => m.verb !== 'GET' && !/[?&]dryRun=All/.test(m.url)).length;
  return { label, objects: env.objects.length, seconds, requests: lines.length, writes };
}

function writeFiles(env: RenderedEnvironment, root: string): void {
  for (const f of env.files.filter((x) => x.path.endsWith('.yaml'))) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
}

function table(runs: Run[], services: number): string {
  const k = (label: string) => runs.find((r) => r.label === label)!;
  const ratio = (a: Run, b: Run) => (a.seconds / b.seconds).toFixed(3);
  const rows = runs.map((r) => `| ${r.label} | ${r.objects} | ${r.seconds.toFixed(2)} s | ${r.requests} | ${r.writes} |`);
  const cold = ratio(k('berth cold'), k('kubectl cold'));
  const noop = ratio(k('berth no-op'), k('kubectl no-op'));
  return [
    `${services} services (every 10th public, replicas 0, no wait), one environment, same local control plane and run; ` +
      `kubectl = \`${KUBECTL} apply --server-side -R -f\` (requests counted from its -v=6 log).`,
    '',
    '| Run | Objects | Wall | Requests | Writes |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `| Ratio | berth / kubectl | Target |`,
    '|---|---|---|',
    `| cold deploy | ${cold}× | ≤ 0.15× ${Number(cold) <= 0.15 ? 'PASS' : 'FAIL'} |`,
    `| no-op redeploy | ${noop}× | ≤ 0.03× ${Number(noop) <= 0.03 && k('berth no-op').writes === 0 ? 'PASS' : 'FAIL'} (writes: ${k('berth no-op').writes}) |`,
    '',
  ].join('\n');
}

export async function runDeployBench(): Promise<string> {
  const services = Number(process.env.BERTH_BENCH_SERVICES ?? 1000);
  const existing = readState();
  const startedHere = !(existing && (await isLive(existing)));
  const state = startedHere ? await up({ owner: 'bench' }) : existing!;
  const suffix = randomBytes(3).toString('hex');
  const nsB = `bench-berth-${suffix}`;
  const nsK = `bench-kubectl-${suffix}`;
  const tmp = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  const admin = new KubeClient(kubeConfigFromFile(state.kubeconfig, undefined));
  try {
    const envB = renderInto(services, nsB);
    const envK = renderInto(services, nsK);
    writeFiles(envK, join(tmp, 'manifests'));
    const runs: Run[] = [];
    runs.push(await berth(state, envB, 'berth cold'));
    runs.push(await kubectl(state, envK, join(tmp, 'manifests'), join(tmp, 'cache'), 'kubectl cold'));
    runs.push(await berth(state, envB, 'berth no-op'));
    runs.push(await kubectl(state, envK, join(tmp, 'manifests'), join(tmp, 'cache'), 'kubectl no-op'));
    return table(runs, services);
  } finally {
    for (const ns of [nsB, nsK]) await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` }).catch(() => undefined);
    admin.close();
    rmSync(tmp, { recursive: true, force: true });
    if (startedHere) await down();
  }
}
