// Talking to the running control plane from the harness: plain HTTP(S) GETs, waiting for a condition while the
// component it depends on stays alive, kube-apiserver's /readyz, and the cluster's own kubectl.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { alive, logTail, runsIn } from './processes.js';
import { type ClusterState, COMPONENTS, sleep } from './state.js';

interface HttpResult {
  status: number;
  body: string;
}

export function get(url: string, opts: { ca?: string; token?: string } = {}): Promise<HttpResult> {
  return new Promise((res, rej) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: 'GET',
        timeout: 5000,
        ...(opts.ca ? { ca: opts.ca } : {}),
        headers: opts.token ? { Authorization: `Bearer ${opts.token}` } : {},
      },
      (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (body += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', rej);
    req.end();
  });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Fail at once when this process exits. */
  readonly pid?: number;
  readonly stateDir: string;
  /** Its log tail is shown on failure. */
  readonly component?: string;
}

export async function waitFor(what: string, check: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (opts.pid !== undefined && !alive(opts.pid)) {
      throw new Error(`${opts.component} exited while waiting for ${what}:\n${logTail(opts.stateDir, opts.component ?? '')}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? ` (${lastErr})` : ''}` + (opts.component ? `:\n${logTail(opts.stateDir, opts.component)}` : ''));
}

export async function apiserverReady(state: Pick<ClusterState, 'server' | 'caFile' | 'token'>): Promise<boolean> {
  if (!existsSync(state.caFile)) return false;
  const r = await get(`${state.server}/readyz`, { ca: readFileSync(state.caFile, 'utf8'), token: state.token });
  return r.status === 200 && r.body.trim() === 'ok';
}

/** True if every recorded process runs and kube-apiserver answers /readyz. */
export async function isLive(state: ClusterState | undefined): Promise<boolean> {
  if (!state) return false;
  if (!COMPONENTS.every((c) => runsIn(state.pids[c], state.stateDir))) return false;
  try {
    return await apiserverReady(state);
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((res, rej) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? rej(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : res(stdout),
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs the cluster's own kubectl (same version as the apiserver) with the admin kubeconfig. */
export function kubectl(state: ClusterState, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  return run(state.kubectl, ['--kubeconfig', state.kubeconfig, ...args], opts);
}
