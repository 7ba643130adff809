import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPlatform } from '../../src/render/render.js';
import { SPARE_FOLDER, SPARE_SUFFIX } from '../../src/render/spare.js';
import { OutputError, writeRendering } from '../../src/render/write.js';
import { platform, service, snapshotDir, tempDir } from '../helpers.js';

/** The platform with each service's image at `tag`, a file per service (layout: per-service): every file but the namespace's changes with the tag. */
const tagged = (tag: string, ...names: string[]) =>
  renderPlatform(
    platform(
      names.map((name) => service({ name, host: `${name}.example.com`, image: `registry.example.com/${name}:${tag}` })),
      { production: { namespace: 'production', layout: 'per-service' } },
    ),
  );

/** A file of the spare rendering (held under its name plus the suffix), or the spare folder itself. */
const spare = (out: string, file = '') => join(out, SPARE_FOLDER, 'production', file && `${file}${SPARE_SUFFIX}`);
const live = (out: string, file = '') => join(out, 'production', file);

describe('the spare rendering (the previous folder, reused by the next write)', () => {
  test('the folder swapped out is kept as the spare, with a .gitignore that makes git ignore it', () => {
    // GIVEN a git repository with a rendering committed in dist/
    const repo = tempDir();
    execFileSync('git', ['init', '-q', repo]);
    const out = join(repo, 'dist');
    writeRendering(out, tagged('1.0.0', 'api'));
    // WHEN it is rendered again with a new tag
    writeRendering(out, tagged('1.0.1', 'api'));
    // THEN the previous rendering is the spare and git sees only dist/production
    expect(readFileSync(spare(out, 'app-api.yaml'), 'utf8')).toContain('api:1.0.0');
    expect(readFileSync(live(out, 'app-api.yaml'), 'utf8')).toContain('api:1.0.1');
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo, encoding: 'utf8' });
    expect(status).toContain('dist/production/app-api.yaml');
    expect(status).not.toContain(SPARE_FOLDER);
  });

  test('the spare holds only suffixed files, so a tool applying every manifest under the output folder never sees it', () => {
    // GIVEN a rendering with a user's file and folder next to it, rendered again
    const out = tempDir();
    writeRendering(out, tagged('1.0.0', 'api'));
    writeFileSync(live(out, 'extra.yaml'), 'kind: ConfigMap\n');
    mkdirSync(live(out, 'overlays'));
    writeFileSync(live(out, 'overlays/patch.yaml'), 'kind: x\n');
    writeRendering(out, tagged('1.0.1', 'api'));
    // THEN every entry of the spare is a file named <name>.berth-spare (no .yaml, .yml or .json that kubectl -R would read)
    const held = Object.keys(snapshotDir(join(out, SPARE_FOLDER)));
    expect(held).toContain(`production/app-api.yaml${SPARE_SUFFIX}`);
    expect(held.filter((p) => p !== '.gitignore' && !/^production\/[^/]+\.berth-spare$/.test(p))).toEqual([]);
    // AND the user's entries are in the live folder
    expect(readFileSync(live(out, 'overlays/patch.yaml'), 'utf8')).toBe('kind: x\n');
  });

  test("the next write rewrites the spare's files in place and swaps them in: no new inode for a changed file", () => {
    // GIVEN two writes, so a spare exists
    const out = tempDir();
    writeRendering(out, tagged('1.0.0', 'api', 'web'));
    writeRendering(out, tagged('1.0.1', 'api', 'web'));
    const spareInode = statSync(spare(out, 'app-web.yaml')).ino;
    // WHEN every service changes again
    const third = tagged('1.0.2', 'api', 'web');
    writeRendering(out, third);
    // THEN the live file is the spare's former inode holding the new content, and the folder holds exactly the rendering
    expect(statSync(live(out, 'app-web.yaml')).ino).toBe(spareInode);
    for (const f of third[0].files) expect(readFileSync(live(out, f.path), 'utf8')).toBe(f.content);
    expect(readFileSync(spare(out, 'app-web.yaml'), 'utf8')).toContain('web:1.0.1');
  });

  test('a spare file shared with the live rendering (a hard link) is replaced, never written through', () => {
    // GIVEN a second write (a service added) that hard-linked the unchanged api file: the spare and the live folder share it
    const out = tempDir();
    writeRendering(out, tagged('1.0.0', 'api'));
    writeRendering(out, tagged('1.0.0', 'api', 'web'));
    expect(statSync(spare(out, 'app-api.yaml')).ino).toBe(statSync(live(out, 'app-api.yaml')).ino);
    const shared = readFileSync(live(out, 'app-api.yaml'), 'utf8');
    // WHEN the next write changes that file
    writeRendering(out, tagged('2.0.0', 'api', 'web'));
    // THEN the rendering swapped out (now the spare) still holds what it held
    expect(readFileSync(spare(out, 'app-api.yaml'), 'utf8')).toBe(shared);
    expect(readFileSync(live(out, 'app-api.yaml'), 'utf8')).toContain('api:2.0.0');
  });

  test('a link placed inside the spare is removed, not followed', () => {
    // GIVEN a spare whose app-api.yaml was replaced by a link to a file outside
    const out = tempDir();
    const outside = join(tempDir(), 'precious.txt');
    writeFileSync(outside, 'precious');
    writeRendering(out, tagged('1.0.0', 'api'));
    writeRendering(out, tagged('1.0.1', 'api'));
    unlinkSync(spare(out, 'app-api.yaml'));
    symlinkSync(outside, spare(out, 'app-api.yaml'));
    // WHEN berth writes again
    writeRendering(out, tagged('1.0.2', 'api'));
    // THEN the file outside is untouched and the live file is a regular file with the new content
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(statSync(live(out, 'app-api.yaml')).isFile()).toBe(true);
    expect(readFileSync(live(out, 'app-api.yaml'), 'utf8')).toContain('api:1.0.2');
  });

  test.each([
    ['the spare root', (out: string) => join(out, SPARE_FOLDER)],
    ["an environment's spare", (out: string) => spare(out)],
  ])('a link at %s is refused before anything is written', (_, at) => {
    // GIVEN a rendering whose spare folder was replaced by a link to a folder outside
    const out = tempDir();
    const elsewhere = tempDir();
    writeRendering(out, tagged('1.0.0', 'api'));
    writeRendering(out, tagged('1.0.1', 'api'));
    rmSync(at(out), { recursive: true });
    symlinkSync(elsewhere, at(out));
    const before = snapshotDir(out);
    // WHEN berth writes again THEN it refuses, naming the link, and nothing changed on either side
    expect(() => writeRendering(out, tagged('1.0.2', 'api'))).toThrow(OutputError);
    expect(() => writeRendering(out, tagged('1.0.2', 'api'))).toThrow(/is a symbolic link; berth never writes/);
    expect(snapshotDir(out)).toEqual(before);
    expect(snapshotDir(elsewhere)).toEqual({});
  });

  test('a file where the spare folder belongs is refused with the fix', () => {
    const out = tempDir();
    writeRendering(out, tagged('1.0.0', 'api'));
    writeFileSync(join(out, SPARE_FOLDER), 'not a folder');
    expect(() => writeRendering(out, tagged('1.0.1', 'api'))).toThrow(/\.berth-spare is not a folder; .*Remove it and synthesize again/);
    expect(readFileSync(live(out, 'app-api.yaml'), 'utf8')).toContain('api:1.0.0');
  });

  test("a user's file deleted from the live folder does not come back from the spare", () => {
    // GIVEN a user's file carried over into the second rendering, so the spare holds it too
    const out = tempDir();
    writeRendering(out, tagged('1.0.0', 'api'));
    writeFileSync(live(out, 'NOTES.md'), 'mine');
    mkdirSync(live(out, 'overlays'));
    writeRendering(out, tagged('1.0.1', 'api'));
    // WHEN the user deletes them and berth writes again
    unlinkSync(live(out, 'NOTES.md'));
    rmSync(live(out, 'overlays'), { recursive: true });
    writeRendering(out, tagged('1.0.2', 'api'));
    // THEN they stay deleted
    expect(existsSync(live(out, 'NOTES.md'))).toBe(false);
    expect(existsSync(live(out, 'overlays'))).toBe(false);
  });

  test('with prune, the spare of an environment no longer declared is removed', () => {
    const out = tempDir();
    const both = { production: {}, staging: { services: { api: { host: 'api.staging.example.com' } } } };
    writeRendering(out, renderPlatform(platform([service()], both)));
    writeRendering(out, renderPlatform(platform([service({ replicas: 4 })], both)));
    expect(existsSync(join(out, SPARE_FOLDER, 'staging'))).toBe(true);
    writeRendering(out, renderPlatform(platform([service()], { production: {} })), { prune: true });
    expect(existsSync(join(out, SPARE_FOLDER, 'staging'))).toBe(false);
    expect(existsSync(join(out, SPARE_FOLDER, 'production'))).toBe(true);
  });
});
