/** `berth init --ci github` (src/init/workflow.ts): the deploy workflow, linted by the real actionlint. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { init } from '../../src/cli/commands/init.js';
import { WORKFLOW_PATH } from '../../src/init/workflow.js';
import { captureIo, tempDir } from '../helpers.js';
import { tool } from '../security/tools.js';

function emptyRepo(): string {
  return tempDir('berth-init-ci-');
}

interface Job {
  readonly needs?: readonly string[];
  readonly environment: string;
  readonly concurrency: { group: string };
  readonly steps: readonly { uses?: string; run?: string; with?: Record<string, unknown> }[];
}

/** Runs init with `args` in a new repository; returns the folder and the workflow's text. */
async function initWithCi(args: readonly string[]): Promise<{ dir: string; text: string }> {
  const dir = emptyRepo();
  const io = captureIo(dir);
  expect(await init(['--ci', 'github', ...args], io)).toBe(0);
  expect(io.out()).toContain(`and ${WORKFLOW_PATH}\n`);
  return { dir, text: readFileSync(join(dir, WORKFLOW_PATH), 'utf8') };
}

describe('berth init --ci github', () => {
  it.each([
    ['one environment', ['production']],
    ['three environments', ['production', 'staging', 'dev']],
  ])('writes a workflow actionlint accepts without a single finding (%s)', async (_, environments) => {
    // GIVEN a repository WHEN init writes the workflow for the environments
    const { dir } = await initWithCi(['--environments', environments.join(',')]);
    // THEN actionlint exits 0 and prints nothing
    const lint = spawnSync(tool('actionlint'), ['-no-color', WORKFLOW_PATH], { cwd: dir, encoding: 'utf8' });
    expect({ status: lint.status, stdout: lint.stdout, stderr: lint.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('deploys every environment with Workload Identity Federation, the first one last, one run at a time per environment', async () => {
    // GIVEN a repository WHEN init writes the workflow for production, staging and dev
    const { text } = await initWithCi(['--environments', 'production,staging,dev']);
    const flow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
    // THEN it runs on a push to main and by hand, with only the permissions the token exchange needs
    expect(flow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(flow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    // AND one job per environment, production after the others, each with its own concurrency group
    expect(Object.keys(flow.jobs)).toEqual(['deploy-staging', 'deploy-dev', 'deploy-production']);
    expect(flow.jobs['deploy-production'].needs).toEqual(['deploy-staging', 'deploy-dev']);
    expect(flow.jobs['deploy-staging'].needs).toBeUndefined();
    for (const env of ['production', 'staging', 'dev']) {
      const job = flow.jobs[`deploy-${env}`];
      expect(job.environment).toBe(env);
      expect(job.concurrency.group).toBe(`berth-deploy-${env}`);
      // AND the steps: checkout, Node 20 with the npm cache, npm ci, WIF auth from variables, validate, deploy to GKE
      expect(job.steps.map((s) => s.uses ?? s.run!.replace(/\s+/g, ' ').trim())).toEqual([
        'actions/checkout@v4',
        'actions/setup-node@v4',
        'npm ci',
        'google-github-actions/auth@v2',
        'npx berth validate',
        `npx berth deploy --env ${env} --project "\${{ vars.GKE_PROJECT }}" --location "\${{ vars.GKE_LOCATION }}" --cluster "\${{ vars.GKE_CLUSTER }}"`,
      ]);
      expect(job.steps[1].with).toEqual({ 'node-version': 20, cache: 'npm' });
      expect(job.steps[3].with).toEqual({ workload_identity_provider: '${{ vars.WIF_PROVIDER }}', service_account: '${{ vars.DEPLOY_SERVICE_ACCOUNT }}' });
    }
    // AND no secret is read; the header names every variable and the IAM role the service account needs
    expect(text).not.toContain('secrets.');
    for (const v of [
      'WIF_PROVIDER',
      'DEPLOY_SERVICE_ACCOUNT',
      'GKE_PROJECT',
      'GKE_LOCATION',
      'GKE_CLUSTER',
      'roles/container.developer',
      'roles/iam.workloadIdentityUser',
    ])
      expect(text).toContain(v);
  });

  it('passes --file when the declaration is not ./platform.yaml', async () => {
    const { text } = await initWithCi(['--file', 'berth.yaml']);
    expect(text).toContain('- run: npx berth validate --file berth.yaml\n');
    expect(text).toContain('npx berth deploy --file berth.yaml --env production\n');
  });

  it('refuses to overwrite an existing workflow: exit 2, nothing written', async () => {
    // GIVEN a repository that already has the workflow
    const dir = emptyRepo();
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, WORKFLOW_PATH), 'mine\n');
    const io = captureIo(dir);
    // WHEN init --ci github runs THEN exit 2, the workflow is unchanged and no declaration was written
    expect(await init(['--ci', 'github'], io)).toBe(2);
    expect(io.err()).toContain(`${WORKFLOW_PATH} already exists; berth init never overwrites it`);
    expect(readFileSync(join(dir, WORKFLOW_PATH), 'utf8')).toBe('mine\n');
    expect(readdirSync(dir)).toEqual(['.github']);
  });

  it('never writes through a symbolic link named .github: exit 2, nothing written there', async () => {
    // GIVEN .github is a link to a folder elsewhere
    const dir = emptyRepo();
    const elsewhere = emptyRepo();
    symlinkSync(elsewhere, join(dir, '.github'));
    const io = captureIo(dir);
    // WHEN init --ci github runs THEN exit 2 and nothing was created behind the link, nor the declaration
    expect(await init(['--ci', 'github'], io)).toBe(2);
    expect(io.err()).toMatch(/symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(dir)).toEqual(['.github']);
  });

  it('refuses an unknown CI: exit 2 naming the one supported', async () => {
    const dir = emptyRepo();
    const io = captureIo(dir);
    expect(await init(['--ci', 'gitlab'], io)).toBe(2);
    expect(io.err()).toContain('--ci gitlab: the one CI berth writes a workflow for is github');
    expect(readdirSync(dir)).toEqual([]);
  });
});
