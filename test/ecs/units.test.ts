import { CLOUD_SQL_PROXY_IMAGE as GKE_PROXY_IMAGE, CLOUD_SQL_PROXY_RESOURCES as GKE_PROXY_RESOURCES } from '../../src/constructs/sidecars.js';
import { CLOUD_SQL_PROXY_IMAGE, CLOUD_SQL_PROXY_RESOURCES } from '../../src/ecs/containers.js';
import { schedulerCron } from '../../src/ecs/cron.js';
import { cpuUnits, fargateSize, mebibytes } from '../../src/ecs/units.js';

describe('ECS units', () => {
  it('maps CPU requests to units (× 1024, rounded up) and memory to MiB', () => {
    // GIVEN Kubernetes quantities WHEN converted THEN ECS never reserves less than the pod requests
    expect(cpuUnits('250m')).toBe(256);
    expect(cpuUnits('100m')).toBe(103);
    expect(cpuUnits('1')).toBe(1024);
    expect(cpuUnits('0.5')).toBe(512);
    expect(mebibytes('512Mi')).toBe(512);
    expect(mebibytes('1Gi')).toBe(1024);
    expect(mebibytes('300M')).toBe(287);
  });

  it.each([
    // [cpu units, MiB, task cpu, task MiB, waste cpu, waste MiB]
    [103, 128, 256, 512, 153, 384],
    [256, 512, 256, 512, 0, 0],
    [256, 513, 256, 1024, 0, 511],
    [257, 512, 512, 1024, 255, 512],
    [256, 2049, 512, 3072, 256, 1023],
    [512, 4097, 1024, 5120, 512, 1023],
    [1024, 8193, 2048, 9216, 1024, 1023],
    [4096, 30721, 8192, 32768, 4096, 2047],
    [8193, 16384, 16384, 32768, 8191, 16384],
  ])('rounds %i units / %i MiB up to the Fargate size %i / %i', (cpu, mem, taskCpu, taskMem, wasteCpu, wasteMem) => {
    // GIVEN a task's summed limits WHEN sized for Fargate THEN the cheapest valid pair, and what is paid for but unused
    expect(fargateSize(cpu, mem)).toEqual({ cpu: taskCpu, memoryMiB: taskMem, wasteCpu, wasteMemoryMiB: wasteMem });
  });

  it('has no Fargate size above 16 vCPU / 120 GiB', () => {
    expect(fargateSize(16385, 1024)).toBeUndefined();
    expect(fargateSize(1024, 122881)).toBeUndefined();
  });

  it.each([
    ['30 2 * * *', 'cron(30 2 * * ? *)'],
    ['0 9 * * 1-5', 'cron(0 9 ? * MON-FRI *)'],
    ['0 0 * * 0,3', 'cron(0 0 ? * SUN,WED *)'],
    ['0 0 * * 5-7', 'cron(0 0 ? * FRI-SAT,SUN *)'],
    ['*/15 * 1 * *', 'cron(*/15 * 1 * ? *)'],
    ['@weekly', 'cron(0 0 ? * SUN *)'],
    ['@hourly', 'cron(0 * * * ? *)'],
  ])('converts cron %s to EventBridge %s', (cron, expression) => {
    expect(schedulerCron(cron)).toEqual({ expression });
  });

  it('reports schedules EventBridge cannot express', () => {
    expect(schedulerCron('0 0 1 * 1')).toEqual({ problem: expect.stringMatching(/both day-of-month and day-of-week/) });
    expect(schedulerCron('0 0 * * */2')).toEqual({ problem: expect.stringMatching(/steps through days of the week/) });
  });

  it('uses the same Cloud SQL proxy image and resources as the GKE rendering', () => {
    expect(CLOUD_SQL_PROXY_IMAGE).toBe(GKE_PROXY_IMAGE);
    expect(CLOUD_SQL_PROXY_RESOURCES).toEqual(GKE_PROXY_RESOURCES);
  });
});
