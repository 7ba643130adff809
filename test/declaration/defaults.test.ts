/**
 * Defaults resolved once (src/declaration/defaults.ts): a declaration that leaves a field out gets the same
 * value on every stage that reads it — the GKE rendering, the ECS stage and `berth init` — and the one
 * distinctive literal (the pod UID) appears nowhere else in the source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as d from '../../src/declaration/defaults.js';
import { planService } from '../../src/ecs/plan.js';
import { synthEcs } from '../../src/ecs/synth.js';
import { starterPlatform } from '../../src/init/starter.js';
import { renderPlatform } from '../../src/render/render.js';
import { find, kinds, platform, service } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A service that declares none of the defaulted fields. */
const bare = service({ name: 'api', replicas: undefined });
const migrate = { name: 'migrate', from: 'api', command: ['migrate'], memory: '256Mi', cpu: '100m', beforeDeploy: true };
const nightly = { name: 'nightly', from: 'api', command: ['report'], memory: '256Mi', cpu: '100m', schedule: '0 3 * * *' };

describe('defaults resolved once', () => {
  // GIVEN a platform whose environment has no namespace and whose services and job leave every defaulted field out
  const decl = {
    ...platform(
      [
        bare,
        service({ name: 'cron', host: 'cron.example.com', singleton: true, replicas: undefined }),
        service({ name: 'auto', host: 'auto.example.com', replicas: undefined, autoscaling: { min: 2, max: 4 } }),
      ],
      { staging: {} },
    ),
    jobs: [migrate, nightly],
  };
  const objects = renderPlatform(decl)[0].objects;

  test('GKE rendering: namespace, replicas, pod IDs, drain, backend timeout, CPU target and job retries come from the defaults', () => {
    // WHEN rendered THEN every default shows up in the objects
    expect(find(objects, 'Namespace', 'staging')).toBeDefined();
    const api = find(objects, 'Deployment', 'api');
    expect(api.metadata.namespace).toBe('staging');
    expect(api.spec.replicas).toBe(d.DEFAULT_REPLICAS);
    expect(find(objects, 'Deployment', 'cron').spec.replicas).toBe(d.SINGLETON_REPLICAS);
    const pod = api.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: d.DEFAULT_RUN_AS_ID, runAsGroup: d.DEFAULT_RUN_AS_ID });
    expect(pod.terminationGracePeriodSeconds).toBe(d.DEFAULT_DRAIN_SECONDS + d.APP_SHUTDOWN_MARGIN_SECONDS);
    expect(find(objects, 'BackendConfig', 'api').spec.timeoutSec).toBe(d.DEFAULT_TIMEOUT_SECONDS);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'auto');
    expect(hpa.spec.metrics).toEqual([
      expect.objectContaining({ resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: d.DEFAULT_CPU_PERCENT } } }),
    ]);
    expect(kinds(objects, 'Job')[0].spec.backoffLimit).toBe(d.DEFAULT_BACKOFF_LIMIT);
    expect(find(objects, 'CronJob', 'nightly').spec.jobTemplate.spec.backoffLimit).toBe(d.DEFAULT_BACKOFF_LIMIT);
  });

  test('ECS stage: the same replicas, user, drain, CPU target, idle timeout and job retries', () => {
    // WHEN the ECS stage plans and synthesizes the same declaration THEN it reads the same defaults
    const plan = planService(bare, 'fargate');
    expect(plan).toMatchObject({
      desiredCount: d.DEFAULT_REPLICAS,
      user: `${d.DEFAULT_RUN_AS_ID}:${d.DEFAULT_RUN_AS_ID}`,
      drainSeconds: d.DEFAULT_DRAIN_SECONDS,
    });
    expect(planService(service({ singleton: true, replicas: undefined }), 'fargate').desiredCount).toBe(d.SINGLETON_REPLICAS);
    expect(planService(service({ replicas: undefined, autoscaling: { min: 2, max: 4 } }), 'fargate').autoscaling!.cpuPercent).toBe(d.DEFAULT_CPU_PERCENT);
    const template = JSON.parse(synthEcs(decl, 'staging', { launch: 'fargate' }).templateJson) as Json;
    const resources = Object.values<Json>(template.Resources);
    const alb = resources.find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer')!;
    expect(alb.Properties.LoadBalancerAttributes).toContainEqual({ Key: 'idle_timeout.timeout_seconds', Value: String(d.DEFAULT_TIMEOUT_SECONDS) });
    const schedules = resources.filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules.map((r) => r.Properties.Target.RetryPolicy.MaximumRetryAttempts)).toEqual([d.DEFAULT_BACKOFF_LIMIT]);
  });

  test('berth init writes the default replica count', () => {
    expect(starterPlatform()).toContain(`    replicas: ${d.DEFAULT_REPLICAS}\n`);
  });

  test('the default pod UID is written only in defaults.ts', () => {
    // GIVEN every TypeScript file under src/, comments removed
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const code = (f: string) =>
      readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|\s)\/\/.*$/gm, '');
    // THEN the literal appears in the defaults module and nowhere else
    const holders = files('src').filter((f) => code(f).includes(String(d.DEFAULT_RUN_AS_ID)));
    expect(holders).toEqual([join('src', 'declaration', 'defaults.ts')]);
  });
});
