import { existsSync, readFileSync, writeFileSync, chmodSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { GitopsError } from '../../src/gitops/errors.js';
import { publish, type PublishOptions } from '../../src/gitops/publish.js';
import { environment, PRODUCTION, type FixtureService } from './fixtures.js';
import { checkout, remoteFile, remoteFiles, remoteHead, remoteSubjects, run, sandbox, type Sandbox } from './helpers.js';

const SOURCE = 'acme/platform@3f2c1ab';

function options(box: Sandbox, overrides: Partial<PublishOptions>): PublishOptions {
  return {
    repo: box.remote,
    environments: [environment('production', PRODUCTION)],
    push: true,
    source: SOURCE,
    cwd: box.root,
    env: box.env,
    ...overrides,
  };
}

function withService(services: readonly FixtureService[], name: string, change: Partial<FixtureService>): FixtureService[] {
  return services.map((s) => (s.name === name ? { ...s, ...change } : s));
}

async function failure(promise: Promise<unknown>): Promise<GitopsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GitopsError) return error;
    throw error;
  }
  throw new Error('expected a GitopsError');
}

/** Real git and kubectl take seconds; this is a hang guard, not a timing assertion. */
const GIT_TIMEOUT = 120_000;

describe('berth gitops publish (real git, a bare repository as the remote)', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => {
    rmSync(box.root, { recursive: true, force: true });
  }, GIT_TIMEOUT);

  test(
    'first publish commits the rendering, a kustomization and the ownership list',
    async () => {
      // GIVEN an empty GitOps repository (README only) and the production rendering
      // WHEN berth publishes it by URL with --push
      const result = await publish(options(box, {}));
      // THEN one commit lands on main with every file under environments/production
      expect(result.pushed).toBe(true);
      expect(remoteSubjects(box)).toEqual(['production: +api, +billing, +legacy-reports, +web', 'Initial commit']);
      expect(remoteFiles(box, 'environments/production')).toEqual([
        'environments/production/.berth-files',
        'environments/production/00-namespace.yaml',
        'environments/production/app-api.yaml',
        'environments/production/app-billing.yaml',
        'environments/production/app-legacy-reports.yaml',
        'environments/production/app-web.yaml',
        'environments/production/ingress.yaml',
        'environments/production/kustomization.yaml',
        'environments/production/routes.md',
      ]);
      expect(remoteFile(box, 'environments/production/kustomization.yaml')).toContain(
        'resources:\n  - 00-namespace.yaml\n  - app-api.yaml\n  - app-billing.yaml\n  - app-legacy-reports.yaml\n  - app-web.yaml\n  - ingress.yaml\n',
      );
      const body = run(box.env, box.remote, ['log', '-1', '--format=%b', 'main']);
      expect(body).toContain(`Rendered by berth from ${SOURCE}`);
      expect(run(box.env, box.remote, ['log', '-1', '--format=%an <%ae>', 'main'])).toBe('Test Publisher <publisher@test.example>');
    },
    GIT_TIMEOUT,
  );

  test(
    'a second run with the same rendering makes no commit',
    async () => {
      // GIVEN production already published
      await publish(options(box, {}));
      const before = remoteHead(box);
      // WHEN berth publishes the identical rendering again
      const result = await publish(options(box, {}));
      // THEN nothing is committed or pushed
      expect(result.results[0]?.commit).toBeUndefined();
      expect(result.pushed).toBe(false);
      expect(remoteHead(box)).toBe(before);
    },
    GIT_TIMEOUT,
  );

  test(
    'an image change, a memory change, an added and a removed service yield the reviewer-friendly message',
    async () => {
      // GIVEN production published
      await publish(options(box, {}));
      // WHEN api moves to 1.4.3, billing gets 1Gi, notifications is added and legacy-reports removed
      let services = withService(PRODUCTION, 'api', { image: 'europe-docker.pkg.dev/acme/apps/api:1.4.3' });
      services = withService(services, 'billing', { memory: '1Gi' }).filter((s) => s.name !== 'legacy-reports');
      services.push({ name: 'notifications', image: 'europe-docker.pkg.dev/acme/apps/notifications:1.0.0' });
      const result = await publish(options(box, { environments: [environment('production', services)] }));
      // THEN the commit message says exactly that
      const message = result.results[0]?.message ?? '';
      console.log(`commit message produced by the fixture image-change test:\n${message}`);
      expect(message.split('\n')[0]).toBe('production: api 1.4.2 → 1.4.3, billing: memory 512Mi → 1Gi, +notifications, −legacy-reports');
      expect(message).toContain('\n\nRendered by berth from acme/platform@3f2c1ab\n');
      expect(message).toContain('- api: image europe-docker.pkg.dev/acme/apps/api:1.4.2 → europe-docker.pkg.dev/acme/apps/api:1.4.3');
      expect(run(box.env, box.remote, ['log', '-1', '--format=%B', 'main'])).toBe(message.trim());
    },
    GIT_TIMEOUT,
  );

  test(
    "a removed service's file goes away while a hand-written file in the same folder survives",
    async () => {
      // GIVEN production published, and a hand-written file committed into the same folder
      await publish(options(box, {}));
      const dir = checkout(box, 'local');
      const handWritten = path.join(dir, 'environments/production/extra-configmap.yaml');
      writeFileSync(handWritten, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
      run(box.env, dir, ['add', '.']);
      run(box.env, dir, ['commit', '-q', '-m', 'Hand-written ConfigMap']);
      // WHEN legacy-reports is removed and berth publishes into that local checkout
      const services = PRODUCTION.filter((s) => s.name !== 'legacy-reports');
      const result = await publish(options(box, { repo: dir, push: false, environments: [environment('production', services)] }));
      // THEN the service's file is deleted, the hand-written one is untouched and not listed by berth
      expect(result.results[0]?.message?.split('\n')[0]).toBe('production: −legacy-reports');
      expect(existsSync(path.join(dir, 'environments/production/app-legacy-reports.yaml'))).toBe(false);
      expect(readFileSync(handWritten, 'utf8')).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
      expect(readFileSync(path.join(dir, 'environments/production/kustomization.yaml'), 'utf8')).not.toContain('extra');
      expect(run(box.env, dir, ['status', '--porcelain'])).toBe('');
    },
    GIT_TIMEOUT,
  );

  test(
    'a hand-written file where berth wants to write is refused, nothing changes',
    async () => {
      // GIVEN a checkout whose production folder already holds a hand-written app-api.yaml
      const dir = checkout(box, 'local');
      mkdirSync(path.join(dir, 'environments/production'), { recursive: true });
      writeFileSync(path.join(dir, 'environments/production/app-api.yaml'), '# mine\n');
      run(box.env, dir, ['add', '.']);
      run(box.env, dir, ['commit', '-q', '-m', 'Hand-written api']);
      const head = run(box.env, dir, ['rev-parse', 'HEAD']);
      // WHEN berth publishes production there
      const error = await failure(publish(options(box, { repo: dir, push: false })));
      // THEN it refuses (exit 2) naming the file, and the checkout is exactly as before
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain("'app-api.yaml', not written by berth");
      expect(run(box.env, dir, ['rev-parse', 'HEAD'])).toBe(head);
      expect(run(box.env, dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
      expect(readFileSync(path.join(dir, 'environments/production/app-api.yaml'), 'utf8')).toBe('# mine\n');
    },
    GIT_TIMEOUT,
  );

  test(
    'a dirty checkout is refused with nothing changed',
    async () => {
      // GIVEN a local checkout with an uncommitted edit
      const dir = checkout(box, 'local');
      writeFileSync(path.join(dir, 'README.md'), '# edited\n');
      // WHEN berth publishes into it
      const error = await failure(publish(options(box, { repo: dir })));
      // THEN it refuses with exit 2 and a fix, writes nothing, pushes nothing
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/has uncommitted changes \(README\.md\).*commit, stash or discard them/);
      expect(existsSync(path.join(dir, 'environments'))).toBe(false);
      expect(run(box.env, dir, ['status', '--porcelain'])).toBe('M README.md');
      expect(remoteSubjects(box)).toEqual(['Initial commit']);
    },
    GIT_TIMEOUT,
  );

  test(
    'a detached checkout is refused',
    async () => {
      // GIVEN a local checkout with a detached HEAD
      const dir = checkout(box, 'local');
      run(box.env, dir, ['switch', '-q', '--detach']);
      // WHEN berth publishes into it
      const error = await failure(publish(options(box, { repo: dir })));
      // THEN it refuses with exit 2 and says how to fix it
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('detached HEAD');
      expect(error.message).toContain('switch main');
      expect(existsSync(path.join(dir, 'environments'))).toBe(false);
    },
    GIT_TIMEOUT,
  );

  test(
    '--pr-branch commits to a new branch and leaves the default branch untouched',
    async () => {
      // GIVEN production published on main
      await publish(options(box, {}));
      const main = remoteHead(box);
      // WHEN an image change is published with --pr-branch
      const services = withService(PRODUCTION, 'web', { image: 'europe-docker.pkg.dev/acme/apps/web:5.2.0' });
      const result = await publish(options(box, { prBranch: 'berth/web-5.2.0', environments: [environment('production', services)] }));
      // THEN main is unchanged and the new branch holds one commit on top of it
      expect(result.branch).toBe('berth/web-5.2.0');
      expect(remoteHead(box)).toBe(main);
      expect(remoteSubjects(box, 'berth/web-5.2.0')[0]).toBe('production: web 5.1.0 → 5.2.0');
      expect(run(box.env, box.remote, ['rev-parse', 'berth/web-5.2.0^'])).toBe(main);
    },
    GIT_TIMEOUT,
  );

  test(
    '--pr-branch in a local checkout leaves the user on their branch',
    async () => {
      // GIVEN a clean local checkout on main
      const dir = checkout(box, 'local');
      const head = run(box.env, dir, ['rev-parse', 'HEAD']);
      // WHEN berth publishes with --pr-branch and --push
      await publish(options(box, { repo: dir, prBranch: 'berth/first' }));
      // THEN the checkout is still on an untouched main; the branch exists locally and on the remote
      expect(run(box.env, dir, ['symbolic-ref', '--short', 'HEAD'])).toBe('main');
      expect(run(box.env, dir, ['rev-parse', 'HEAD'])).toBe(head);
      expect(remoteSubjects(box, 'berth/first')[0]).toBe('production: +api, +billing, +legacy-reports, +web');
      expect(run(box.env, dir, ['rev-parse', '--abbrev-ref', 'berth/first@{u}'])).toBe('origin/berth/first');
    },
    GIT_TIMEOUT,
  );

  test(
    'a failing commit hook leaves a local checkout exactly as it was',
    async () => {
      // GIVEN a local checkout whose pre-commit hook rejects every commit
      const dir = checkout(box, 'local');
      const hook = path.join(dir, '.git/hooks/pre-commit');
      writeFileSync(hook, '#!/bin/sh\necho "policy: no commits today" >&2\nexit 1\n');
      chmodSync(hook, 0o755);
      const head = run(box.env, dir, ['rev-parse', 'HEAD']);
      // WHEN berth publishes there
      const error = await failure(publish(options(box, { repo: dir, push: false })));
      // THEN the hook's message surfaces, and no commit, no file, no staged change remains
      expect(error.exitCode).toBe(1);
      expect(error.message).toContain('policy: no commits today');
      expect(run(box.env, dir, ['rev-parse', 'HEAD'])).toBe(head);
      expect(run(box.env, dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
      expect(existsSync(path.join(dir, 'environments'))).toBe(false);
    },
    GIT_TIMEOUT,
  );

  test(
    'without a configured git identity berth commits as berth',
    async () => {
      // GIVEN a git without user.name/user.email
      writeFileSync(box.env.GIT_CONFIG_GLOBAL ?? '', '[init]\n\tdefaultBranch = main\n[user]\n\tuseConfigOnly = true\n');
      // WHEN berth publishes, once with its default identity and once with --author
      await publish(options(box, {}));
      const staging = environment('staging', PRODUCTION.slice(0, 1));
      await publish(options(box, { environments: [staging], author: 'Release Bot <bot@acme.example>' }));
      // THEN commits carry berth's fallback identity, and --author where given
      const authors = run(box.env, box.remote, ['log', '--format=%an <%ae> / %cn <%ce>', 'main']).split('\n');
      expect(authors.slice(0, 2)).toEqual([
        'Release Bot <bot@acme.example> / berth <berth@users.noreply.local>',
        'berth <berth@users.noreply.local> / berth <berth@users.noreply.local>',
      ]);
    },
    GIT_TIMEOUT,
  );
});
