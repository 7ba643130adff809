import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPlatform } from '../../src/render/render.js';
import { SPARE_FOLDER } from '../../src/render/spare.js';
import { writeRendering } from '../../src/render/write.js';
import { platform, service, snapshotDir, tempDir } from '../helpers.js';

/** A file per service (layout: per-service), so a test sees one service's file come, go, change or stay. */
const perService = { production: { namespace: 'production', layout: 'per-service' as const } };
const rendering = (...names: string[]) =>
  renderPlatform(
    platform(
      names.map((name) => service({ name, host: `${name}.example.com` })),
      perService,
    ),
  );

describe('writeRendering', () => {
  test("writes dist/<env>/ with a marker listing berth's files", () => {
    const out = join(tempDir(), 'dist');
    writeRendering(out, rendering('api'));
    expect(readFileSync(join(out, 'production', '.berth-files'), 'utf8')).toContain('app-api.yaml');
    expect(existsSync(join(out, 'production', 'app-api.yaml'))).toBe(true);
  });

  test('files of a removed service disappear; a hand-written file in the folder survives', () => {
    // GIVEN a rendering of two services and a hand-written file next to it
    const out = tempDir();
    writeRendering(out, rendering('api', 'web'));
    writeFileSync(join(out, 'production', 'README.txt'), 'mine');
    // WHEN web is removed and berth writes again
    writeRendering(out, rendering('api'));
    // THEN app-web.yaml is gone and README.txt is untouched
    expect(existsSync(join(out, 'production', 'app-web.yaml'))).toBe(false);
    expect(readFileSync(join(out, 'production', 'README.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'production', '.berth-files'), 'utf8')).not.toContain('README.txt');
  });

  test("switching to layout: per-service (and back) replaces berth's files only; a hand-written file survives", () => {
    // GIVEN a rendering in the default layout (single-file) and a hand-written file next to it
    const out = tempDir();
    const services = [service(), service({ name: 'web', host: 'web.example.com' })];
    writeRendering(out, renderPlatform(platform(services)));
    writeFileSync(join(out, 'production', 'README.txt'), 'mine');
    const listed = () => readdirSync(join(out, 'production')).sort();
    expect(listed()).toEqual(['.berth-files', 'README.txt', 'kustomization.yaml', 'resources.yaml', 'routes.md']);
    // WHEN the environment switches to layout: per-service
    writeRendering(out, renderPlatform(platform(services, perService)));
    // THEN the folder holds a file per service (listed in the kustomization) and no resources.yaml
    expect(listed()).toContain('app-web.yaml');
    expect(listed()).not.toContain('resources.yaml');
    expect(readFileSync(join(out, 'production', 'kustomization.yaml'), 'utf8')).toContain('  - app-web.yaml\n');
    // AND switching back restores resources.yaml (listed in the kustomization) and removes the per-service files
    writeRendering(out, renderPlatform(platform(services)));
    expect(listed()).toEqual(['.berth-files', 'README.txt', 'kustomization.yaml', 'resources.yaml', 'routes.md']);
    expect(readFileSync(join(out, 'production', 'kustomization.yaml'), 'utf8')).toContain('  - resources.yaml\n');
    expect(readFileSync(join(out, 'production', 'README.txt'), 'utf8')).toBe('mine');
  });

  test('refuses to replace a folder berth did not write, and changes nothing', () => {
    const out = tempDir();
    mkdirSync(join(out, 'production'));
    writeFileSync(join(out, 'production', 'precious.yaml'), 'kind: Precious');
    const before = snapshotDir(out);
    expect(() => writeRendering(out, rendering('api'))).toThrow(/was not written by berth.*refusing to replace it/);
    expect(snapshotDir(out)).toEqual(before);
  });

  test('with prune, the folder of an environment no longer declared is removed; foreign folders stay', () => {
    const out = tempDir();
    writeRendering(out, renderPlatform(platform([service()], { production: {}, staging: { services: { api: { host: 'api.staging.example.com' } } } })));
    mkdirSync(join(out, 'other'));
    writeFileSync(join(out, 'other', 'x.yaml'), 'x');
    writeRendering(out, renderPlatform(platform([service()], { production: {} })), { prune: true });
    expect(existsSync(join(out, 'staging'))).toBe(false);
    expect(existsSync(join(out, 'other', 'x.yaml'))).toBe(true);
  });

  test('unchanged files are carried over as hard links, changed ones written anew', () => {
    // GIVEN a rendering of two services
    const out = tempDir();
    writeRendering(out, rendering('api', 'web'));
    const before = (f: string) => statSync(join(out, 'production', f)).ino;
    const [api, web] = [before('app-api.yaml'), before('app-web.yaml')];
    // WHEN it is written again with web changed
    const changed = renderPlatform(
      platform([service({ name: 'api', host: 'api.example.com' }), service({ name: 'web', host: 'web.example.com', replicas: 3 })], perService),
    );
    writeRendering(out, changed);
    // THEN api's file is the same inode, web's is new and holds the new content
    expect(before('app-api.yaml')).toBe(api);
    expect(before('app-web.yaml')).not.toBe(web);
    expect(readFileSync(join(out, 'production', 'app-web.yaml'), 'utf8')).toContain('replicas: 3');
  });

  test('leaves no temporary folders behind', () => {
    const out = tempDir();
    writeRendering(out, rendering('api'));
    writeRendering(out, rendering('api', 'web'));
    expect(Object.keys(snapshotDir(out)).filter((p) => p.includes('berth-new') || p.includes('berth-old'))).toEqual([]);
  });

  test('a synth killed between its two renames is recovered by the next run: folder back, user file kept, scratch removed', () => {
    // GIVEN a rendering with a user's file, then the state a crash mid-swap leaves: <env> renamed away, a partial new folder
    const out = tempDir();
    writeRendering(out, rendering('api'));
    writeFileSync(join(out, 'production', 'mine.txt'), 'keep me');
    const dead = 2 ** 30; // no such process
    renameSync(join(out, 'production'), join(out, `.production.berth-old-${dead}-1`));
    mkdirSync(join(out, `.production.berth-new-${dead}-1`));
    writeFileSync(join(out, `.production.berth-new-${dead}-1`, 'app-api.yaml'), 'partial');
    // WHEN synth runs again
    writeRendering(out, rendering('api', 'web'));
    // THEN the environment folder is complete, the user's file is there, and no scratch folder is left
    expect(readFileSync(join(out, 'production', 'mine.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(join(out, 'production', 'app-web.yaml'))).toBe(true);
    expect(readdirSync(out).filter((n) => n.startsWith('.') && n !== SPARE_FOLDER)).toEqual([]);
  });

  test('scratch folders of a synth that is still running are left alone', () => {
    const out = tempDir();
    writeRendering(out, rendering('api'));
    const running = join(out, `.production.berth-new-${process.ppid}-1`);
    mkdirSync(running);
    writeRendering(out, rendering('api'));
    expect(existsSync(running)).toBe(true);
  });
  test("a re-synth where every file changed swaps in new files, keeps the user's file and folder, and leaves nothing temporary", () => {
    // GIVEN a rendering, a hand-written file and folder next to it
    const out = tempDir();
    writeRendering(out, rendering('api', 'web'));
    writeFileSync(join(out, 'production', 'NOTES.md'), 'mine');
    mkdirSync(join(out, 'production', 'overlays'));
    writeFileSync(join(out, 'production', 'overlays', 'patch.yaml'), 'kind: x\n');
    // WHEN every service's image changes and berth writes again
    const changed = renderPlatform(
      platform(
        ['api', 'web'].map((name) => service({ name, host: `${name}.example.com`, image: `registry.example.com/${name}:9.9.9` })),
        perService,
      ),
    );
    writeRendering(out, changed);
    // THEN every file holds the new rendering, the user's entries are there, and no scratch file or folder is left
    for (const f of changed[0].files) expect(readFileSync(join(out, 'production', f.path), 'utf8')).toBe(f.content);
    expect(readFileSync(join(out, 'production', 'NOTES.md'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'production', 'overlays', 'patch.yaml'), 'utf8')).toBe('kind: x\n');
    expect(Object.keys(snapshotDir(out)).filter((p) => /berth-(new|old|tmp)/.test(p))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual([SPARE_FOLDER, 'production']);
  });
});
