import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import type { JobDeclaration, PlatformDeclaration } from '../../src/declaration/types.js';
import { renderChart, renderPlatform } from '../../src/render/render.js';
import { env, find, service } from '../helpers.js';

const NIGHTLY: JobDeclaration = { name: 'nightly', image: 'registry.example.com/report:2.0.0', schedule: '30 2 * * *', memory: '128Mi', cpu: '50m' };

function rendered(job: Partial<JobDeclaration> = {}) {
  const p: PlatformDeclaration = {
    environments: { production: { namespace: 'production', layout: 'per-service' } },
    services: [service()],
    jobs: [{ ...NIGHTLY, ...job }],
  };
  return env(renderPlatform(p), 'production');
}

describe('CronJob', () => {
  test('schedule, Forbid by default, bounded history, a deadline per run', () => {
    // GIVEN a scheduled job with defaults WHEN rendered
    const cron = find(rendered().objects, 'CronJob', 'nightly');
    // THEN the CronJob carries the schedule and berth's defaults, without a time zone or starting deadline
    expect(cron.spec).toMatchObject({ schedule: '30 2 * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cron.spec.timeZone).toBeUndefined();
    expect(cron.spec.startingDeadlineSeconds).toBeUndefined();
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 3600 });
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('declared timeZone, concurrencyPolicy, startingDeadlineSeconds, timeoutSeconds and backoffLimit', () => {
    const cron = find(
      rendered({ timeZone: 'Europe/Paris', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 300, timeoutSeconds: 900, backoffLimit: 3 }).objects,
      'CronJob',
      'nightly',
    );
    expect(cron.spec).toMatchObject({ timeZone: 'Europe/Paris', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 300 });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 900 });
  });

  test('a restricted pod under its own ServiceAccount, no hooks, in job-<name>.yaml (layout: per-service)', () => {
    const r = rendered();
    const cron = find(r.objects, 'CronJob', 'nightly');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('nightly');
    expect(find(r.objects, 'ServiceAccount', 'nightly').automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].resources.limits.memory).toBe('128Mi');
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    // THEN it is neither a hook nor part of the before-deploy phase
    expect(cron.metadata.annotations).toBeUndefined();
    expect(cron.metadata.labels['berth.dev/phase']).toBeUndefined();
    expect(r.files.map((f) => f.path)).toContain('job-nightly.yaml');
  });
});

describe('render checks on jobs', () => {
  test('a Job or CronJob added through an escape hatch is held to the restricted pod rules', () => {
    // GIVEN an environment chart with a hand-made CronJob whose pod has no security context
    const chart = new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service()] });
    const pod = { restartPolicy: 'Never', containers: [{ name: 'x', image: 'registry.example.com/x:1.0.0' }] };
    new cdk8s.ApiObject(chart, 'raw-cron', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'raw', namespace: 'production' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: pod } } } },
    });
    new cdk8s.ApiObject(chart, 'raw-job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'raw', namespace: 'production' },
      spec: { template: { spec: pod } },
    });
    // WHEN rendered THEN both are refused with the pod problems named
    expect(() => renderChart('production', 'production', chart)).toThrow(
      /CronJob "raw": spec\.jobTemplate\.spec\.template\.spec\.containers\[0\] \("x"\)\.securityContext\.seccompProfile\.type must be RuntimeDefault[\s\S]*Job "raw": spec\.template\.spec\.containers\[0\] \("x"\)\.resources needs a memory request and limit/,
    );
  });
});
