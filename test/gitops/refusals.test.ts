/** Checkouts berth refuses to publish into, and errors half-way: nothing may stay committed. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PublishOptions } from '../../src/gitops/publish.js';
import { environment, PRODUCTION } from './fixtures.js';
import { checkout, refusal, remoteSubjects, run, sandbox, type Sandbox } from './helpers.js';

/** Real git takes seconds; this is a hang guard, not a timing assertion. */
const GIT_TIMEOUT = 120_000;

describe('berth gitops refuses unsafe situations and leaves no commit behind', () => {
  let box: Sandbox;
  let dir: string;
  let head: string;
  const base = (): PublishOptions => ({
    repo: dir,
    environments: [environment('production', PRODUCTION)],
    source: 'test',
    cwd: box.root,
    env: box.env,
  });
  beforeEach(() => {
    box = sandbox();
    dir = checkout(box, 'local');
    head = run(box.env, dir, ['rev-parse', 'HEAD']);
  });
  afterEach(() => {
    rmSync(box.root, { recursive: true, force: true });
  });

  function expectUntouched(): void {
    expect(run(box.env, dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(run(box.env, dir, ['symbolic-ref', '--short', 'HEAD'])).toBe('main');
    expect(run(box.env, dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(remoteSubjects(box)).toEqual(['Initial commit']);
  }

  test(
    '--all where the second environment is blocked commits neither',
    async () => {
      // GIVEN a hand-written staging/app-api.yaml that berth must not overwrite
      mkdirSync(path.join(dir, 'environments/staging'), { recursive: true });
      writeFileSync(path.join(dir, 'environments/staging/app-api.yaml'), '# mine\n');
      run(box.env, dir, ['add', '.']);
      run(box.env, dir, ['commit', '-q', '-m', 'Hand-written staging api']);
      head = run(box.env, dir, ['rev-parse', 'HEAD']);
      // WHEN production (fine) and staging (blocked) are published together
      const environments = [environment('production', PRODUCTION), environment('staging', PRODUCTION)];
      const error = await refusal({ ...base(), environments });
      // THEN the production commit made first is rolled back too
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('environments/staging already holds');
      expectUntouched();
    },
    GIT_TIMEOUT,
  );

  test(
    "--branch other than the checkout's branch is refused",
    async () => {
      // GIVEN a checkout on main  WHEN berth is asked for --branch release  THEN it refuses with the fix
      const error = await refusal({ ...base(), branch: 'release' });
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain("is on branch 'main', not 'release'");
      expectUntouched();
    },
    GIT_TIMEOUT,
  );

  test(
    '--push from a branch without upstream is refused',
    async () => {
      // GIVEN a local branch that tracks nothing
      run(box.env, dir, ['switch', '-q', '-c', 'local-only']);
      // WHEN berth publishes with --push  THEN it refuses and says how to set one
      const error = await refusal({ ...base(), push: true });
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('has no upstream');
      expect(error.message).toContain('--set-upstream-to');
      run(box.env, dir, ['switch', '-q', 'main']);
      expectUntouched();
    },
    GIT_TIMEOUT,
  );

  test(
    '--push with unpushed commits of the user is refused',
    async () => {
      // GIVEN a commit of the user not yet on origin/main
      writeFileSync(path.join(dir, 'notes.txt'), 'draft\n');
      run(box.env, dir, ['add', 'notes.txt']);
      run(box.env, dir, ['commit', '-q', '-m', 'My draft']);
      head = run(box.env, dir, ['rev-parse', 'HEAD']);
      // WHEN berth publishes with --push  THEN it refuses: it pushes only its own commits
      const error = await refusal({ ...base(), push: true });
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('1 commit(s) not yet on origin/main');
      expectUntouched();
    },
    GIT_TIMEOUT,
  );

  test(
    'a push the remote refuses for good fails with exit 1 and rolls the checkout back',
    async () => {
      // GIVEN a remote whose pre-receive hook refuses every push (branch protection)
      const hook = path.join(box.remote, 'hooks/pre-receive');
      writeFileSync(hook, '#!/bin/sh\necho "main is protected" >&2\nexit 1\n', { mode: 0o755 });
      // WHEN berth publishes with --push
      const error = await refusal({ ...base(), push: true });
      // THEN it does not retry, says why, and the local commit is gone again
      expect(error.exitCode).toBe(1);
      expect(error.message).toContain('main is protected');
      expect(error.message).toContain('Nothing was pushed');
      expectUntouched();
    },
    GIT_TIMEOUT,
  );
});
