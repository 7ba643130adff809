/**
 * Benchmark baseline: the same services built with cdk8s-plus the naive, standard way (naive-app.ts).
 *
 *   node lib/test/bench/naive-cdk8s-plus.js <platform.yaml> <outdir> [cdk8s-plus-27 | cdk8s-plus-34]
 *
 * cdk8s-plus-27 is the baseline issue 10 names; cdk8s-plus-34 is the newest line, what a user starting today installs.
 * The line is loaded with `import()` (the same module loading as a static import). `app.synth()` (validations,
 * resolution, YAML) writes `<outdir>/<environment>.k8s.yaml`, cdk8s's default layout (one file per chart).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Kplus, naiveApp, type PlatformDecl } from './naive-app.js';
import { ISSUE_PLUS, PLUS_LINES } from './plus-lines.js';

const [file, outdir, line = ISSUE_PLUS] = process.argv.slice(2);
if (!file || !outdir || !PLUS_LINES.includes(line)) {
  console.error(`usage: naive-cdk8s-plus <platform.yaml> <outdir> [${PLUS_LINES.join(' | ')}]`);
  process.exit(2);
}
const kplus = (await import(line)) as Kplus;
naiveApp(kplus, parse(readFileSync(file, 'utf8')) as PlatformDecl, outdir).synth();
