/**
 * Every network wait is bounded by --timeout, with the attempt count shown (a local TCP listener on 127.0.0.1 that
 * accepts and never answers); a malformed kubeconfig is bad input (exit 2) and its planted bearer token is never
 * printed (issue 14).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { runCli } from '../../src/cli/run.js';
import { KubeClient } from '../../src/deploy/client.js';
import { EXIT } from '../../src/cli/cluster-exit-codes.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { examplePlatformFile } from '../../src/cli/platform-file.js';
import { sink } from '../helpers.js';

const TOKEN = 'planted-token-5c0ffee-do-not-print';
const dir = mkdtempSync(join(tmpdir(), 'berth-net-'));
let blackHole: net.Server;
let port = 0;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  // accepts every connection and never answers
  blackHole = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  port = (blackHole.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => blackHole.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(name: string, server: string, tokenLine = `token: ${TOKEN}`): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: "${server}" }
users:
- name: u
  user:
    ${tokenLine}
contexts:
- name: x
  context: { cluster: c, user: u }
current-context: x
`,
  );
  return file;
}

async function berth(...args: string[]): Promise<{ code: number; err: string; out: string; ms: number }> {
  const [stdout, stderr] = [sink(), sink()];
  const started = Date.now();
  const code = await runCli(args, { stdout, stderr, cwd: dir, env: {}, signal: new AbortController().signal });
  return { code, err: stderr.text, out: stdout.text, ms: Date.now() - started };
}

describe('a server that accepts and never answers', () => {
  // the assertions bound the time (timeout + slack); jest's own 5 s default must not decide first on a loaded machine
  jest.setTimeout(30_000);
  it('one request with retries ends within its deadline, naming the attempts', async () => {
    // GIVEN a client bounded to 1.5 s per request (retries included)
    const c = new KubeClient(kubeConfigFromFile(kubeconfig('bh.yaml', `http://127.0.0.1:${port}`), undefined), { timeoutMs: 1500, deadlineMs: 1500 });
    const started = Date.now();
    // WHEN it asks the black hole THEN it gives up in time, saying how often it tried
    await expect(c.request({ method: 'GET', path: '/api' })).rejects.toThrow(
      /cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+: ETIMEDOUT \(no answer within 1\.5s\) \(gave up after 1 attempt within the 1\.5s timeout\)/,
    );
    expect(Date.now() - started).toBeLessThan(2500);
    c.close();
  });

  it('berth deploy --timeout 2s fails within the timeout (+ slack) with the unreachable exit code, token unprinted', async () => {
    const file = kubeconfig('bh-cli.yaml', `http://127.0.0.1:${port}`);
    // WHEN deploying to the black hole with --timeout 2s
    const r = await berth('deploy', '--env', 'production', '--file', examplePlatformFile(), '--kubeconfig', file, '--timeout', '2s', '--no-wait');
    // THEN it fails in about 2 s (not 8 minutes), exit 6, attempts shown, and no credential printed
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.ms).toBeLessThan(2000 + 4000);
    expect(r.err).toMatch(/gave up after \d+ attempts? within the 2s timeout/);
    expect(r.err + r.out).not.toContain(TOKEN);
  });

  it.each(['status', 'diff', 'prune'])('berth %s --timeout 1s is bounded the same way', async (cmd) => {
    const file = kubeconfig(`bh-${cmd}.yaml`, `http://127.0.0.1:${port}`);
    const r = await berth(cmd, '--env', 'production', '--file', examplePlatformFile(), '--kubeconfig', file, '--timeout', '1s');
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.ms).toBeLessThan(1000 + 4000);
    expect(r.err).toMatch(/gave up after \d+ attempts? within the 1s timeout/);
    expect(r.err + r.out).not.toContain(TOKEN);
  });
});

describe('a server URL with credentials in it', () => {
  it('is shown with them redacted', async () => {
    // GIVEN a kubeconfig whose server URL carries a user and password, and nothing listening there
    const file = kubeconfig('userinfo.yaml', 'http://admin:planted-url-pass-31@127.0.0.1:1');
    const r = await berth('status', '--env', 'production', '--file', examplePlatformFile(), '--kubeconfig', file, '--timeout', '1s');
    // THEN the error names the server without the password
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.err).toContain('http://***@127.0.0.1:1');
    expect(r.err + r.out).not.toContain('planted-url-pass-31');
  });
});

describe('a malformed kubeconfig', () => {
  it('is bad input (exit 2) naming the file and position, never its contents (planted token)', async () => {
    // GIVEN a kubeconfig whose YAML breaks right at the token
    const file = kubeconfig('broken.yaml', 'https://127.0.0.1:1', `token: ${TOKEN}: [unclosed`);
    // WHEN any cluster command loads it
    for (const cmd of ['deploy', 'status', 'diff']) {
      const r = await berth(cmd, '--env', 'production', '--file', examplePlatformFile(), '--kubeconfig', file);
      // THEN exit 2, the file and line are named, the token is not printed
      expect(r.code).toBe(EXIT.badInput);
      expect(r.err).toMatch(new RegExp(`cannot load kubeconfig ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: it is not a valid kubeconfig \\(line \\d+`));
      expect(r.err + r.out).not.toContain(TOKEN);
      expect(r.err + r.out).not.toContain('5c0ffee');
    }
  });

  it('a missing kubeconfig is bad input too', async () => {
    const r = await berth('status', '--env', 'production', '--file', examplePlatformFile(), '--kubeconfig', join(dir, 'nope.yaml'));
    expect(r.code).toBe(EXIT.badInput);
    expect(r.err).toMatch(/nope\.yaml: it does not exist/);
  });
});
