#!/usr/bin/env node
// `npm run synth` / `npm run bench`: runs the TypeScript build and bundles the berth executable (bundle-cli.mjs) only
// when a source is newer than the last build (lib/.build-stamp) or lib/bin/ is missing, so a synth with nothing
// changed takes a fraction of a second instead of a full tsc.
// berth has no npm `prepare` (a production install must run nothing): the clone's entry points build lib/ when
// they need it (npm run synth/validate/bench/schema here, `npm test` and `npm run build` with tsc). Without
// TypeScript (`npm ci --omit=dev`) it says so and exits 1.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, bundleCli } from './bundle-cli.mjs';

const STAMP = 'lib/.build-stamp';
const INPUTS = ['src', 'charts', 'test'];
const FILES = ['tsconfig.json', 'package.json', 'package-lock.json'];

function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return /\.(ts|json)$/.test(path) ? st.mtimeMs : 0;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

const TSC = 'node_modules/typescript/bin/tsc';
if (!existsSync(TSC)) {
  process.stderr.write(`berth: TypeScript is not installed (a production install?), so lib/ is not built; run npm ci\n`);
  process.exit(1);
}

const stamp = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const latest = Math.max(...INPUTS.map(newest), ...FILES.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
if (stamp === 0 || latest >= stamp || !existsSync(BIN)) {
  const started = Date.now();
  execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { stdio: 'inherit' });
  await bundleCli();
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  process.stderr.write(`berth: built lib/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
