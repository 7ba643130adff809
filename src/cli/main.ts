#!/usr/bin/env node
// The `berth` executable: the only place that reads process.argv, process.env and signals.
import { setFlagsFromString } from 'node:v8';
import { v8Tuning } from './v8-tuning.js';

// Before the rest of berth is loaded, so that every function it creates gets the budget (see v8-tuning.ts).
for (const flag of v8Tuning(process.execArgv)) setFlagsFromString(flag);
const { runCli } = await import('./run.js');

const controller = new AbortController();
let interrupted = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    interrupted += 1;
    if (interrupted > 1) process.exit(130);
    process.stderr.write(`\nberth: ${sig} received, stopping cleanly (press Ctrl-C again to force)\n`);
    controller.abort(new Error(`interrupted by ${sig}`));
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
