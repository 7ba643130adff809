import { Writable } from 'node:stream';
import { DeclarationError, type DeclarationIssue } from '../src/declaration/errors.js';
import { validatePlatform } from '../src/declaration/validate.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../src/cli/command.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../src/declaration/types.js';
import type { KubeObject, RenderedEnvironment } from '../src/render/types.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The object of a kind and name; fails the test when absent. */
export function find(objects: readonly KubeObject[], kind: string, name: string): Json {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} "${name}" among: ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

export function kinds(objects: readonly KubeObject[], kind: string): Json[] {
  return objects.filter((o) => o.kind === kind);
}

export function env(rendered: readonly RenderedEnvironment[], name: string): RenderedEnvironment {
  const e = rendered.find((r) => r.name === name);
  if (!e) throw new Error(`no environment ${name}`);
  return e;
}

/** A minimal valid service; override what a test is about. */
export function service(overrides: Partial<ServiceDeclaration> = {}): ServiceDeclaration {
  return {
    name: 'api',
    image: 'registry.example.com/api:1.4.2',
    port: 8000,
    host: 'api.example.com',
    health: '/healthz',
    memory: '512Mi',
    cpu: '250m',
    replicas: 2,
    ...overrides,
  };
}

export function platform(
  services: ServiceDeclaration[],
  environments: PlatformDeclaration['environments'] = { production: { namespace: 'production' } },
): PlatformDeclaration {
  return { environments, services };
}

/** Folders tempDir() made for the current test file; removed after its last test (see below). */
const madeTempDirs: string[] = [];
// Each test file has its own copy of this module, so this registers one afterAll per file that uses tempDir().
// Best effort: whatever a test left unremovable (a read-only folder) goes with the run's temporary root, which
// test/jest/global-teardown.ts removes. Outside jest (benchmarks run from lib/) there is no afterAll.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of madeTempDirs.splice(0)) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        /* left to the per-run root's teardown */
      }
    }
  });
}

/** A fresh temporary folder, removed after the test file's last test. */
export function tempDir(prefix = 'berth-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeTempDirs.push(dir);
  return dir;
}

/** Every file under `dir` with its content, for "nothing changed" assertions. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out[`${rel}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** A CommandIo capturing output, for calling CLI commands in-process. */
export function captureIo(cwd: string): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    ({ write: (chunk: string | Uint8Array) => (append(String(chunk)), true) }) as unknown as NodeJS.WritableStream;
  return {
    stdout: stream((s) => (out += s)),
    stderr: stream((s) => (err += s)),
    cwd,
    env: {},
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}

/** The issues validatePlatform reports for `p` (a test fails if it accepts `p`). */
export function issuesOf(p: PlatformDeclaration): readonly DeclarationIssue[] {
  return declarationErrorOf(() => validatePlatform(p)).issues;
}

/** The DeclarationError `fn` throws (a test fails if it throws nothing, or something else). */
export function declarationErrorOf(fn: () => unknown): DeclarationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeclarationError) return e;
    throw e;
  }
  throw new Error('expected a DeclarationError');
}

/** A writable stream that keeps what was written in `text` (stdout/stderr of a command under test). */
export function sink(): Writable & { text: string } {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  s.text = '';
  return s;
}

/** A one-context kubeconfig file (`dir/name`, mode 0600): cluster `c`, user `u`, context `x` (current). Returns its path. */
export function writeKubeconfig(dir: string, name: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const file = join(dir, name);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'x',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}
