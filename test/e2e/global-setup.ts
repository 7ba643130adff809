// Jest global setup of the "e2e" project: one real control plane for all e2e suites.
// Reuses a live cluster started by `npm run cluster:up` (and then leaves it running);
// otherwise starts one, owned by this jest process, and global-teardown stops it.
// Suites find it through BERTH_E2E_KUBECONFIG / BERTH_E2E_STATE (or readState() of test/cluster/cluster.ts).
//
// Jest loads global setup files natively (no moduleNameMapper), so `../cluster/cluster.js` would not
// resolve to the .ts source; the harness is transpiled on the fly into a temp folder and imported.
import ts from 'typescript';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Harness from '../cluster/cluster.js';

/** Every module of the harness (test/cluster/*.ts; the CLI entry points among them are transpiled, never run). */
const harnessFiles = (src: string): string[] =>
  readdirSync(src)
    .filter((f) => f.endsWith('.ts'))
    .sort();

async function loadHarness(rootDir: string): Promise<typeof Harness> {
  const src = join(rootDir, 'test', 'cluster');
  const sources = harnessFiles(src).map((f) => [f, readFileSync(join(src, f), 'utf8')] as const);
  const hash = createHash('sha256');
  for (const [, text] of sources) hash.update(text);
  // A cache keyed by the sources' hash, kept across runs: in the temp folder jest was started with, not in the
  // per-run one (test/jest/global-setup.ts), whichever of the two global setups runs first.
  const out = join(process.env.BERTH_OUTER_TMPDIR ?? tmpdir(), `berth-cluster-harness-${hash.digest('hex').slice(0, 12)}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  for (const [file, text] of sources) {
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), js);
  }
  return (await import(pathToFileURL(join(out, 'cluster.js')).href)) as typeof Harness;
}

export default async function globalSetup(_global: unknown, project: { rootDir: string }): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const harness = await loadHarness(project.rootDir);
  g.__BERTH_E2E_HARNESS__ = harness;
  const existing = harness.readState();
  let state;
  if (existing && (await harness.isLive(existing))) {
    process.stderr.write(`\n[cluster] e2e: reusing running cluster ${existing.server}\n`);
    state = existing;
    g.__BERTH_E2E_OWNS_CLUSTER__ = false;
  } else {
    process.stderr.write('\n[cluster] e2e: starting a cluster for this test run\n');
    state = await harness.up({ owner: 'jest', reapWithPid: process.pid });
    g.__BERTH_E2E_OWNS_CLUSTER__ = true;
  }
  process.env.BERTH_E2E_KUBECONFIG = state.kubeconfig;
  process.env.BERTH_E2E_STATE = join(state.stateDir, 'state.json');
}
