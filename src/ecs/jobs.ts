/**
 * Jobs on ECS: a cron job is a task definition run by an EventBridge Scheduler schedule; a migration
 * (beforeDeploy) gets its task definition only: nothing in CloudFormation runs a task before a service update.
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type { ResolvedJob } from '../declaration/jobs.js';
import { containersOf, totals } from './containers.js';
import { schedulerCron } from './cron.js';
import { DEFAULT_BACKOFF_LIMIT } from '../declaration/defaults.js';
import { DEFAULT_RUN_AS_ID } from './defaults.js';
import { EcsInputError } from './errors.js';
import type { Infra } from './infra.js';
import { buildTaskDefinition } from './task-definition.js';
import { fargateSize } from './units.js';

/** The job's task definition (containers as a service's: app first, then its sidecars). */
export function jobTask(infra: Infra, envName: string, job: ResolvedJob): ecs.TaskDefinition {
  const containers = containersOf({ ...job, name: job.name, image: job.image }, []);
  const sum = totals(containers);
  const fargate = infra.launch === 'fargate' ? fargateSize(sum.cpu, sum.limit) : undefined;
  if (infra.launch === 'fargate' && fargate === undefined)
    throw new EcsInputError(
      `job "${job.name}" needs ${sum.cpu} CPU units and ${sum.limit} MiB, above the largest Fargate task; lower its cpu/memory or use --launch ec2`,
    );
  const user = `${DEFAULT_RUN_AS_ID}:${DEFAULT_RUN_AS_ID}`;
  return buildTaskDefinition(infra, `${job.name}Task`, { family: `${envName}-${job.name}`, containers, fargate, user, volumes: [], stopTimeoutSeconds: 30 });
}

/** A schedule running the job's task once per tick; undefined (reported by the mapping) when the cron cannot be expressed. */
export function jobSchedule(infra: Infra, envName: string, job: ResolvedJob, task: ecs.TaskDefinition): scheduler.Schedule | undefined {
  const cron = schedulerCron(job.schedule!);
  if ('problem' in cron) return undefined;
  const common = {
    taskDefinition: task,
    taskCount: 1,
    retryAttempts: job.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
    maxEventAge: job.startingDeadlineSeconds === undefined ? undefined : Duration.seconds(Math.min(86400, Math.max(60, job.startingDeadlineSeconds))),
  };
  const target =
    infra.launch === 'fargate'
      ? new targets.EcsRunFargateTask(infra.cluster, {
          ...common,
          securityGroups: [infra.taskSecurityGroup],
          vpcSubnets: { subnets: infra.vpc.privateSubnets },
        })
      : new targets.EcsRunEc2Task(infra.cluster, {
          ...common,
          capacityProviderStrategies: [{ capacityProvider: infra.capacityProvider!.capacityProviderName, weight: 1 }],
        });
  return new scheduler.Schedule(infra.stack, `${job.name}Schedule`, {
    scheduleName: `${envName}-${job.name}`,
    description: `berth job ${job.name} (${job.schedule})`,
    schedule: scheduler.ScheduleExpression.expression(cron.expression, job.timeZone ? TimeZone.of(job.timeZone) : TimeZone.ETC_UTC),
    target,
  });
}
