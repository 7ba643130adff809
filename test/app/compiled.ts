/**
 * The compiled package (lib/), for tests that run berth's entry points as processes (the cdk8s CLI
 * runs `node lib/charts/main.js`). `npm test` compiles first; run alone, a test compiles once when
 * lib/ is missing or older than any TypeScript source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/cli/platform-file.js';

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** The package root, with lib/ compiled from the current sources. */
export function compiledRoot(): string {
  const root = packageRoot();
  const marker = join(root, 'lib', 'charts', 'main.js');
  const sources = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'charts')));
  if (!existsSync(marker) || statSync(marker).mtimeMs < sources) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  }
  return root;
}

/** The command that runs the TypeScript example app (compiled), from the package root. */
export const SHOP_APP = 'node lib/charts/examples/typescript-app/main.js';
