/** `berth synth --out`: `-` streams one environment to stdout; targets berth must not write fail fast, exit 2. */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synth } from '../../src/cli/commands/synth.js';
import { captureIo, tempDir } from '../helpers.js';

const PLATFORM = `environments: { production: {}, staging: { services: { api: { host: api.staging.example.com } } } }
services:
  - { name: api, image: "registry.example.com/api:1.0.0", port: 8000, host: api.example.com, health: /healthz, memory: 128Mi, cpu: 100m }
  - { name: worker, image: "registry.example.com/worker:1.0.0", memory: 128Mi, cpu: 100m }
`;

function project(): string {
  const dir = tempDir('berth-out-');
  writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
  writeFileSync(join(dir, 'README.md'), 'my readme\n');
  return dir;
}

describe('berth synth --out -', () => {
  it('writes one environment as a multi-document YAML stream on stdout, and nothing on disk', async () => {
    // GIVEN a project with a declaration and no dist/
    const dir = project();
    const io = captureIo(dir);
    // WHEN synth streams production to stdout
    const code = await synth(['-f', 'platform.yaml', '-e', 'production', '--out', '-'], io);
    // THEN exit 0, and stdout is YAML documents: the environment's objects, no kustomization, no routes.md
    expect(io.err()).not.toMatch(/error/i);
    expect(code).toBe(0);
    const docs = parseAllDocuments(io.out()).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } });
    const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace/production', 'Deployment/api', 'Service/api', 'Deployment/worker']));
    expect(kinds.find((k) => k.startsWith('Ingress/'))).toBeDefined();
    expect(kinds.filter((k) => k.startsWith('Kustomization/'))).toEqual([]);
    const clusterScoped = new Set(['Namespace', 'PriorityClass']);
    expect(docs.filter((d) => !clusterScoped.has(d.kind) && d.metadata.namespace !== 'production')).toEqual([]);
    // AND each document starts at a '---' separator line of its own (kubectl apply -f - reads it)
    expect(io.out().split('\n---\n')).toHaveLength(docs.length);
    // AND nothing was written: no dist/, no folder named "-"
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'platform.yaml']);
  });

  it.each([
    [[], 'the source has 2 (production, staging). Add --env NAME'],
    [['-e', 'production', '-e', 'staging'], 'got --env production, --env staging. Give one --env'],
  ])('with %j instead of one --env: exit 2, nothing written', async (envs, message) => {
    const dir = project();
    const io = captureIo(dir);
    expect(await synth(['-f', 'platform.yaml', ...envs, '--out', '-'], io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'platform.yaml']);
  });
});

describe('berth synth --out to a target berth must not write', () => {
  it.each([
    ['an existing file', 'README.md', 'README.md exists and is not a folder; choose another --out'],
    ['a folder under an existing file', 'README.md/dist', 'README.md exists and is not a folder; choose another --out'],
    ['a path under /proc', '/proc/berth-x', 'cannot create the output folder /proc/berth-x'],
    ['a link to a folder', 'linked', 'linked is a symbolic link'],
    ['a link to a file', 'readme-link', 'readme-link is a symbolic link'],
  ])('%s (%s): exit 2 at once with a clear message, nothing changed', async (_what, out, message) => {
    // GIVEN a project with a README, a link to a folder elsewhere and a link to the README
    const dir = project();
    const elsewhere = tempDir('berth-elsewhere-');
    symlinkSync(elsewhere, join(dir, 'linked'));
    symlinkSync(join(dir, 'README.md'), join(dir, 'readme-link'));
    mkdirSync(join(dir, 'keep'));
    const before = readdirSync(dir).sort();
    const io = captureIo(dir);
    // WHEN synth writes to the target
    const started = Date.now();
    const code = await synth(['-f', 'platform.yaml', '--out', out], io);
    // THEN exit 2 within 2 s, naming the target and what to do; nothing appeared or changed
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(io.err()).toContain(message);
    expect(io.err()).not.toMatch(/EEXIST|ENOTDIR|\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('my readme\n');
  });
});
