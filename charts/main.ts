// The example platform as a cdk8s app (cdk8s.yaml's `app`): renders charts/platform.yaml into the
// cdk8s output folder with berth's own writer (dist/<environment>/..., .berth-files), so `npx cdk8s synth`
// gives the same bytes as `npm run synth`. An entry point, so it may read the environment; constructs never do.
// `--file` is explicit: without it berth would take ./cdk8s.yaml's app, i.e. this file, again.
import { runCli } from '../src/cli/run.js';
import { examplePlatformFile } from '../src/cli/platform-file.js';

const out = process.env.CDK8S_OUTDIR ?? 'dist';
process.exitCode = await runCli(['synth', '--file', examplePlatformFile(), '--out', out, '--quiet'], {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: new AbortController().signal,
});
