/** `berth init` (src/cli/commands/init.ts): the starter declaration a user's repository begins with. */
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '../../src/cli/commands/init.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import { GITIGNORE_BLOCK, SCHEMA_COMMENT } from '../../src/init/starter.js';
import { captureIo, tempDir } from '../helpers.js';

const FLAGS = [
  '--name',
  'shop',
  '--image',
  'registry.example.com/shop:1.2.3',
  '--host',
  'shop.example.com',
  '--environments',
  'production, staging',
  '--port',
  '9000',
];

function emptyRepo(): string {
  return tempDir('berth-init-');
}

describe('berth init', () => {
  it('writes a valid platform.yaml from the flags, with the schema line first, and .gitignore additions', async () => {
    // GIVEN an empty repository
    const dir = emptyRepo();
    const io = captureIo(dir);
    // WHEN init runs with every flag
    const code = await init(FLAGS, io);
    // THEN it exits 0 and says what it wrote
    expect(code).toBe(0);
    expect(io.out()).toBe('wrote platform.yaml and .gitignore additions\nnext: npx berth validate && npx berth synth\n');
    // AND platform.yaml starts with the editor schema line and declares what was asked, valid as written
    const text = readFileSync(join(dir, 'platform.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(SCHEMA_COMMENT);
    const platform = loadPlatformFile(join(dir, 'platform.yaml'));
    expect(Object.keys(platform.environments)).toEqual(['production', 'staging']);
    expect(platform.services).toEqual([
      expect.objectContaining({ name: 'shop', image: 'registry.example.com/shop:1.2.3', port: 9000, host: 'shop.example.com' }),
    ]);
    expect(platform.environments.staging?.services?.shop).toMatchObject({ host: 'staging.shop.example.com', replicas: 1 });
    // AND .gitignore holds berth's scratch patterns
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(GITIGNORE_BLOCK);
  });

  it('without flags writes the default starter (one service "web", environment production)', async () => {
    const dir = emptyRepo();
    expect(await init([], captureIo(dir))).toBe(0);
    const platform = loadPlatformFile(join(dir, 'platform.yaml'));
    expect(Object.keys(platform.environments)).toEqual(['production']);
    expect(platform.services.map((s) => s.name)).toEqual(['web']);
  });

  it('adds to an existing .gitignore once, keeping its lines', async () => {
    // GIVEN a repository with its own .gitignore
    const dir = emptyRepo();
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n*.log');
    // WHEN init runs twice (the second time into another file)
    expect(await init([], captureIo(dir))).toBe(0);
    const io = captureIo(dir);
    expect(await init(['--file', 'berth.yaml'], io)).toBe(0);
    // THEN the user's lines come first, berth's block appears once, and the second run says it only wrote the file
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(`node_modules/\n*.log\n\n${GITIGNORE_BLOCK}`);
    expect(io.out()).toMatch(/^wrote berth\.yaml\n/);
    expect(existsSync(join(dir, 'berth.yaml'))).toBe(true);
  });

  it('--file in a folder that does not exist: exit 2 naming the folder and the fix, nothing written', async () => {
    // GIVEN an empty repository
    const dir = emptyRepo();
    const io = captureIo(dir);
    // WHEN init is asked to write conf/berth.yaml
    const code = await init([...FLAGS, '--file', 'conf/berth.yaml'], io);
    // THEN exit 2 with the folder and mkdir in the message (no raw ENOENT), and nothing was written
    expect(code).toBe(2);
    expect(io.err()).toContain('the folder conf does not exist; create it first (mkdir -p conf)');
    expect(io.err()).not.toContain('ENOENT');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to overwrite an existing declaration: exit 2, file unchanged, nothing else written', async () => {
    // GIVEN a repository that already has platform.yaml
    const dir = emptyRepo();
    writeFileSync(join(dir, 'platform.yaml'), 'mine\n');
    const io = captureIo(dir);
    // WHEN init runs
    const code = await init(FLAGS, io);
    // THEN exit 2 naming the file and the way out; the file and the folder are as they were
    expect(code).toBe(2);
    expect(io.err()).toContain('platform.yaml already exists; berth init never overwrites a declaration');
    expect(io.err()).toContain('--file another.yaml');
    expect(readFileSync(join(dir, 'platform.yaml'), 'utf8')).toBe('mine\n');
    expect(readdirSync(dir)).toEqual(['platform.yaml']);
  });

  it('never writes through a symbolic link named platform.yaml', async () => {
    // GIVEN platform.yaml is a link to a file elsewhere
    const dir = emptyRepo();
    const elsewhere = join(emptyRepo(), 'target.yaml');
    symlinkSync(elsewhere, join(dir, 'platform.yaml'));
    const io = captureIo(dir);
    // WHEN init runs THEN exit 2 and the link's target was not created
    expect(await init([], io)).toBe(2);
    expect(io.err()).toMatch(/symbolic link/);
    expect(existsSync(elsewhere)).toBe(false);
  });

  it.each([
    [['--port', 'eighty'], '--port eighty: must be a whole number'],
    [['--image', 'registry.example.com/shop:latest'], 'latest'],
    [['--name', 'Shop_1'], 'Shop_1'],
    [['--environmnets', 'prod'], 'Did you mean --environments?'],
  ])('bad flags %j: exit 2, a clear message, nothing written', async (args, message) => {
    // GIVEN an empty repository WHEN init gets a bad flag
    const dir = emptyRepo();
    const io = captureIo(dir);
    // THEN exit 2 with the message, and neither platform.yaml nor .gitignore exists
    expect(await init(args, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });
});
