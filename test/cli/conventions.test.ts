import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_NAMES, runCli } from '../../src/cli/run.js';
import { sink, tempDir } from '../helpers.js';

async function berth(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; ms: number }> {
  const [stdout, stderr] = [sink(), sink()];
  const started = Date.now();
  const code = await runCli(args, { stdout, stderr, cwd: process.cwd(), env, signal: new AbortController().signal });
  return { code, out: stdout.text, err: stderr.text, ms: Date.now() - started };
}

describe('every help text', () => {
  it.each(COMMAND_NAMES)('berth %s -h, --help and berth help %s print the same help with Examples and Exit codes', async (name) => {
    // GIVEN a command WHEN its help is asked three ways
    const [short, long, viaHelp] = [await berth([name, '-h']), await berth([name, '--help']), await berth(['help', name])];
    // THEN each exits 0 with the same text, which has examples and its exit codes
    for (const r of [short, long, viaHelp]) expect(r.code).toBe(0);
    expect(short.out).toBe(long.out);
    expect(viaHelp.out).toBe(long.out);
    expect(long.out).toMatch(/\nExamples:\n {2}berth /);
    expect(long.out).toMatch(/\nExit codes[^\n]*:[^\n]*\n?[^\n]*0 ok/);
  });

  it('the top-level help has examples and exit codes too', async () => {
    const r = await berth(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Examples:');
    expect(r.out).toContain('Exit codes:');
  });
});

describe('version, typos and flags', () => {
  it.each([['--version'], ['-V'], ['version']])('berth %s prints the package version', async (flag) => {
    const r = await berth([flag]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^berth \d+\.\d+\.\d+\n$/);
  });

  it('an unknown command suggests the closest one', async () => {
    const r = await berth(['deplyo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Did you mean "berth deploy"?');
  });

  it.each([
    ['deploy', '--kubconfig'],
    ['synth', '--ouT'],
    ['status', '--contxt'],
    ['validate', '--fil'],
  ])('berth %s %s suggests the flag', async (cmd, flag) => {
    const r = await berth([cmd, flag, 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown flag .* Did you mean --(kubeconfig|out|context|file)\?/);
  });

  it('--output must be text or json, exit 2', async () => {
    const r = await berth(['validate', '-f', 'charts/platform.yaml', '-o', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--output must be text or json');
  });

  it('validate -o json prints one document with the exit code, also on failure', async () => {
    const ok = await berth(['validate', '-f', 'charts/platform.yaml', '-o', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, exitCode: 0 });
    const bad = await berth(['validate', '-f', 'no-such-file.yaml', '-o', 'json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, exitCode: 2 });
  });
});

describe('fast, clear failures without a cluster', () => {
  const home = tempDir('berth-home-');

  it.each(['deploy', 'status', 'diff', 'prune'])('berth %s with no kubeconfig anywhere: exit 2 at once, naming what was checked', async (cmd) => {
    // GIVEN an empty HOME, no KUBECONFIG, not in a cluster
    // WHEN the command runs, in text and in JSON
    const text = await berth([cmd, '-e', 'production', '-f', 'charts/platform.yaml'], { HOME: home });
    const json = await berth([cmd, '-e', 'production', '-f', 'charts/platform.yaml', '-o', 'json'], { HOME: home });
    // THEN it fails at once with the same code in both, listing the files, variables and flags
    expect(text.code).toBe(2);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, exitCode: 2 });
    expect(text.err).toContain('$KUBECONFIG (not set)');
    expect(text.err).toContain(join(home, '.kube', 'config'));
    expect(text.err).toContain('in-cluster');
    expect(text.err).toMatch(/--kubeconfig.*--project/);
    expect(text.err).not.toContain('localhost:8080');
    expect(text.ms).toBeLessThan(2000);
  });

  it('a refused connection fails at once, exit 6, saying so', async () => {
    // GIVEN a kubeconfig pointing at a port where nothing listens
    const kc = join(home, 'dead.yaml');
    writeFileSync(
      kc,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {token: x}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const r = await berth(['status', '-e', 'production', '-f', 'charts/platform.yaml', '--kubeconfig', kc], { HOME: home });
    // THEN exit 6 within 2 s (no silent retries), naming the refusal
    expect(r.code).toBe(6);
    expect(r.err).toMatch(/cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:1: connection refused/);
    expect(r.ms).toBeLessThan(2000);
  });

  it('GKE without Application Default Credentials: one line naming gcloud, exit 6 in text and JSON', async () => {
    const args = ['status', '-e', 'production', '-f', 'charts/platform.yaml', '--project', 'p', '--location', 'l', '--cluster', 'c'];
    const text = await berth(args, { HOME: home });
    const json = await berth([...args, '-o', 'json'], { HOME: home });
    expect(text.code).toBe(6);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, exitCode: 6 });
    expect(text.err).toContain('gcloud auth application-default login');
    expect(
      text.err
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('berth: using ')),
    ).toHaveLength(1);
    expect(text.ms).toBeLessThan(2000);
  });
});
