/**
 * Jobs through `berth gitops`: the same folder serves Argo CD (PreSync hooks on the migration) and Flux (two
 * Kustomizations selecting by label: the migrations first, with wait, then the rest). Real git repositories,
 * kubectl kustomize playing Flux's kustomize-controller (a Kustomization's `patches` applied to the folder's build).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { gitops } from '../../src/cli/commands/gitops.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { captureIo } from './cli-io.js';
import { checkout, run, sandbox, type Sandbox } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PLATFORM = (image: string): PlatformDeclaration => ({
  environments: { production: { namespace: 'shop' } },
  services: [
    { name: 'web', image, port: 8000, health: '/healthz', memory: '256Mi', cpu: '100m', secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } },
  ],
  jobs: [
    { name: 'migrate', from: 'web', command: ['python', 'manage.py', 'migrate'], memory: '256Mi', cpu: '100m', beforeDeploy: true },
    { name: 'nightly', from: 'web', command: ['python', 'manage.py', 'report'], memory: '128Mi', cpu: '50m', schedule: '0 3 * * *' },
  ],
});

async function berth(box: Sandbox, ...args: string[]) {
  const io = captureIo(box.root, box.env);
  const code = await gitops(args, io);
  return { code, out: io.out(), err: io.err() };
}

function platformFile(box: Sandbox, platform: PlatformDeclaration): string {
  const file = path.join(box.root, 'platform.yaml');
  writeFileSync(file, stringify(platform));
  return file;
}

const objects = (text: string): Json[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Json)
    .filter((o) => o !== null);
const ids = (list: readonly Json[]): string[] => list.map((o) => `${o.kind}/${o.metadata.name}`).sort();

/** Builds `folder` the way Flux builds a Kustomization with these `patches` (an overlay over the folder). */
function fluxBuild(box: Sandbox, name: string, folder: string, patches: unknown): Json[] {
  const overlay = path.join(box.root, 'flux', name);
  mkdirSync(overlay, { recursive: true });
  writeFileSync(path.join(overlay, 'kustomization.yaml'), stringify({ resources: [path.relative(overlay, folder)], patches }));
  return objects(execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' }));
}

const GIT_TIMEOUT = 120_000;

describe('jobs in a GitOps repository', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = sandbox();
  });
  afterEach(() => {
    rmSync(box.root, { recursive: true, force: true });
  }, GIT_TIMEOUT);

  test(
    'Argo CD gets PreSync hooks, Flux a jobs Kustomization the environment depends on',
    async () => {
      // GIVEN a platform with a migration and a nightly CronJob, published into a local checkout
      const dir = checkout(box, 'local');
      const file = platformFile(box, PLATFORM('registry.example.com/web:1.0.0'));
      expect(await berth(box, '--repo', dir, '--env', 'production', '--file', file)).toMatchObject({
        code: 0,
        err: expect.stringMatching(/^berth: using \S*platform\.yaml\n$/),
      });
      const folder = path.join(dir, 'environments', 'production');
      const listed = run(box.env, dir, ['show', 'HEAD:environments/production/kustomization.yaml']);
      expect(listed).toMatch(/^resources:\n {2}- resources\.yaml$/m);

      // WHEN Argo CD (or kubectl apply -k) builds the folder
      const all = objects(execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8' }));
      // THEN the migration's Job and ServiceAccount are PreSync hooks (the ServiceAccount first), replaced on each sync
      const job = all.find((o) => o.kind === 'Job')!;
      expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
      expect(job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
      const sa = all.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'migrate')!;
      expect(sa.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-weight': '-1' });
      expect(all.find((o) => o.kind === 'CronJob')!.metadata.annotations).toBeUndefined();

      // WHEN gitops init --flux writes the Flux objects
      const init = await berth(box, 'init', '--env', 'production', '--flux', '--repo', 'git@example.com:acme/gitops.git', '--file', file);
      expect(init.code).toBe(0);
      const [, jobsKs, appKs] = objects(init.out);
      // THEN berth-production depends on berth-production-jobs, and both wait for what they apply
      expect(jobsKs).toMatchObject({
        kind: 'Kustomization',
        metadata: { name: 'berth-production-jobs' },
        spec: { path: './environments/production', wait: true, prune: true },
      });
      expect(appKs).toMatchObject({
        kind: 'Kustomization',
        metadata: { name: 'berth-production' },
        spec: { dependsOn: [{ name: 'berth-production-jobs' }], wait: true },
      });
      // AND the jobs Kustomization holds the Namespace and the migration only (no TTL: Flux would re-create the Job)
      const first = fluxBuild(box, 'jobs', folder, jobsKs.spec.patches);
      expect(ids(first)).toEqual(['Job/' + job.metadata.name, 'Namespace/shop', 'ServiceAccount/migrate']);
      expect(first.find((o) => o.kind === 'Job')!.spec.ttlSecondsAfterFinished).toBeUndefined();
      // AND Flux never garbage-collects the Namespace
      expect(first.find((o) => o.kind === 'Namespace')!.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
      // AND the environment's Kustomization everything else, each object exactly once across the two
      const rest = fluxBuild(box, 'app', folder, appKs.spec.patches);
      expect(ids(rest)).toEqual([
        'CronJob/nightly',
        'Deployment/web',
        'NetworkPolicy/allow-egress',
        'NetworkPolicy/allow-web',
        'NetworkPolicy/default-deny',
        'PodDisruptionBudget/web',
        'PriorityClass/berth-normal',
        'Service/web',
        'ServiceAccount/nightly',
        'ServiceAccount/web',
      ]);
      expect([...ids(first), ...ids(rest)].sort()).toEqual(ids(all));
    },
    GIT_TIMEOUT,
  );

  test(
    'a new image is a new migration Job (a new name) in the next commit',
    async () => {
      // GIVEN production published with web 1.0.0
      const dir = checkout(box, 'local');
      await berth(box, '--repo', dir, '--env', 'production', '--file', platformFile(box, PLATFORM('registry.example.com/web:1.0.0')));
      const before = run(box.env, dir, ['show', 'HEAD:environments/production/resources.yaml']);
      // WHEN web moves to 1.1.0 (the migration inherits its image) and is published again
      const again = await berth(box, '--repo', dir, '--env', 'production', '--file', platformFile(box, PLATFORM('registry.example.com/web:1.1.0')));
      // THEN a commit replaces the Job by one with another hashed name running the new image
      expect(again.code).toBe(0);
      const after = run(box.env, dir, ['show', 'HEAD:environments/production/resources.yaml']);
      const jobOf = (text: string) => objects(text).find((o) => o.kind === 'Job')!;
      expect(jobOf(after).metadata.name).not.toBe(jobOf(before).metadata.name);
      expect(jobOf(after).spec.template.spec.containers[0].image).toBe('registry.example.com/web:1.1.0');
    },
    GIT_TIMEOUT,
  );
});
