#!/usr/bin/env node
// `npm run synth` / `npm run bench`: runs the TypeScript build only when a source is newer than the last
// build (lib/.build-stamp), so a synth with nothing changed takes a fraction of a second instead of a full tsc.
// `--prepare` (npm's prepare, run by `npm ci` in a clone): a production install (`npm ci --omit=dev`) has no
// TypeScript, so it skips the build with one line instead of failing. Installs of the published package never
// run prepare (lib/ ships built); `npm pack` runs it after prepack, which built lib/src/ for the package.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
const prepare = process.argv.includes('--prepare');
// npm runs prepare on `npm pack` / `npm publish` too, after prepack (scripts/build-package.mjs) built the package.
if (prepare && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);
if (!existsSync(TSC)) {
  process.stderr.write(`berth: TypeScript is not installed (a production install?), so lib/ is not built; run npm ci\n`);
  process.exit(prepare ? 0 : 1);
}

const stamp = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const latest = Math.max(...INPUTS.map(newest), ...FILES.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
if (stamp === 0 || latest >= stamp) {
  const started = Date.now();
  execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { stdio: 'inherit' });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  process.stderr.write(`berth: built lib/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
