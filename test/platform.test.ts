import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synth } from '../src/cli/commands/synth.js';
import { validate } from '../src/cli/commands/validate.js';
import { examplePlatformFile, packageRoot } from '../src/cli/platform-file.js';
import { runCli } from '../src/cli/run.js';
import { loadPlatformFile } from '../src/declaration/load.js';
import { renderPlatform } from '../src/render/render.js';
import { SPARE_FOLDER } from '../src/render/spare.js';
import { captureIo, env, find, kinds, snapshotDir, tempDir } from './helpers.js';

describe('the example platform', () => {
  const rendered = renderPlatform(loadPlatformFile(examplePlatformFile()));

  test('whole-platform snapshot', () => {
    expect(Object.fromEntries(rendered.map((e) => [e.name, Object.fromEntries(e.files.map((f) => [f.path, f.content]))]))).toMatchSnapshot();
  });

  test('dist/ is exactly a fresh synth of charts/platform.yaml (run `npm run synth` after changing it)', () => {
    const fresh = tempDir();
    return synth(['--file', examplePlatformFile(), '--out', fresh, '--quiet'], captureIo(fresh)).then((code) => {
      expect(code).toBe(0);
      // what git sees: .berth-spare/ (the previous rendering, kept for the next synth) ignores itself
      const committed = Object.entries(snapshotDir(join(packageRoot(), 'dist'))).filter(([path]) => !path.startsWith(`${SPARE_FOLDER}/`));
      expect(Object.fromEntries(committed)).toEqual(snapshotDir(fresh));
    });
  });

  test('synth twice is byte-identical', async () => {
    const [a, b] = [tempDir(), tempDir()];
    expect(await synth(['--file', examplePlatformFile(), '--out', a, '--quiet'], captureIo(a))).toBe(0);
    expect(await synth(['--file', examplePlatformFile(), '--out', b, '--quiet'], captureIo(b))).toBe(0);
    expect(snapshotDir(a)).toEqual(snapshotDir(b));
  });

  test('models the company: a main web product, an API, auth, billing, an internal service and a worker across three environments', () => {
    expect(rendered.map((e) => e.name)).toEqual(['dev', 'production', 'staging']);
    const production = env(rendered, 'production').objects;
    expect(
      kinds(production, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['api', 'auth', 'billing', 'mailer', 'pricing', 'web']);
    expect(find(production, 'Service', 'pricing').metadata.annotations).toBeUndefined();
    expect(kinds(production, 'Service').some((s) => s.metadata.name === 'mailer')).toBe(false);
    expect(kinds(production, 'ManagedCertificate').map((c) => c.spec.domains)).toEqual([
      ['acme.example.com'],
      ['api.acme.example.com'],
      ['auth.acme.example.com'],
      ['www.acme.example.com'],
    ]);
    for (const e of rendered) expect(kinds(e.objects, 'Ingress')).toHaveLength(1);
  });

  test('YAML output keeps strings that look like numbers quoted', () => {
    const api = env(rendered, 'production').files.find((f) => f.path === 'resources.yaml')!.content;
    expect(api).toContain('value: "3"');
    expect(api).toContain('app.kubernetes.io/version: "1.4.2"');
  });
});

describe('CLI', () => {
  test('validate reports success and writes nothing', async () => {
    // GIVEN a folder whose ./platform.yaml is the example
    const dir = tempDir();
    writeFileSync(join(dir, 'platform.yaml'), readFileSync(examplePlatformFile(), 'utf8'));
    const before = snapshotDir(dir);
    // WHEN validate runs there without --file
    const io = captureIo(dir);
    expect(await validate([], io)).toBe(0);
    // THEN it read ./platform.yaml, said so on stderr, and wrote nothing
    expect(io.err()).toBe('berth: using ./platform.yaml\n');
    expect(io.out()).toMatch(/platform\.yaml: valid \(3 environments/);
    expect(snapshotDir(dir)).toEqual(before);
  });

  test('validate fails with the same errors as synth', async () => {
    const dir = tempDir();
    const file = join(dir, 'p.yaml');
    writeFileSync(file, readFileSync(examplePlatformFile(), 'utf8').replace('memory: 512Mi\n    cpu: 250m', 'memory: 512MB\n    cpu: 250m'));
    const io = captureIo(dir);
    expect(await validate(['--file', 'p.yaml'], io)).toBe(2);
    expect(io.err()).toMatch(/p\.yaml:\d+: services\[1\]\.memory \(service "api"\): "512MB": is not a Kubernetes quantity/);
  });

  test('unknown commands and flags exit 2 with usage', async () => {
    const io = captureIo(tempDir());
    expect(await runCli(['synthesize'], io)).toBe(2);
    expect(io.err()).toMatch(/unknown command "synthesize"/);
    const io2 = captureIo(tempDir());
    expect(await runCli(['synth', '--outt', 'x'], io2)).toBe(2);
    expect(io2.err()).toMatch(/--outt/);
  });
});
