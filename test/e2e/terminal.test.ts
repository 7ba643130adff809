/**
 * The terminal as a person sees it: `berth deploy` runs inside tmux against the local control plane, the pane is
 * captured during and after the run, and the progress display must redraw without garbage (no stray escape
 * sequences, no frame left over, no line wider than the terminal) on a narrow and a wide terminal; plain lines
 * (no escape sequences) when stdout is not a terminal. Runs the bundled CLI (lib/bin, built by `npm test`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { adminClient, clusterState, deleteNamespace, uniqueNamespace } from '../deploy/e2e-helpers.js';

const tester = adminClient();
const dir = mkdtempSync(join(tmpdir(), 'berth-tty-'));
const socket = `berth-e2e-${process.pid}`;
const main = resolve('lib/bin/berth.js');
const namespaces: string[] = [];

afterAll(async () => {
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  tester.close();
  rmSync(dir, { recursive: true, force: true });
});

function platform(ns: string, services: number): string {
  // environment "web" in its own namespace
  const list = Array.from(
    { length: services },
    (_, i) => `  - name: service-with-a-long-name-${i}
    image: registry.example.com/shop:1.0.0
    port: 8000
    health: /healthz
    memory: 64Mi
    cpu: 10m
    replicas: 2
`,
  ).join('');
  return `environments:\n  web:\n    namespace: ${ns}\nservices:\n${list}`;
}

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --adopt: the cluster-scoped PriorityClass berth-normal is shared by every environment of the cluster
/** Runs deploy in a `width`-column tmux pane; returns every distinct capture taken while it ran, and the last. */
async function deployInTmux(width: number): Promise<{ frames: string[]; last: string }> {
  const ns = uniqueNamespace(`e2e-tty${width}`);
  namespaces.push(ns);
  const file = join(dir, `platform-${width}.yaml`);
  writeFileSync(file, platform(ns, 4));
  const session = `w${width}`;
  const command = `node ${main} deploy -e web -f ${file} --kubeconfig ${clusterState().kubeconfig} --no-wait-lb --adopt; echo BERTH-EXIT=$?; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', String(width), '-y', '50', command);
  const frames = new Set<string>();
  const started = Date.now();
  let last = '';
  while (Date.now() - started < 120_000) {
    last = tmux('capture-pane', '-p', '-t', session);
    frames.add(last);
    if (last.includes('BERTH-EXIT=')) break;
    await sleep(150);
  }
  tmux('kill-session', '-t', session);
  return { frames: [...frames], last };
}

function expectClean(frame: string, width: number): void {
  // eslint-disable-next-line no-control-regex -- looking for ESC (a terminal escape sequence) is the point
  expect(frame).not.toMatch(/\x1b|\[\d*[AJK]|\[\d+;\d+H/); // no escape sequence or its remains on screen
  for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
}

describe('deploy on a terminal (tmux)', () => {
  it.each([60, 160])(
    '%i columns: progress redraws in place, nothing left over',
    async (width) => {
      const { frames, last } = await deployInTmux(width);
      // THEN it succeeded, and every frame seen during and after the run is clean
      expect(last).toContain('BERTH-EXIT=0');
      for (const f of frames) expectClean(f, width);
      // AND the finished screen holds the summary once and no leftover progress frame ("n/m ready" table)
      expect(last.match(/\d+ created, \d+ configured/g)).toHaveLength(1);
      expect(last).not.toMatch(/^\s+\d+\/\d+ ready/m);
      expect(last).not.toMatch(/^\s+\u2026 /m);
    },
    180_000,
  );
});

describe('deploy without a terminal', () => {
  it('prints plain lines, no escape sequences', () => {
    const ns = uniqueNamespace('e2e-plain');
    namespaces.push(ns);
    const file = join(dir, 'platform-plain.yaml');
    writeFileSync(file, platform(ns, 2));
    const r = spawnSync('node', [main, 'deploy', '-e', 'web', '-f', file, '--kubeconfig', clusterState().kubeconfig, '--no-wait-lb', '--adopt'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toMatch(/\d+ created, \d+ configured/);
  }, 180_000);
});
