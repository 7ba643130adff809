import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { publish } from '../../src/gitops/publish.js';
import { environment, PRODUCTION } from './fixtures.js';
import { run, sandbox, type Sandbox } from './helpers.js';

describe('berth gitops into a checkout with no commits yet', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => rmSync(box.root, { recursive: true, force: true }));

  test('the rendering becomes the first commit', async () => {
    // GIVEN a fresh `git init` checkout (unborn branch main)
    const dir = path.join(box.root, 'fresh');
    mkdirSync(dir);
    run(box.env, dir, ['init', '-q', '-b', 'main']);
    // WHEN berth publishes production there
    const result = await publish({
      repo: dir,
      environments: [environment('production', PRODUCTION)],
      push: false,
      source: 'acme/platform@1',
      cwd: box.root,
      env: box.env,
    });
    // THEN one commit exists, with the environment's folder
    expect(result.results[0]?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(run(box.env, dir, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');
    expect(run(box.env, dir, ['ls-files', 'environments/production'])).toContain('environments/production/kustomization.yaml');
  }, 120_000);
});
