/**
 * The ECS plan of one service as it runs in an environment, derived from the validated declaration only
 * (no AWS construct here): containers, capacity, deployment, load balancer target and Service Connect.
 */
import { fixedReplicas, hostsOf } from '../declaration/effective.js';
import { mainPortName, protocolOf, readinessOf, servicePortOf, extraPortsOf, type ResolvedCheck } from '../declaration/probes.js';
import type { ServiceDeclaration } from '../declaration/types.js';
import { DEFAULT_CPU_PERCENT, DEFAULT_DRAIN_SECONDS } from '../declaration/defaults.js';
import { DEFAULT_RUN_AS_ID } from './defaults.js';
import { containersOf, totals, type ContainerSpec, type PortSpec } from './containers.js';
import { fargateSize } from './units.js';
import type { EcsFargateSize, EcsLaunch, EcsTaskSummary } from './types.js';

/** The load balancer's health check of a target group, in ALB terms. */
export interface TargetHealth {
  readonly protocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC';
  readonly protocol: 'HTTP' | 'HTTPS';
  /** HTTP path, or the gRPC method path for GRPC. */
  readonly path: string;
  /** HTTP status codes, or gRPC codes for GRPC. */
  readonly matcher: string;
  readonly intervalSeconds: number;
  readonly unhealthyThreshold: number;
}

export interface ServicePlan {
  readonly service: ServiceDeclaration;
  readonly containers: ContainerSpec[];
  readonly desiredCount: number;
  readonly autoscaling?: { readonly min: number; readonly max: number; readonly cpuPercent: number };
  readonly minHealthyPercent: number;
  readonly maxPercent: number;
  /** Main container port (undefined for a worker). */
  readonly port?: number;
  /** The Service Connect port (the Kubernetes Service port). */
  readonly servicePort?: number;
  /** Load balancer health check, for a public service. */
  readonly health?: TargetHealth;
  readonly drainSeconds: number;
  readonly fargate?: EcsFargateSize;
  readonly user: string;
}

/** Fargate has no room above 16 vCPU / 120 GiB; berth says so instead of emitting an invalid task. */
export class FargateSizeError extends Error {}

/** `tls`: the environment has an HTTPS listener (an ALB speaks HTTP/2 and gRPC to targets only behind one). */
export function planService(s: ServiceDeclaration, launch: EcsLaunch, tls = true): ServicePlan {
  const ports = portsOf(s);
  const containers = containersOf(s, ports);
  const sum = totals(containers);
  const fargate = launch === 'fargate' ? fargateSize(sum.cpu, sum.limit) : undefined;
  if (launch === 'fargate' && fargate === undefined) {
    throw new FargateSizeError(
      `service "${s.name}" needs ${sum.cpu} CPU units and ${sum.limit} MiB, above the largest Fargate task (16384 units, 122880 MiB); ` +
        `lower its cpu/memoryLimit or use --launch ec2`,
    );
  }
  const min = s.autoscaling?.min;
  return {
    service: s,
    containers,
    fargate,
    desiredCount: fixedReplicas(s) ?? min!,
    autoscaling: s.autoscaling ? { min: s.autoscaling.min, max: s.autoscaling.max, cpuPercent: s.autoscaling.cpuPercent ?? DEFAULT_CPU_PERCENT } : undefined,
    minHealthyPercent: s.singleton ? 0 : 100,
    maxPercent: s.singleton ? 100 : 200,
    port: s.port,
    servicePort: servicePortOf(s),
    health: hostsOf(s).length > 0 && (tls || protocolOf(s) === 'http') ? targetHealth(s) : undefined,
    drainSeconds: s.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
    user: `${s.runAsUser ?? DEFAULT_RUN_AS_ID}:${s.runAsGroup ?? DEFAULT_RUN_AS_ID}`,
  };
}

function portsOf(s: ServiceDeclaration): PortSpec[] {
  if (s.port === undefined) return [];
  const protocol = protocolOf(s);
  const appProtocol = protocol === 'tcp' ? undefined : protocol;
  const extra = extraPortsOf(s)
    .filter((p) => p.protocol === 'TCP')
    .map((p) => ({ name: p.name, containerPort: p.port }));
  return [{ name: mainPortName(s), containerPort: s.port, appProtocol }, ...extra];
}

/** The target group check: the readiness check over the protocol the ALB speaks to the service. */
export function targetHealth(s: ServiceDeclaration): TargetHealth {
  const check: ResolvedCheck = readinessOf(s)!;
  const protocol = s.backendTls === true ? 'HTTPS' : 'HTTP';
  const timing = { intervalSeconds: Math.max(5, check.periodSeconds), unhealthyThreshold: Math.max(2, Math.min(10, check.failureThreshold)) };
  const p = protocolOf(s);
  if (p === 'grpc') {
    const path = check.kind === 'path' ? check.path! : '/grpc.health.v1.Health/Check';
    return { protocolVersion: 'GRPC', protocol, path, matcher: check.kind === 'path' ? '0-99' : '0', ...timing };
  }
  const protocolVersion = p === 'http2' ? 'HTTP2' : 'HTTP1';
  // An ALB cannot TCP-check an HTTP target: any HTTP answer on / proves the port is open.
  if (check.kind !== 'path') return { protocolVersion, protocol, path: '/', matcher: '200-499', ...timing };
  return { protocolVersion, protocol, path: check.path!, matcher: '200-399', ...timing };
}

/** What `berth compare` reads: the task's capacity. */
export function taskSummary(plan: ServicePlan): EcsTaskSummary {
  const sum = totals(plan.containers);
  return {
    service: plan.service.name,
    cpuUnits: sum.cpu,
    memoryReservationMiB: sum.reservation,
    memoryLimitMiB: sum.limit,
    desiredCount: plan.desiredCount,
    ...(plan.fargate ? { fargate: plan.fargate } : {}),
  };
}
