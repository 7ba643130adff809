/**
 * The product as a user gets it: `npm pack` of this repository, installed into an empty folder (no clone of
 * berth), then `npx berth init` → `validate` → `synth`, and a cdk8s app of the user's own typed against and
 * running on the package's TypeScript API (`import { EnvironmentChart } from 'berth'`).
 * The repository's own lib/ is never touched: the package is packed from a copy of what it is built from.
 * Needs the npm registry (or npm's cache) for berth's dependencies.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve('.');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || k.startsWith('npm_config_')));
// A stalled registry download is retried after 60 s instead of npm's default 5 minutes.
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--fetch-timeout=60000', '--fetch-retries=2'];

interface Run {
  status: number | null;
  out: string;
  err: string;
  seconds: number;
}

function run(cwd: string, command: string, args: readonly string[], timeoutSeconds: number): Run {
  const started = Date.now();
  const r = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: timeoutSeconds * 1000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: r.stdout, err: `${r.stderr}${r.error ? String(r.error) : ''}`, seconds: (Date.now() - started) / 1000 };
}

/** A status with its output, so a failure shows what the command printed. */
function ok(r: Run): { status: number | null; err: string } {
  return { status: r.status, err: r.status === 0 ? '' : `${r.out}\n${r.err}` };
}

/** What `npm pack` builds the package from (package.json `files` + prepack's inputs), with the repo's node_modules. */
function stage(root: string): string {
  const dir = join(root, 'stage');
  mkdirSync(dir);
  for (const entry of ['package.json', 'README.md', 'schema', 'src', 'scripts', 'tsconfig.json', 'tsconfig.package.json']) {
    cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const APP = `import { App } from 'cdk8s';
import { EnvironmentChart, effectiveServices, validatePlatform, type PlatformDeclaration } from 'berth';

const platform: PlatformDeclaration = validatePlatform({
  environments: { production: { namespace: 'shop' } },
  services: [{ name: 'web', image: 'registry.example.com/web:1.0.0', port: 8080, host: 'shop.example.com', health: '/healthz', memory: '128Mi', cpu: '50m' }],
});
const app = new App();
for (const [name, declaration] of Object.entries(platform.environments)) {
  new EnvironmentChart(app, name, { environment: name, declaration, services: effectiveServices(platform, name).map((e) => e.service) });
}
app.synth();
`;

describe('the packed package, installed into an empty folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-packed-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('packs only what runs, installs with no install script of its own, and runs init → validate → synth and a TypeScript app', () => {
    // GIVEN the package packed as `npm publish` would (prepack builds lib/src with .d.ts files)
    const out = join(root, 'tarball');
    mkdirSync(out);
    const pack = run(stage(root), 'npm', ['pack', '--json', '--pack-destination', out], 240);
    expect(ok(pack)).toEqual({ status: 0, err: '' });
    const [packed] = JSON.parse(pack.out.slice(pack.out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);

    // THEN it holds the CLI (bundled, lib/bin), the TypeScript API with its types, the schema and the README, and nothing dev-only
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'schema/platform.schema.json',
        'lib/bin/berth.js',
        'lib/src/cli/main.js',
        'lib/src/index.js',
        'lib/src/index.d.ts',
        'lib/src/constructs/k8s-types.d.ts',
      ]),
    );
    expect(files.filter((f) => !/^(package\.json|README\.md|schema\/[^/]+\.json|lib\/src\/.+\.(js|d\.ts)|lib\/bin\/.+\.js)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^(test|src|charts|scripts|lib\/test|lib\/charts)\//.test(f))).toEqual([]);

    // WHEN it is installed into a new repository (a package.json of its own: without one, npm installs into the nearest
    // folder above that has a package.json or a node_modules, e.g. a stray /tmp/node_modules)
    const user = join(root, 'user-repo');
    mkdirSync(user);
    writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'user-repo', private: true }, null, 2) + '\n');
    const install = run(user, 'npm', ['install', join(out, packed.filename), ...NPM_QUIET], 420);
    expect(ok(install)).toEqual({ status: 0, err: '' });
    // THEN no package of the production tree has an install script but protobufjs 7's (via @google-cloud/container:
    // npm applies berth's `overrides` pin of protobufjs 8 only in berth's own install; README "Install footprint"),
    // and the .d.ts files need no cdk8s-plus-27
    const lock = JSON.parse(readFileSync(join(user, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    expect(
      Object.entries(lock.packages)
        .filter(([, p]) => p.hasInstallScript)
        .map(([path]) => path),
    ).toEqual(['node_modules/protobufjs']);
    expect(existsSync(join(user, 'node_modules/cdk8s-plus-27'))).toBe(false);
    const { scripts = {} } = JSON.parse(readFileSync(join(user, 'node_modules/berth/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(Object.keys(scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);

    // WHEN the user runs init → validate → synth with the installed bin (npx --no: never fetch another berth)
    const berth = (args: string[], seconds = 60) => run(user, 'npx', ['--no', '--', 'berth', ...args], seconds);
    const version = berth(['--version']);
    expect(version.out).toBe(`berth ${(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    const init = berth([
      'init',
      '--name',
      'shop',
      '--image',
      'registry.example.com/shop:1.2.3',
      '--host',
      'shop.example.com',
      '--environments',
      'production,staging',
    ]);
    expect(ok(init)).toEqual({ status: 0, err: '' });
    expect(readFileSync(join(user, 'platform.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/node_modules\/berth\/schema\/platform\.schema\.json\n/,
    );
    expect(existsSync(join(user, 'node_modules/berth/schema/platform.schema.json'))).toBe(true);
    expect(ok(berth(['validate']))).toEqual({ status: 0, err: '' });
    expect(ok(berth(['synth']))).toEqual({ status: 0, err: '' });

    // THEN dist/<env>/ holds each environment's manifests and a kustomization.yaml
    for (const env of ['production', 'staging']) {
      const rendered = readdirSync(join(user, 'dist', env));
      expect(rendered).toEqual(expect.arrayContaining(['kustomization.yaml', 'resources.yaml', 'routes.md']));
      expect(readFileSync(join(user, 'dist', env, 'resources.yaml'), 'utf8')).toMatch(/^kind: Deployment\nmetadata:\n(?: .*\n)*? {2}name: shop\n/m);
    }

    // WHEN a TypeScript cdk8s app of the user's imports berth's API: it type-checks against the package's .d.ts
    // (strict, no skipLibCheck) and renders through `berth synth --app`
    writeFileSync(join(user, 'app.mts'), APP);
    const tsc = run(
      user,
      process.execPath,
      [
        join(REPO, 'node_modules/typescript/bin/tsc'),
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--typeRoots',
        join(REPO, 'node_modules/@types'),
        '--types',
        'node',
        'app.mts',
      ],
      120,
    );
    expect(ok(tsc)).toEqual({ status: 0, err: '' });
    expect(ok(berth(['synth', '--app', 'node app.mjs', '--out', 'app-dist']))).toEqual({ status: 0, err: '' });
    expect(readdirSync(join(user, 'app-dist', 'production'))).toEqual(expect.arrayContaining(['kustomization.yaml', 'resources.yaml']));
    expect(readFileSync(join(user, 'app-dist', 'production', 'resources.yaml'), 'utf8')).toMatch(/^kind: Deployment\nmetadata:\n(?: .*\n)*? {2}name: web\n/m);
  }, 900_000);
});
