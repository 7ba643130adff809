/** mapping.md: every declared feature of the environment and how it mapped to ECS, or why it could not. */
import { describeCheck, livenessOf, readinessOf } from '../declaration/probes.js';
import { referencesIn } from '../declaration/env-refs.js';
import type { ResolvedJob } from '../declaration/jobs.js';
import type { EnvironmentDeclaration, ServiceDeclaration } from '../declaration/types.js';
import { stopTimeoutOf } from './stop.js';
import { schedulerCron } from './cron.js';
import type { MappingLog } from './mapping-log.js';
import type { ServicePlan } from './plan.js';
import type { PrioritizedRoute } from './routes.js';
import type { EcsLaunch, EcsMappingEntry } from './types.js';

export function mapService(log: MappingLog, plan: ServicePlan, launch: EcsLaunch): void {
  const s = plan.service;
  const f = (what: string): string => `${s.name}: ${what}`;
  const c = plan.containers[0];
  log.mapped(
    f('memory / memoryLimit / cpu'),
    `requests ${s.memory} / limits ${s.memoryLimit ?? s.memory}, cpu ${s.cpu}`,
    `${c.memoryReservationMiB < c.memoryLimitMiB ? `memoryReservation ${c.memoryReservationMiB} MiB, ` : ''}memory ${c.memoryLimitMiB} ` +
      `MiB${c.memoryReservationMiB < c.memoryLimitMiB ? '' : ' (= request: placement reserves it)'}, cpu ${c.cpu} units`,
  );
  if (plan.fargate)
    log.partial(
      f('Fargate task size'),
      'pod packed on nodes by requests',
      `task ${plan.fargate.cpu} CPU / ${plan.fargate.memoryMiB} MiB, billed whole (${plan.fargate.wasteCpu} units, ${plan.fargate.wasteMemoryMiB} MiB unused)`,
    );
  const replicas = plan.autoscaling
    ? `autoscaling ${plan.autoscaling.min}-${plan.autoscaling.max} at ${plan.autoscaling.cpuPercent}% CPU`
    : `${plan.desiredCount} replicas`;
  log.mapped(
    f('replicas'),
    replicas,
    plan.autoscaling ? `DesiredCount ${plan.desiredCount} + Application Auto Scaling target tracking` : `DesiredCount ${plan.desiredCount}`,
  );
  log.mapped(
    f('rollout'),
    s.singleton ? 'Recreate (singleton)' : 'RollingUpdate maxUnavailable 0',
    `minimumHealthyPercent ${plan.minHealthyPercent}, maximumPercent ${plan.maxPercent}, circuit breaker with rollback`,
  );
  mapNetwork(log, plan, launch);
  mapPod(log, s);
}

function mapNetwork(log: MappingLog, plan: ServicePlan, launch: EcsLaunch): void {
  const s = plan.service;
  const f = (what: string): string => `${s.name}: ${what}`;
  if (plan.port === undefined) {
    log.mapped(f('worker'), 'Deployment, no Service', 'ECS service with no target group (Service Connect client only)');
    return mapStop(log, plan);
  }
  log.mapped(
    f('port'),
    `containerPort ${plan.port}, Service port ${plan.servicePort}`,
    `${launch === 'ec2' ? 'bridge, hostPort 0 (dynamic)' : 'awsvpc'}; Service Connect ${s.name}:${plan.servicePort}`,
  );
  if (plan.health) {
    const h = plan.health;
    const check = readinessOf(s)!;
    const gap =
      check.kind === 'tcp'
        ? ': an ALB cannot TCP-check, any HTTP answer counts'
        : check.grpcService
          ? ": an ALB sends an empty request, so the server's overall status is checked, not one service"
          : '';
    log[gap ? 'partial' : 'mapped'](
      f('health'),
      `readiness ${describeCheck(s, check)}`,
      `target group ${h.protocol} ${h.protocolVersion} check ${h.path} (matcher ${h.matcher})${gap}`,
    );
    log.mapped(f('drain'), `connection draining ${plan.drainSeconds} s`, `deregistration_delay.timeout_seconds ${plan.drainSeconds}`);
  } else
    log.partial(
      f('readiness'),
      `readiness ${describeCheck(s, readinessOf(s))}`,
      'internal service: Service Connect routes to running tasks; no readiness gate',
    );
  if (livenessOf(s))
    log.unsupported(
      f('liveness'),
      `liveness ${describeCheck(s, livenessOf(s))}`,
      'ECS container health checks run a command inside the image (curl may not exist there); not emitted',
    );
  mapStop(log, plan);
  if (s.startupSeconds !== undefined)
    log.mapped(
      f('startupSeconds'),
      `startup probe ${s.startupSeconds} s`,
      plan.health ? `healthCheckGracePeriod ${s.startupSeconds} s` : 'nothing to delay (no load balancer check)',
    );
  if (s.timeoutSeconds !== undefined)
    log.partial(f('timeoutSeconds'), `BackendConfig timeoutSec ${s.timeoutSeconds}`, 'ALB idle timeout is per load balancer: the largest of the environment');
  for (const p of s.ports ?? [])
    if ((p.protocol ?? 'TCP') === 'UDP') log.unsupported(f(`port ${p.name}`), `UDP port ${p.port}`, 'not emitted: Service Connect and ALB carry TCP only');
  if (s.backendTls) log.mapped(f('backendTls'), 'LB speaks TLS to the pod', 'target group protocol HTTPS');
}

/** GKE: preStop sleep + termination grace (drain + 30 s); ECS: SIGTERM at once, SIGKILL after stopTimeout (at most 120 s). */
function mapStop(log: MappingLog, plan: ServicePlan): void {
  const grace = plan.drainSeconds + 30;
  const stop = stopTimeoutOf(plan.drainSeconds);
  const ecs = `stopTimeout ${stop} s${stop < grace ? ' (ECS maximum)' : ''}; no preStop sleep: SIGTERM arrives while the target deregisters`;
  log.partial(
    `${plan.service.name}: shutdown`,
    `preStop sleep ${Math.max(1, Math.ceil(plan.drainSeconds / 2))} s, terminationGracePeriodSeconds ${grace}`,
    ecs,
  );
}

function mapPod(log: MappingLog, s: ServiceDeclaration): void {
  const f = (what: string): string => `${s.name}: ${what}`;
  for (const [name, ref] of Object.entries(s.secretEnv ?? {}))
    log.mapped(
      f(`secretEnv ${name}`),
      `secretKeyRef ${ref.secret}/${ref.key}`,
      `secrets valueFrom Secrets Manager <SecretNamePrefix>${ref.secret}, JSON key ${ref.key}`,
    );
  const refs = Object.entries(s.env ?? {})
    .filter(([, v]) => referencesIn(v).length > 0)
    .map(([k]) => k);
  if (refs.length)
    log.partial(f(`env ${refs.join(', ')}`), 'Kubernetes expands $(VAR) references', 'ECS passes the value literally: expand it in the entrypoint');
  for (const c of s.sidecars ?? []) log.mapped(f(`sidecar ${c.name}`), 'native sidecar (starts first)', `container ${c.name}, app dependsOn it (START)`);
  if (s.cloudSql)
    log.partial(
      f('cloudSql'),
      `Cloud SQL Auth Proxy, Workload Identity (${s.gcpServiceAccount ?? 'no GSA'})`,
      'proxy container the app dependsOn; no Workload Identity on AWS: key from Secrets Manager <SecretNamePrefix>cloud-sql-proxy, JSON key credentials',
    );
  if (s.gcpServiceAccount && !s.cloudSql)
    log.partial(f('gcpServiceAccount'), `Workload Identity ${s.gcpServiceAccount}`, 'an IAM task role per task definition; grant it what the GSA had');
  for (const m of s.mounts ?? []) {
    if (m.emptyDir) log.partial(f(`mount ${m.path}`), `emptyDir ${m.emptyDir}`, 'task-scoped volume, no size limit');
    else
      log.unsupported(
        f(`mount ${m.path}`),
        `${m.secret ? 'Secret' : 'ConfigMap'} ${m.secret ?? m.configMap} mounted read-only`,
        'ECS mounts no secret/config files; read them as secretEnv or bake them into the image',
      );
  }
  if (s.storage)
    log.unsupported(
      f('storage'),
      `PersistentVolumeClaim ${s.storage.size} at ${s.storage.path}`,
      'task-scoped volume only: data is lost when the task stops (ECS-managed EBS volumes not emitted)',
    );
  if (s.nodeSelector || s.tolerations)
    log.unsupported(f('nodeSelector / tolerations'), 'node placement', 'not emitted: ECS placement constraints use instance attributes, not node labels');
  if (s.podAnnotations) log.unsupported(f('podAnnotations'), 'pod annotations', 'not emitted: no ECS equivalent');
  if (s.fsGroup !== undefined) log.unsupported(f('fsGroup'), `fsGroup ${s.fsGroup}`, 'not emitted: ECS volumes have no group ownership setting');
}

export function mapRoutes(log: MappingLog, routes: readonly PrioritizedRoute[], tls: boolean): void {
  for (const r of routes)
    log.mapped(
      `route ${r.host}${r.path}`,
      `Ingress rule → ${r.service}:${r.port}`,
      `listener rule priority ${r.priority}: host-header ${r.host}${r.patterns.length ? `, path-pattern ${r.patterns.join(' ')}` : ''} → ${r.service}`,
    );
  if (routes.length > 100)
    log.partial(
      'rules per load balancer',
      `${routes.length} rules on one Ingress`,
      'over the ALB default quota of 100 rules: raise it or split the environment',
    );
  if (tls)
    log.partial(
      'TLS',
      'ManagedCertificate per host, HTTP→HTTPS redirect',
      'HTTPS listener with the CertificateArn parameter (ACM, covering every host), HTTP listener redirects to HTTPS',
    );
}

/** The environment's own fields, and what every task gets on ECS that berth's sizes leave out. */
export function mapEnvironment(log: MappingLog, env: EnvironmentDeclaration, namespace: string): void {
  log.mapped('namespace', `namespace ${namespace}`, `ECS cluster + Service Connect (Cloud Map) namespace ${namespace}`);
  if (env.staticIp) log.unsupported('staticIp', `global static IP ${env.staticIp}`, 'an ALB has no static IP: point DNS at its name (alias record)');
  if (env.tls?.sslPolicy) log.partial('tls.sslPolicy', `SSL policy ${env.tls.sslPolicy}`, 'the ALB uses the recommended TLS 1.2/1.3 policy');
  if (env.tls?.preSharedCerts?.length) log.partial('tls.preSharedCerts', env.tls.preSharedCerts.join(', '), 'one ACM certificate (CertificateArn parameter)');
  if (env.tls?.redirectHttps === false) log.partial('tls.redirectHttps', 'HTTP served as well as HTTPS', 'HTTP listener always redirects to HTTPS');
  log.partial(
    'Service Connect agent',
    'no mesh sidecar',
    'ECS adds an Envoy agent to every task; AWS recommends +256 CPU units and +64 MiB per task for it, not included in the sizes above',
  );
}

export function mapJob(log: MappingLog, job: ResolvedJob): void {
  const f = (what: string): string => `job ${job.name}: ${what}`;
  if (job.beforeDeploy)
    return log.unsupported(
      f('beforeDeploy'),
      'Job run by berth deploy before workloads change',
      'task definition emitted; nothing in CloudFormation runs it before the services update: run it with `aws ecs run-task` first',
    );
  const cron = schedulerCron(job.schedule!);
  if ('problem' in cron) return log.unsupported(f(`schedule ${job.schedule}`), 'CronJob', `not emitted: the schedule ${cron.problem}`);
  log.mapped(
    f(`schedule ${job.schedule}`),
    `CronJob${job.timeZone ? ` (${job.timeZone})` : ''}`,
    `AWS::Scheduler::Schedule ${cron.expression} running the task`,
  );
  log.unsupported(
    f('concurrencyPolicy / timeoutSeconds'),
    `${job.concurrencyPolicy ?? 'Forbid'}, activeDeadlineSeconds`,
    'EventBridge Scheduler starts a task every tick and never stops one',
  );
}

/** The Markdown table, with a legend. */
export function mappingMarkdown(envName: string, launch: EcsLaunch, entries: readonly EcsMappingEntry[]): string {
  const cell = (t: string): string => t.replace(/\|/g, '\\|');
  const count = (st: string): number => entries.filter((e) => e.status === st).length;
  return [
    `# ECS mapping: ${envName} (${launch})`,
    '',
    `Generated by \`berth ecs\`. ${count('mapped')} mapped, ${count('partial')} partial, ${count('unsupported')} unsupported.`,
    '`partial`: emitted with the stated difference. `unsupported`: no ECS equivalent, not in template.json.',
    '',
    '| Feature | GKE (berth synth) | ECS (template.json) | Status |',
    '|---|---|---|---|',
    ...entries.map((e) => `| ${cell(e.feature)} | ${cell(e.gke)} | ${cell(e.ecs)} | ${e.status} |`),
    '',
  ].join('\n');
}
