// The example platform as a cdk8s app (cdk8s.yaml's `app`): renders charts/platform.yaml into the
// cdk8s output folder. An entry point, so it may read the environment; constructs never do.
import { runCli } from '../src/cli/run.js';

const out = process.env.CDK8S_OUTDIR ?? 'dist';
process.exitCode = await runCli(['synth', '--out', out], {
  stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, signal: new AbortController().signal,
});
