/**
 * End to end with the real example platform (charts/platform.yaml) through `berth gitops`:
 * real git repositories on disk, a bare repository as the remote, kubectl kustomize on the result.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { gitops } from '../../src/cli/commands/gitops.js';
import { examplePlatformFile } from '../../src/cli/platform-file.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import { stableJson } from '../../src/gitops/facts.js';
import { renderPlatform } from '../../src/render/render.js';
import { writeRendering } from '../../src/render/write.js';
import { captureIo } from './cli-io.js';
import { checkout, remoteFile, remoteHead, remoteSubjects, run, sandbox, type Sandbox } from './helpers.js';

/** The example declaration committed in its own git repository, as `acme/platform`. */
function platformRepository(box: Sandbox, platform: PlatformDeclaration): { file: string; sha: string } {
  const dir = path.join(box.root, 'platform');
  mkdirSync(dir, { recursive: true });
  if (!readdirSync(dir).includes('.git')) {
    run(box.env, dir, ['init', '-q']);
    run(box.env, dir, ['remote', 'add', 'origin', 'git@github.com:acme/platform.git']);
  }
  const file = path.join(dir, 'platform.yaml');
  writeFileSync(file, stringify(platform));
  run(box.env, dir, ['add', 'platform.yaml']);
  run(box.env, dir, ['commit', '-q', '--allow-empty', '-m', 'Platform change']);
  return { file, sha: run(box.env, dir, ['rev-parse', '--short', 'HEAD']) };
}

/** berth gitops in the sandbox; the example platform unless the test passes its own --file (berth has no default). */
/** The one stderr line of a successful run: which declaration it read. */
const USING = expect.stringMatching(/^berth: using \S*platform\.yaml\n$/);

async function berth(box: Sandbox, ...args: string[]) {
  const io = captureIo(box.root, box.env);
  const code = await gitops(args.includes('--file') ? args : [...args, '--file', examplePlatformFile()], io);
  return { code, out: io.out(), err: io.err() };
}

function objectsIn(yamlText: string): string[] {
  return parseAllDocuments(yamlText)
    .map((doc) => doc.toJS() as unknown)
    .filter((o) => o !== null)
    .map(stableJson)
    .sort();
}

const example = (): PlatformDeclaration => loadPlatformFile(examplePlatformFile());

/** Real git and kubectl take seconds; this is a hang guard, not a timing assertion. */
const GIT_TIMEOUT = 120_000;

describe('berth gitops with the example platform', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => {
    rmSync(box.root, { recursive: true, force: true });
  }, GIT_TIMEOUT);

  test(
    'first publish, then "no changes", then a release with the expected commit message',
    async () => {
      // GIVEN the example platform in a git checkout of acme/platform
      const first = platformRepository(box, example());
      // WHEN production is published by berth gitops --push
      const published = await berth(box, '--repo', box.remote, '--env', 'production', '--push', '--file', first.file);
      // THEN one commit lands; a second run is "no changes" with exit 0 and no commit
      expect(published).toMatchObject({ code: 0, err: USING });
      expect(published.out).toMatch(/^production: committed [0-9a-f]{7} to environments\/production on main\n/);
      expect(remoteSubjects(box)[0]).toBe('production: +api, +auth, +billing, +mailer, +pricing, +web');
      const head = remoteHead(box);
      const again = await berth(box, '--repo', box.remote, '--env', 'production', '--push', '--file', first.file);
      expect(again).toEqual({ code: 0, out: 'production: no changes (environments/production is up to date)\n', err: USING });
      expect(remoteHead(box)).toBe(head);

      // WHEN api moves to 1.4.3, web gets 1Gi, notifications is added and pricing removed
      const changed = example();
      const services: ServiceDeclaration[] = changed.services
        .filter((s) => s.name !== 'pricing')
        .map((s) => (s.name === 'api' ? { ...s, image: 'registry.example.com/acme/api:1.4.3' } : s))
        .map((s) => (s.name === 'web' ? { ...s, memory: '1Gi' } : s));
      services.push({ name: 'notifications', image: 'registry.example.com/acme/notifications:1.0.0', memory: '128Mi', cpu: '50m', replicas: 2 });
      const staging = { ...changed.environments.staging, services: { ...changed.environments.staging.services } };
      const dev = { ...changed.environments.dev, services: { ...changed.environments.dev.services } };
      for (const environment of [staging, dev]) delete (environment.services as Record<string, unknown>).pricing;
      const second = platformRepository(box, { environments: { ...changed.environments, staging, dev }, services });
      const release = await berth(box, '--repo', box.remote, '--env', 'production', '--push', '--file', second.file);

      // THEN the commit says exactly what a reviewer needs to approve
      expect(release.code).toBe(0);
      const message = run(box.env, box.remote, ['log', '-1', '--format=%B', 'main']);
      console.log(`commit message produced by the example-platform release test:\n${message}`);
      expect(message.split('\n')[0]).toBe('production: api 1.4.2 → 1.4.3, web: memory 768Mi → 1Gi, +notifications, −pricing');
      expect(message.split('\n').slice(1, 3)).toEqual(['', `Rendered by berth from acme/platform@${second.sha}`]);
      const objects = remoteFile(box, 'environments/production/resources.yaml') ?? '';
      expect(objects).not.toMatch(/^ {2}name: pricing$/m);
      expect(objects).toMatch(/^ {2}name: notifications$/m);
      expect(objects).toContain('notifications:1.0.0');
    },
    GIT_TIMEOUT,
  );

  test(
    'kubectl kustomize of the published folder yields the same objects as dist/<env>',
    async () => {
      // GIVEN every environment published into a local checkout, and the same platform synthesized to dist/
      const dir = checkout(box, 'local');
      const result = await berth(box, '--repo', dir, '--all');
      expect(result.code).toBe(0);
      const dist = path.join(box.root, 'dist');
      writeRendering(dist, renderPlatform(example()), { prune: true });
      for (const environment of ['dev', 'production', 'staging']) {
        // WHEN kubectl kustomize builds the published folder
        const built = execFileSync('kubectl', ['kustomize', path.join(dir, 'environments', environment)], { encoding: 'utf8' });
        // THEN it yields exactly the objects of dist/<env>
        const fromDist = readdirSync(path.join(dist, environment))
          .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml') // the objects, not dist's own Kustomization
          .flatMap((f) => objectsIn(readFileSync(path.join(dist, environment, f), 'utf8')));
        expect(objectsIn(built)).toEqual(fromDist.sort());
        expect(fromDist.length).toBeGreaterThan(5);
      }
    },
    GIT_TIMEOUT,
  );

  test(
    'switching an environment to layout: per-service commits a file per service with the same objects, and says no object changed',
    async () => {
      // GIVEN production published with the default layout (single-file)
      const first = platformRepository(box, example());
      expect((await berth(box, '--repo', box.remote, '--env', 'production', '--push', '--file', first.file)).code).toBe(0);
      const dir = checkout(box, 'before');
      const before = execFileSync('kubectl', ['kustomize', path.join(dir, 'environments', 'production')], { encoding: 'utf8' });
      // WHEN production switches to layout: per-service and is published again
      const perService = example();
      const second = platformRepository(box, {
        ...perService,
        environments: { ...perService.environments, production: { ...perService.environments.production, layout: 'per-service' } },
      });
      const result = await berth(box, '--repo', box.remote, '--env', 'production', '--push', '--file', second.file);
      // THEN the folder holds a file per service instead of resources.yaml, kustomize builds the same objects,
      // and the commit says no object changed
      expect(result.code).toBe(0);
      expect(readdirSync(path.join(dir, 'environments', 'production')).sort()).toEqual(['.berth-files', 'kustomization.yaml', 'resources.yaml', 'routes.md']);
      const after = checkout(box, 'after');
      const files = readdirSync(path.join(after, 'environments', 'production')).sort();
      expect(files).toEqual(expect.arrayContaining(['00-namespace.yaml', 'app-api.yaml', 'app-web.yaml', 'ingress.yaml', 'kustomization.yaml']));
      expect(files).not.toContain('resources.yaml');
      const built = execFileSync('kubectl', ['kustomize', path.join(after, 'environments', 'production')], { encoding: 'utf8' });
      expect(objectsIn(built)).toEqual(objectsIn(before));
      expect(remoteSubjects(box)[0]).toBe('production: re-rendered, no object changes');
    },
    GIT_TIMEOUT,
  );

  test(
    'bad input exits 2 with one clear message and commits nothing',
    async () => {
      // GIVEN the sandbox remote  WHEN berth gitops gets bad input  THEN exit 2, a message naming the fix
      const unknownEnv = await berth(box, '--repo', box.remote, '--env', 'prod', '--push');
      expect(unknownEnv.code).toBe(2);
      expect(unknownEnv.err).toContain('"prod": is not a declared environment. Fix: use one of: dev, production, staging');
      const noEnv = await berth(box, '--repo', box.remote);
      expect(noEnv).toMatchObject({ code: 2, out: '' });
      expect(noEnv.err).toContain('Pass --env NAME');
      const unknownFlag = await berth(box, '--repo', box.remote, '--env', 'dev', '--force');
      expect(unknownFlag.code).toBe(2);
      expect(unknownFlag.err).toContain("Unknown option '--force'");
      const badPath = await berth(box, '--repo', box.remote, '--env', 'dev', '--path', '../outside/{env}');
      expect(badPath.code).toBe(2);
      expect(badPath.err).toContain('must be a relative folder inside the GitOps repository');
      expect(remoteSubjects(box)).toEqual(['Initial commit']);
    },
    GIT_TIMEOUT,
  );

  test(
    'without --push a URL is a dry run that prints the commit it would make',
    async () => {
      // GIVEN the remote  WHEN berth gitops runs without --push
      const result = await berth(box, '--repo', box.remote, '--env', 'dev');
      // THEN it shows the message, says it discarded the clone, and the remote is untouched
      expect(result.code).toBe(0);
      expect(result.out).toContain('dev: +api, +auth, +mailer, +pricing, +web\n\nRendered by berth from');
      expect(result.out).toContain('not pushed: dry run');
      expect(remoteSubjects(box)).toEqual(['Initial commit']);
    },
    GIT_TIMEOUT,
  );

  test(
    'gitops init writes an Argo CD Application for the environment',
    async () => {
      // GIVEN a local checkout whose origin is a real URL
      const dir = checkout(box, 'local');
      run(box.env, dir, ['remote', 'set-url', 'origin', 'git@example.com:acme/gitops.git']);
      // WHEN init --argocd runs against it
      const result = await berth(box, 'init', '--env', 'staging', '--argocd', '--repo', dir);
      // THEN it points Argo CD at the folder on the checkout's branch, into the env's namespace
      expect(result.code).toBe(0);
      expect(result.out).toContain('repoURL: git@example.com:acme/gitops.git\n    targetRevision: main\n    path: environments/staging\n');
      expect(result.out).toContain('namespace: staging\n');
    },
    GIT_TIMEOUT,
  );
});
