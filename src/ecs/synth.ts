/**
 * `synthEcs`: one environment of a validated declaration as an environment-agnostic CloudFormation template,
 * built with aws-cdk-lib and synthesized offline (no context lookups, no credentials, no assets), plus the
 * feature mapping and each task's capacity. Loads aws-cdk-lib: import it lazily (only `berth ecs`/`compare` do).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, BootstraplessSynthesizer, Stack } from 'aws-cdk-lib';
import { DEFAULT_TIMEOUT_SECONDS } from '../declaration/defaults.js';
import { effectiveServices, hostsOf, namespaceOf } from '../declaration/effective.js';
import { resolvedJobs } from '../declaration/jobs.js';
import type { PlatformDeclaration } from '../declaration/types.js';
import { EcsInputError } from './errors.js';
import { buildInfra } from './infra.js';
import { jobSchedule, jobTask } from './jobs.js';
import { MappingLog } from './mapping-log.js';
import { mapEnvironment, mapJob, mappingMarkdown, mapRoutes, mapService } from './mapping.js';
import { FargateSizeError, planService, taskSummary, type ServicePlan } from './plan.js';
import { addRules, prioritizedRoutes } from './routes.js';
import { buildService } from './service.js';
import { ECS_LAUNCHES, type EcsOptions, type EcsSynthResult, type SynthEcs } from './types.js';

export const synthEcs: SynthEcs = (platform: PlatformDeclaration, env: string, options: EcsOptions): EcsSynthResult => {
  const plans = checkedPlans(platform, env, options);
  const log = new MappingLog();
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'berth-ecs-')),
    analyticsReporting: false,
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:enable-path-metadata': false },
  });
  try {
    const stack = new Stack(app, `berth-${env}`, {
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
      description: `berth: environment ${env} on ECS (${options.launch})`,
    });
    buildStack(stack, platform, env, options, plans, log);
    const template = app.synth().getStackByName(stack.stackName).template as object;
    const templateJson = `${JSON.stringify(template, null, 2)}\n`;
    return {
      template,
      templateJson,
      mapping: log.entries,
      mappingMarkdown: mappingMarkdown(env, options.launch, log.entries),
      tasks: plans.map(taskSummary).sort((a, b) => (a.service < b.service ? -1 : 1)),
    };
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
};

function checkedPlans(platform: PlatformDeclaration, env: string, options: EcsOptions): ServicePlan[] {
  if (!ECS_LAUNCHES.includes(options.launch)) throw new EcsInputError(`--launch "${String(options.launch)}" is not a launch type; use ec2 or fargate`);
  const names = Object.keys(platform.environments);
  if (!names.includes(env)) throw new EcsInputError(`environment "${env}" is not declared; declared: ${names.join(', ')}. Fix: pass one of them with --env`);
  const services = effectiveServices(platform, env).map((e) => e.service);
  if (services.length === 0)
    throw new EcsInputError(
      `environment "${env}" runs no services (every one is disabled there); nothing to put on ECS. Fix: enable a service in it, or pick another --env`,
    );
  try {
    const tls = platform.environments[env].tls !== undefined;
    return services.map((s) => planService(s, options.launch, tls));
  } catch (e) {
    if (e instanceof FargateSizeError) throw new EcsInputError(e.message);
    throw e;
  }
}

function buildStack(stack: Stack, platform: PlatformDeclaration, env: string, options: EcsOptions, plans: readonly ServicePlan[], log: MappingLog): void {
  const publicPlans = plans.filter((p) => p.health !== undefined);
  const routes = prioritizedRoutes(publicPlans.map((p) => p.service));
  const tls = platform.environments[env].tls !== undefined;
  const idle = Math.max(DEFAULT_TIMEOUT_SECONDS, ...publicPlans.map((p) => p.service.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS));
  const infra = buildInfra(stack, {
    launch: options.launch,
    namespace: namespaceOf(platform, env),
    publicRoutes: routes.length > 0,
    tls,
    idleTimeoutSeconds: idle,
    envName: env,
  });
  const targets = new Map();
  for (const plan of plans) {
    const built = buildService(infra, env, plan);
    if (built.targetGroup) targets.set(plan.service.name, built.targetGroup);
    mapService(log, plan, options.launch);
  }
  if (infra.listener) addRules(infra.listener, routes, targets);
  mapRoutes(log, routes, tls);
  mapEnvironment(log, platform.environments[env], namespaceOf(platform, env));
  for (const job of resolvedJobs(platform, env)) {
    const task = jobTask(infra, env, job);
    if (job.schedule !== undefined) jobSchedule(infra, env, job, task);
    mapJob(log, job);
  }
  for (const p of plans) {
    if (hostsOf(p.service).length > 0 && p.health === undefined)
      log.unsupported(
        `${p.service.name}: host`,
        `public ${p.service.protocol} route on the Ingress`,
        'not routed: an ALB forwards HTTP/2 and gRPC only from an HTTPS listener, and the environment has no tls',
      );
  }
}
