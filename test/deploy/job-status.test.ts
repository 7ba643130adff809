import { isActiveJob, isBeforeDeploy, jobPodReason, jobVerdict, podForLogs } from '../../src/deploy/job-status.js';
import type { KubeObject } from '../../src/render/types.js';

const job = (status: Record<string, unknown>): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate-3f2a9c1b' }, status });
const pod = (name: string, created: string, status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, creationTimestamp: created } as KubeObject['metadata'],
  status,
});

describe('Job verdicts', () => {
  test('Complete and Failed conditions decide; anything else is running', () => {
    // GIVEN Jobs in each state WHEN judged THEN the controller's final conditions decide
    expect(jobVerdict(job({ completionTime: '2026-12-01T00:00:00Z', conditions: [{ type: 'Complete', status: 'True' }] }))).toEqual({
      state: 'complete',
      message: 'completed at 2026-12-01T00:00:00Z',
    });
    expect(
      jobVerdict(
        job({
          failed: 2,
          conditions: [
            { type: 'FailureTarget', status: 'True' },
            { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
          ],
        }),
      ),
    ).toEqual({ state: 'failed', message: 'failed: BackoffLimitExceeded (Job has reached the specified backoff limit)' });
    expect(jobVerdict(job({ active: 1, failed: 1, conditions: [{ type: 'Failed', status: 'False' }] }))).toEqual({
      state: 'running',
      message: '1 pod(s) running, 1 failed',
    });
    expect(jobVerdict(job({})).state).toBe('running');
  });

  test('only unfinished Jobs are active (prune leaves them alone)', () => {
    expect(isActiveJob(job({ active: 1 }))).toBe(true);
    expect(isActiveJob(job({ conditions: [{ type: 'Complete', status: 'True' }] }))).toBe(false);
    expect(isActiveJob(job({ conditions: [{ type: 'Failed', status: 'True' }] }))).toBe(false);
    expect(isActiveJob({ ...job({}), kind: 'Deployment' })).toBe(false);
  });

  test('migrations are recognised by their phase label', () => {
    expect(isBeforeDeploy({ metadata: { name: 'm', labels: { 'berth.dev/phase': 'before-deploy' } } })).toBe(true);
    expect(isBeforeDeploy({ metadata: { name: 'm', labels: { 'berth.dev/job': 'nightly' } } })).toBe(false);
  });
});

describe("why a Job's pod failed", () => {
  test('exit codes, waiting reasons and pod-level reasons, never a success', () => {
    expect(
      jobPodReason(
        pod('p1', 't1', {
          phase: 'Failed',
          containerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 1, reason: 'Error', message: 'relation "users" does not exist\n' } } }],
        }),
      ),
    ).toBe('pod p1: container migrate exited 1 (Error): relation "users" does not exist');
    expect(
      jobPodReason(
        pod('p2', 't2', {
          phase: 'Pending',
          containerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }],
        }),
      ),
    ).toBe('pod p2: container migrate ImagePullBackOff: not found');
    expect(
      jobPodReason(pod('p3', 't3', { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' })),
    ).toBe('pod p3: DeadlineExceeded (Pod was active on the node longer than the specified deadline)');
    expect(
      jobPodReason(
        pod('p4', 't4', { phase: 'Succeeded', containerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      ),
    ).toBeUndefined();
    expect(
      jobPodReason(pod('p5', 't5', { phase: 'Pending', containerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'ContainerCreating' } } }] })),
    ).toBeUndefined();
  });

  test('logs come from the newest pod that did not succeed', () => {
    const old = pod('old', '2026-12-01T00:00:00Z', { phase: 'Failed' });
    const newer = pod('newer', '2026-12-01T00:01:00Z', { phase: 'Failed' });
    const ok = pod('ok', '2026-12-01T00:02:00Z', { phase: 'Succeeded' });
    expect(podForLogs([old, ok, newer])!.metadata.name).toBe('newer');
    expect(podForLogs([ok])!.metadata.name).toBe('ok');
    expect(podForLogs([])).toBeUndefined();
  });
});
