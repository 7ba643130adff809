/** synth never writes, deletes or copies through a symbolic link (a real dist/ on disk, real links). */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synth } from '../../src/cli/commands/synth.js';
import { renderPlatform } from '../../src/render/render.js';
import { createFileNoFollow } from '../../src/render/no-follow.js';
import { OutputError, writeRendering } from '../../src/render/write.js';
import { captureIo } from '../gitops/cli-io.js';
import { platform, service, tempDir } from '../helpers.js';

const rendering = (...envs: string[]) =>
  renderPlatform(
    platform(
      [service({ name: 'api', host: 'api.example.com' })],
      Object.fromEntries(envs.map((e) => [e, { services: { api: { host: `api.${e}.example.com` } } }])),
    ),
  );

/** A folder outside the output holding a file that must survive every attack. */
function victim(): { dir: string; file: string } {
  const dir = tempDir('berth-victim-');
  writeFileSync(join(dir, 'id_rsa'), 'PRIVATE KEY\n');
  return { dir, file: join(dir, 'id_rsa') };
}

function refusal(run: () => void): OutputError {
  try {
    run();
  } catch (error) {
    if (error instanceof OutputError) return error;
    throw error;
  }
  throw new Error('expected synth to refuse');
}

describe('synth never follows a link out of its output', () => {
  test('a .berth-files entry under a linked folder is refused; the file behind the link survives prune', () => {
    // GIVEN dist/staging written by berth, then a link "cache" to another folder and "cache/id_rsa" listed as berth's
    const out = join(tempDir(), 'dist');
    writeRendering(out, rendering('production', 'staging'));
    const target = victim();
    symlinkSync(target.dir, join(out, 'staging', 'cache'));
    writeFileSync(join(out, 'staging', 'notes.txt'), 'mine\n');
    writeFileSync(join(out, 'staging', '.berth-files'), readFileSync(join(out, 'staging', '.berth-files'), 'utf8') + 'cache/id_rsa\n');
    // WHEN staging is no longer declared and synth prunes
    const error = refusal(() => writeRendering(out, rendering('production'), { prune: true }));
    // THEN it names the link, and the file behind it is still there
    expect(error.message).toContain(join(out, 'staging', 'cache'));
    expect(error.message).toContain('symbolic link');
    expect(readFileSync(target.file, 'utf8')).toBe('PRIVATE KEY\n');
  });

  test('an owned file replaced by a link is an error, and the linked file is not overwritten', () => {
    // GIVEN dist/production/resources.yaml replaced by a link to a file elsewhere
    const out = tempDir();
    writeRendering(out, rendering('production'));
    const target = victim();
    const owned = join(out, 'production', 'resources.yaml');
    rmSync(owned);
    symlinkSync(target.file, owned);
    // WHEN synth writes again  THEN it refuses naming the file, and the victim is unchanged
    const error = refusal(() => writeRendering(out, rendering('production')));
    expect(error.message).toContain(owned);
    expect(readFileSync(target.file, 'utf8')).toBe('PRIVATE KEY\n');
    expect(lstatSync(owned).isSymbolicLink()).toBe(true);
  });

  test("a user's folder link inside dist/<env> is carried over as a link, never deep-copied", () => {
    // GIVEN a link to a large folder and a link loop, both the user's own entries
    const out = tempDir();
    writeRendering(out, rendering('production'));
    const target = victim();
    symlinkSync(target.dir, join(out, 'production', 'docs'));
    symlinkSync('loop', join(out, 'production', 'loop'));
    // WHEN synth runs twice
    writeRendering(out, rendering('production'));
    writeRendering(out, rendering('production'));
    // THEN both are still links with the same targets, and the linked folder was not touched
    expect(readlinkSync(join(out, 'production', 'docs'))).toBe(target.dir);
    expect(readlinkSync(join(out, 'production', 'loop'))).toBe('loop');
    expect(readFileSync(target.file, 'utf8')).toBe('PRIVATE KEY\n');
  });

  test('an environment folder that is a link is refused', () => {
    const out = tempDir();
    const target = victim();
    symlinkSync(target.dir, join(out, 'production'));
    const error = refusal(() => writeRendering(out, rendering('production')));
    expect(error.message).toContain(`${join(out, 'production')} is a symbolic link`);
    expect(readdirSync(target.dir)).toEqual(['id_rsa']);
  });

  test('.berth-files entries outside the folder ("..", absolute) are errors naming the entry', () => {
    const out = tempDir();
    writeRendering(out, rendering('production'));
    writeFileSync(join(out, 'production', '.berth-files'), 'app-api.yaml\n../../etc/passwd\n/etc/hosts\n');
    const error = refusal(() => writeRendering(out, rendering('production')));
    expect(error.message).toContain('"../../etc/passwd"');
    expect(error.message).toContain('"/etc/hosts"');
    expect(error.message).toContain('Remove those lines');
  });

  test('`berth synth --out` through a linked folder inside the working directory exits 2 and writes nothing', async () => {
    // GIVEN a project folder whose "build" is a link to a folder elsewhere
    const project = tempDir();
    const target = victim();
    symlinkSync(target.dir, join(project, 'build'));
    writeFileSync(
      join(project, 'platform.yaml'),
      'environments: { production: {} }\nservices:\n  - { name: api, image: "r.example.com/api:1", port: 8000, health: /healthz, memory: 128Mi, cpu: 100m }\n',
    );
    const io = captureIo(project, {});
    // WHEN synth writes to build/dist and to the link itself
    const nested = await synth(['--file', 'platform.yaml', '--out', 'build/dist'], io);
    const direct = await synth(['--file', 'platform.yaml', '--out', 'build'], io);
    // THEN both exit 2 naming the link, and nothing appeared behind it
    expect([nested, direct]).toEqual([2, 2]);
    expect(io.err()).toContain(`${join(project, 'build')} is a symbolic link`);
    expect(existsSync(join(target.dir, 'dist'))).toBe(false);
    expect(existsSync(join(target.dir, 'production'))).toBe(false);
  });
  test('createFileNoFollow never writes through a link at the path, and creates a new file otherwise', () => {
    // GIVEN a link to a victim's file where berth would create one
    const { file } = victim();
    const dir = tempDir();
    symlinkSync(file, join(dir, 'app-api.yaml'));
    // WHEN berth creates its file there  THEN it fails, and the victim's file is untouched
    expect(() => createFileNoFollow(join(dir, 'app-api.yaml'), 'kind: Deployment\n')).toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('PRIVATE KEY\n');
    // AND at a free path the file is created with the content
    createFileNoFollow(join(dir, 'app-web.yaml'), 'kind: Service\n');
    expect(readFileSync(join(dir, 'app-web.yaml'), 'utf8')).toBe('kind: Service\n');
  });
});
