import { drainTimings } from '../../src/constructs/drain-budget.js';
import { preStopLifecycle } from '../../src/constructs/pre-stop.js';
import { renderPlatform } from '../../src/render/render.js';
import { checkPodBearing } from '../../src/render/pod-checks.js';
import { env, find, platform, service } from '../helpers.js';

const deploymentOf = (overrides: Parameters<typeof service>[0]) =>
  find(env(renderPlatform(platform([service(overrides)])), 'production').objects, 'Deployment', 'api');
const appOf = (overrides: Parameters<typeof service>[0]) => deploymentOf(overrides).spec.template.spec.containers[0];

describe('preStop and drainSleepSeconds', () => {
  test('a service with a port and no command keeps the native sleep of half the drain budget', () => {
    // GIVEN the defaults WHEN rendered THEN the sleep is 15 s of a 30 s budget, grace 60 s
    expect(appOf({}).lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(deploymentOf({}).spec.template.spec.terminationGracePeriodSeconds).toBe(60);
  });

  test('drainSleepSeconds is its own setting: a long drain budget no longer delays every shutdown', () => {
    // GIVEN a 300 s drain budget for long requests and a 10 s sleep
    const d = deploymentOf({ drainSeconds: 300, drainSleepSeconds: 10 });
    // THEN the sleep is 10 s while the grace period still covers the budget
    expect(d.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(330);
    expect(drainTimings(300, 10)).toEqual({ preStopSleepSeconds: 10, connectionDrainingSeconds: 300, terminationGracePeriodSeconds: 330 });
  });

  test('drainSleepSeconds: 0 removes the hook of a service without a command', () => {
    expect(appOf({ drainSleepSeconds: 0 }).lifecycle).toBeUndefined();
  });

  test('a command on a service with a port runs through /bin/sh, then the drain sleep', () => {
    // GIVEN Sidekiq-style quiet before TERM
    const lifecycle = appOf({ preStop: ['bundle', 'exec', 'sidekiqctl', 'quiet'] }).lifecycle;
    // THEN one exec handler runs the command with its arguments intact, then sleeps 15 s
    expect(lifecycle).toEqual({
      preStop: { exec: { command: ['/bin/sh', '-c', '"$@"; exec sleep 15', 'pre-stop', 'bundle', 'exec', 'sidekiqctl', 'quiet'] } },
    });
  });

  test('a command on a worker, or with drainSleepSeconds 0, is exec of the command alone (no shell needed)', () => {
    // GIVEN a worker (no port) with a command THEN exec of the command, no sleep
    expect(appOf({ port: undefined, host: undefined, health: undefined, preStop: ['/app/quiet'] }).lifecycle).toEqual({
      preStop: { exec: { command: ['/app/quiet'] } },
    });
    // AND a service opting out of the sleep gets the same
    expect(appOf({ preStop: ['/app/quiet'], drainSleepSeconds: 0 }).lifecycle).toEqual({ preStop: { exec: { command: ['/app/quiet'] } } });
  });

  test('a worker without a command has no hook, and the rendered Deployment passes the pod checks', () => {
    expect(preStopLifecycle({ port: undefined }, drainTimings())).toBeUndefined();
    expect(checkPodBearing(deploymentOf({ preStop: ['/app/quiet'], drainSeconds: 60, drainSleepSeconds: 5 }) as never)).toEqual([]);
  });
});
