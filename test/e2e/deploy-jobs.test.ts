/**
 * Jobs on the real control plane: migrations run after the preflight and complete before any Deployment's pod
 * template changes (asserted from the API: Job completionTime vs ReplicaSet creationTimestamp); a failing migration
 * stops the deploy (exit 8, the pod's reason printed, no Deployment changed); CronJobs are applied. kwok plays the
 * kubelet: Job pods complete, or fail when their image contains "berth-test-fail" (test/cluster/stages/pod-fail.yaml).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.js';
import type { JobDeclaration, PlatformDeclaration } from '../../src/declaration/types.js';
import { adminClient, clusterState, deleteNamespace, deploy, render, uniqueNamespace } from '../deploy/e2e-helpers.js';
import { sink } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tester = adminClient();
const ns = uniqueNamespace('e2e-jobs');
const dir = mkdtempSync(join(tmpdir(), 'berth-jobs-'));

afterAll(async () => {
  await deleteNamespace(tester, ns);
  tester.close();
  rmSync(dir, { recursive: true, force: true });
});

function platform(webImage: string, migrate: Partial<JobDeclaration> = {}): PlatformDeclaration {
  return {
    environments: { production: { namespace: ns } },
    services: [
      {
        name: 'web',
        image: webImage,
        port: 8000,
        health: '/healthz',
        memory: '64Mi',
        cpu: '10m',
        replicas: 1,
        env: { DJANGO_SETTINGS_MODULE: 'shop.settings' },
      },
      { name: 'worker', image: 'registry.example.com/worker:1.0.0', memory: '64Mi', cpu: '10m', replicas: 1 },
    ],
    jobs: [
      {
        name: 'migrate',
        from: 'web',
        command: ['python', 'manage.py', 'migrate'],
        memory: '64Mi',
        cpu: '10m',
        beforeDeploy: true,
        timeoutSeconds: 120,
        ...migrate,
      },
      { name: 'nightly', from: 'web', command: ['python', 'manage.py', 'report'], memory: '64Mi', cpu: '10m', schedule: '0 3 * * *', timeZone: 'Europe/Paris' },
    ],
  };
}

const get = <T = Json>(path: string) => tester.request<T>({ method: 'GET', path });
const list = async (path: string): Promise<Json[]> => (await get<{ items: Json[] }>(path)).items;
const jobs = () => list(`/apis/batch/v1/namespaces/${ns}/jobs`);
const deployments = () => list(`/apis/apps/v1/namespaces/${ns}/deployments`);

/** ReplicaSets of `deployment` whose pod template runs `image`. */
async function replicaSets(deployment: string, image?: string): Promise<Json[]> {
  const all = await list(`/apis/apps/v1/namespaces/${ns}/replicasets`);
  return all.filter(
    (rs) =>
      rs.metadata.ownerReferences?.some((o: Json) => o.name === deployment) && (image === undefined || rs.spec.template.spec.containers[0].image === image),
  );
}

const seconds = (t: string) => Date.parse(t);

describe('jobs on the control plane', () => {
  it('a migration completes before any Deployment pod template changes; the CronJob is applied; a no-op redeploy writes nothing', async () => {
    // GIVEN a first deploy of web 1.0.0 with its migration and a nightly CronJob
    const v1 = await deploy(tester, render(platform('registry.example.com/web:1.0.0')));
    const [first] = await jobs();
    expect(first.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    // THEN the migration completed before the first ReplicaSets existed
    const completed = first.status.completionTime as string;
    expect(completed).toBeDefined();
    for (const d of ['web', 'worker'])
      for (const rs of await replicaSets(d)) expect(seconds(completed)).toBeLessThanOrEqual(seconds(rs.metadata.creationTimestamp));
    expect(v1.reporter.events).toContainEqual(expect.objectContaining({ type: 'phase', name: 'migrate' }));
    // AND the CronJob is there with its schedule and time zone
    const cron = await get(`/apis/batch/v1/namespaces/${ns}/cronjobs/nightly`);
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid' });

    // WHEN web moves to 1.1.0 (the migration inherits the image, so it is a new Job)
    await deploy(tester, render(platform('registry.example.com/web:1.1.0')));
    // THEN the new Job completed no later than the ReplicaSet of the new pod template was created
    const second = (await jobs()).find((j) => j.metadata.name !== first.metadata.name)!;
    expect(second.spec.template.spec.containers[0].image).toBe('registry.example.com/web:1.1.0');
    const [newRs] = await replicaSets('web', 'registry.example.com/web:1.1.0');
    expect(newRs).toBeDefined();
    expect(seconds(second.status.completionTime)).toBeLessThanOrEqual(seconds(newRs.metadata.creationTimestamp));
    // AND the finished Job of the previous release was pruned
    expect((await jobs()).map((j) => j.metadata.name)).toEqual([second.metadata.name]);

    // WHEN the same release is deployed again THEN nothing is written (the completed Job is up to date, not rerun)
    const c = adminClient();
    const again = await deploy(c, render(platform('registry.example.com/web:1.1.0')));
    expect(again.applied).toEqual([]);
    expect(c.counters.writes).toBe(0);
    c.close();

    // WHEN the Job is gone (as after its ttlSecondsAfterFinished) and the release is deployed again
    await tester.request({ method: 'DELETE', path: `/apis/batch/v1/namespaces/${ns}/jobs/${second.metadata.name}`, body: { propagationPolicy: 'Background' } });
    const deps = new Map((await deployments()).map((d) => [d.metadata.name, d.metadata.resourceVersion]));
    const rerun = await deploy(tester, render(platform('registry.example.com/web:1.1.0')));
    // THEN the migration runs again under the same name (migrations are idempotent) and nothing else is written
    expect(rerun.applied).toEqual([`Job ${ns}/${second.metadata.name}`]);
    expect((await get(`/apis/batch/v1/namespaces/${ns}/jobs/${second.metadata.name}`)).status.succeeded).toBe(1);
    expect(new Map((await deployments()).map((d) => [d.metadata.name, d.metadata.resourceVersion]))).toEqual(deps);
  });

  it("a failing migration stops the deploy: exit 8, the pod's reason printed, no Deployment changed", async () => {
    // GIVEN the environment at web 1.1.0, and a release 1.2.0 whose migration exits 1
    const before = new Map((await deployments()).map((d) => [d.metadata.name, d.metadata.resourceVersion]));
    const file = join(dir, 'platform.yaml');
    writeFileSync(file, stringify(platform('registry.example.com/web:1.2.0', { image: 'registry.example.com/migrate:berth-test-fail', backoffLimit: 0 })));
    // WHEN berth deploy runs
    const stdout = sink();
    const stderr = sink();
    const code = await runCli(['deploy', '--kubeconfig', clusterState().kubeconfig, '--file', file, '--env', 'production', '--timeout', '120s'], {
      stdout,
      stderr,
      cwd: dir,
      env: {},
      signal: new AbortController().signal,
    });
    // THEN it exits 8 naming the Job, why its pod failed, and what happened to the logs
    const out = stdout.text + stderr.text;
    expect(code).toBe(8);
    expect(out).toMatch(/migration Job .*\/migrate-[0-9a-f]{8} failed: BackoffLimitExceeded/);
    expect(out).toMatch(/pod migrate-[0-9a-f]{8}-\w+: container migrate exited 1 \(Error\)/);
    expect(out).toMatch(/nothing else was applied/);
    expect(out).toMatch(/last log lines of pod|logs of pod .* unavailable/);
    // AND no Deployment changed (same resourceVersions, still 1.1.0)
    const after = await deployments();
    expect(new Map(after.map((d) => [d.metadata.name, d.metadata.resourceVersion]))).toEqual(before);
    expect(after.find((d) => d.metadata.name === 'web')!.spec.template.spec.containers[0].image).toBe('registry.example.com/web:1.1.0');
    console.log(`failed migration output:\n${out}`);
  });
});
