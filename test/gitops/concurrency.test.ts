/**
 * Publishers racing for the same remote: berth never force-pushes, never loses the other commit;
 * it fetches, re-applies its rendering on top and pushes again.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { publish } from '../../src/gitops/publish.js';
import { environment, PRODUCTION } from './fixtures.js';
import { checkout, remoteFile, remoteSubjects, run, sandbox, type Sandbox } from './helpers.js';

/** Real git pushes take seconds; this is a hang guard, not a timing assertion. */
const GIT_TIMEOUT = 120_000;
const SOURCE = 'acme/platform@3f2c1ab';

describe('berth gitops --push against a moving remote', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => {
    rmSync(box.root, { recursive: true, force: true });
  });

  test(
    'two concurrent publishers to the same remote both land, no commit lost',
    async () => {
      // GIVEN two pipelines publishing production and staging at the same moment
      const common = { repo: box.remote, push: true, source: SOURCE, cwd: box.root, env: box.env };
      // WHEN both run concurrently
      const [production, staging] = await Promise.all([
        publish({ ...common, environments: [environment('production', PRODUCTION)] }),
        publish({ ...common, environments: [environment('staging', PRODUCTION.slice(0, 2))] }),
      ]);
      // THEN both pushed, the history is linear and holds both commits on top of the original one
      expect([production.pushed, staging.pushed]).toEqual([true, true]);
      expect([...remoteSubjects(box)].sort()).toEqual(['Initial commit', 'production: +api, +billing, +legacy-reports, +web', 'staging: +api, +billing']);
      expect(run(box.env, box.remote, ['rev-list', '--merges', 'main'])).toBe('');
      expect(remoteFile(box, 'environments/production/app-web.yaml')).toContain('web:5.1.0');
      expect(remoteFile(box, 'environments/staging/app-billing.yaml')).toContain('billing:2.0.1');
    },
    GIT_TIMEOUT,
  );

  test(
    'when another commit lands between fetch and push, berth re-applies on top of it',
    async () => {
      // GIVEN a pre-push hook that, the first time, lets another team push a commit to the remote first
      const other = checkout(box, 'other-team');
      const hooks = path.join(box.root, 'hooks');
      mkdirSync(hooks);
      writeFileSync(
        path.join(hooks, 'pre-push'),
        [
          '#!/bin/sh',
          'cat >/dev/null',
          `[ -e "${box.root}/raced" ] && exit 0`,
          `touch "${box.root}/raced"`,
          'unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0',
          `cd "${other}" && echo "hand-written" > other-team.txt && git add other-team.txt &&`,
          '  git commit -q -m "Other team\'s commit" && git push -q origin main',
          '',
        ].join('\n'),
      );
      chmodSync(path.join(hooks, 'pre-push'), 0o755);
      const env = { ...box.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: hooks };
      // WHEN berth publishes production with --push
      const progress: string[] = [];
      const result = await publish({
        repo: box.remote,
        push: true,
        source: SOURCE,
        cwd: box.root,
        env,
        environments: [environment('production', PRODUCTION)],
        progress: (line) => progress.push(line),
      });
      // THEN its first push is rejected, it fetches, re-applies and lands on top of the other commit
      expect(result).toMatchObject({ pushed: true, attempts: 2 });
      expect(progress).toEqual(['origin/main moved meanwhile; fetching and re-applying (attempt 2 of 5)']);
      expect(remoteSubjects(box)).toEqual(['production: +api, +billing, +legacy-reports, +web', "Other team's commit", 'Initial commit']);
      expect(remoteFile(box, 'other-team.txt')).toBe('hand-written\n');
    },
    GIT_TIMEOUT,
  );

  test(
    'a stale local checkout publishing the same environment lands after the newer commit',
    async () => {
      // GIVEN a local checkout made before another publisher released api 1.4.3 to production
      const stale = checkout(box, 'stale');
      await publish({ repo: box.remote, push: true, source: SOURCE, cwd: box.root, env: box.env, environments: [environment('production', PRODUCTION)] });
      const released = PRODUCTION.map((s) => (s.name === 'api' ? { ...s, image: 'europe-docker.pkg.dev/acme/apps/api:1.4.3' } : s));
      // WHEN the stale checkout publishes 1.4.3 plus a web release with --push
      const next = released.map((s) => (s.name === 'web' ? { ...s, image: 'europe-docker.pkg.dev/acme/apps/web:5.2.0' } : s));
      const result = await publish({ repo: stale, push: true, source: SOURCE, cwd: box.root, env: box.env, environments: [environment('production', next)] });
      // THEN it retried on top of the other commit, and its message is relative to that commit
      expect(result.attempts).toBe(2);
      expect(remoteSubjects(box)).toEqual([
        'production: api 1.4.2 → 1.4.3, web 5.1.0 → 5.2.0',
        'production: +api, +billing, +legacy-reports, +web',
        'Initial commit',
      ]);
      expect(run(box.env, stale, ['status', '--porcelain'])).toBe('');
      expect(run(box.env, stale, ['rev-parse', 'HEAD'])).toBe(run(box.env, box.remote, ['rev-parse', 'main']));
    },
    GIT_TIMEOUT,
  );
});
