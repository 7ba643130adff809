/** berth gitops never writes or deletes through a symbolic link committed to the GitOps repository (real git). */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { publish, type PublishOptions } from '../../src/gitops/publish.js';
import { tempDir } from '../helpers.js';
import { environment, PRODUCTION } from './fixtures.js';
import { checkout, refusal, remoteHead, run, sandbox, type Sandbox } from './helpers.js';

const GIT_TIMEOUT = 120_000;

describe('berth gitops never follows a link out of the repository', () => {
  let box: Sandbox;
  let secret: { dir: string; file: string };
  beforeEach(() => {
    box = sandbox();
    secret = { dir: tempDir('berth-victim-'), file: '' };
    secret.file = path.join(secret.dir, 'id_rsa');
    writeFileSync(secret.file, 'PRIVATE KEY\n');
  });

  /** Pushes a commit made by `prepare` in a scratch checkout (what anyone with push access could do). */
  function pushCommit(prepare: (dir: string) => void): string {
    const dir = checkout(box, `attacker-${Date.now()}`);
    prepare(dir);
    run(box.env, dir, ['add', '-A']);
    run(box.env, dir, ['commit', '-q', '-m', 'Prepare']);
    run(box.env, dir, ['push', '-q', 'origin', 'main']);
    return remoteHead(box);
  }

  const options = (extra: Partial<PublishOptions> = {}): PublishOptions => ({
    repo: box.remote,
    environments: [environment('production', PRODUCTION)],
    source: 'test',
    cwd: box.root,
    env: box.env,
    push: true,
    ...extra,
  });

  test(
    'a committed folder link plus a listed file behind it: refused, nothing deleted, nothing pushed',
    async () => {
      // GIVEN environments/production/cache → a folder elsewhere, and cache/id_rsa listed as berth's file
      const head = pushCommit((dir) => {
        mkdirSync(path.join(dir, 'environments/production'), { recursive: true });
        symlinkSync(secret.dir, path.join(dir, 'environments/production/cache'));
        writeFileSync(path.join(dir, 'environments/production/.berth-files'), '# berth\ncache/id_rsa\n');
      });
      // WHEN berth gitops publishes production
      const error = await refusal(options());
      // THEN exit 2 naming the link, the file behind it survives, and the remote did not move
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('environments/production/cache is a symbolic link');
      expect(readFileSync(secret.file, 'utf8')).toBe('PRIVATE KEY\n');
      expect(remoteHead(box)).toBe(head);
    },
    GIT_TIMEOUT,
  );

  test(
    'an owned file replaced by a link to a file elsewhere: refused, the file is not overwritten',
    async () => {
      // GIVEN a first release, then app-api.yaml replaced by a link to a file outside the repository
      await publish(options());
      const head = pushCommit((dir) => {
        const owned = path.join(dir, 'environments/production/app-api.yaml');
        run(box.env, dir, ['rm', '-q', 'environments/production/app-api.yaml']);
        symlinkSync(secret.file, owned);
      });
      // WHEN a new release is published
      const error = await refusal(
        options({
          environments: [
            environment(
              'production',
              PRODUCTION.map((s) => ({ ...s, image: `${s.image}-2` })),
            ),
          ],
        }),
      );
      // THEN refused, the linked file is unchanged and nothing was pushed
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('environments/production/app-api.yaml is a symbolic link');
      expect(readFileSync(secret.file, 'utf8')).toBe('PRIVATE KEY\n');
      expect(remoteHead(box)).toBe(head);
    },
    GIT_TIMEOUT,
  );

  test(
    '--path under a linked folder in a local checkout writes nothing outside and leaves no commit',
    async () => {
      // GIVEN a checkout where "envs" is a committed link to a folder outside the repository
      pushCommit((dir) => symlinkSync(secret.dir, path.join(dir, 'envs')));
      const dir = checkout(box, 'local');
      const head = run(box.env, dir, ['rev-parse', 'HEAD']);
      // WHEN berth publishes with --path envs/{env}
      const error = await refusal(options({ repo: dir, push: false, path: 'envs/{env}' }));
      // THEN refused naming the link; nothing appeared behind it; the checkout is as it was
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('envs is a symbolic link');
      expect(existsSync(path.join(secret.dir, 'production'))).toBe(false);
      expect(run(box.env, dir, ['rev-parse', 'HEAD'])).toBe(head);
      expect(run(box.env, dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    },
    GIT_TIMEOUT,
  );

  test(
    '.berth-files entries outside the folder are errors naming each entry',
    async () => {
      const head = pushCommit((dir) => {
        mkdirSync(path.join(dir, 'environments/production'), { recursive: true });
        writeFileSync(path.join(dir, 'environments/production/.berth-files'), `../../README.md\n${secret.file}\n`);
      });
      const error = await refusal(options());
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain("'../../README.md'");
      expect(error.message).toContain(`'${secret.file}'`);
      expect(readFileSync(secret.file, 'utf8')).toBe('PRIVATE KEY\n');
      expect(remoteHead(box)).toBe(head);
    },
    GIT_TIMEOUT,
  );

  test(
    'the ownership list itself as a link is refused',
    async () => {
      const head = pushCommit((dir) => {
        mkdirSync(path.join(dir, 'environments/production'), { recursive: true });
        symlinkSync(secret.file, path.join(dir, 'environments/production/.berth-files'));
      });
      const error = await refusal(options());
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('environments/production/.berth-files is a symbolic link');
      expect(readFileSync(secret.file, 'utf8')).toBe('PRIVATE KEY\n');
      expect(remoteHead(box)).toBe(head);
    },
    GIT_TIMEOUT,
  );
});
