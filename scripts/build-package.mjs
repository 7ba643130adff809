#!/usr/bin/env node
// `npm pack` / `npm publish` (prepack): compiles src/ alone into a clean lib/src/ with .d.ts files
// (tsconfig.package.json) and bundles the berth executable into lib/bin/ (bundle-cli.mjs), so the package holds
// exactly what src/ builds today and no file of a deleted source. Run from a clone with devDependencies; consumers
// of the package never run it (lib/ ships built).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { bundleCli } from './bundle-cli.mjs';

rmSync('lib/src', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.package.json'], { stdio: 'inherit' });
await bundleCli();
