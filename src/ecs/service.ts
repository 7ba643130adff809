/** One declared service on ECS: its task definition, its ECS service and, when public, its target group. */
import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { DEFAULT_DRAIN_SECONDS_ON_ECS_STOP, stopTimeoutOf } from './stop.js';
import type { Infra } from './infra.js';
import type { ServicePlan } from './plan.js';
import { buildTaskDefinition } from './task-definition.js';

export interface BuiltService {
  readonly service: ecs.BaseService;
  readonly targetGroup?: elbv2.ApplicationTargetGroup;
}

export function buildService(infra: Infra, envName: string, plan: ServicePlan): BuiltService {
  const name = plan.service.name;
  const id = idOf(name);
  const volumes = (plan.service.mounts ?? []).filter((m) => m.emptyDir !== undefined).map((m, i) => ({ name: `scratch-${i}`, path: m.path }));
  if (plan.service.storage) volumes.push({ name: 'storage', path: plan.service.storage.path });
  const task = buildTaskDefinition(infra, `${id}Task`, {
    family: `${envName}-${name}`,
    containers: plan.containers,
    fargate: plan.fargate,
    user: plan.user,
    volumes,
    stopTimeoutSeconds: stopTimeoutOf(plan.service.drainSeconds ?? DEFAULT_DRAIN_SECONDS_ON_ECS_STOP),
  });
  const common = {
    cluster: infra.cluster,
    taskDefinition: task,
    desiredCount: plan.desiredCount,
    serviceName: name,
    minHealthyPercent: plan.minHealthyPercent,
    maxHealthyPercent: plan.maxPercent,
    circuitBreaker: { enable: true, rollback: true },
    healthCheckGracePeriod: plan.health && plan.service.startupSeconds !== undefined ? Duration.seconds(plan.service.startupSeconds) : undefined,
    serviceConnectConfiguration: serviceConnect(plan, infra),
    enableECSManagedTags: true,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
  };
  const service =
    infra.launch === 'fargate'
      ? new ecs.FargateService(infra.stack, id, {
          ...common,
          securityGroups: [infra.taskSecurityGroup],
          assignPublicIp: false,
          platformVersion: ecs.FargatePlatformVersion.LATEST,
          vpcSubnets: { subnets: infra.vpc.privateSubnets },
        })
      : new ecs.Ec2Service(infra.stack, id, {
          ...common,
          capacityProviderStrategies: [{ capacityProvider: infra.capacityProvider!.capacityProviderName, weight: 1 }],
          placementStrategies: [ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE), ecs.PlacementStrategy.packedByMemory()],
        });
  if (plan.autoscaling) {
    const scaling = service.autoScaleTaskCount({ minCapacity: plan.autoscaling.min, maxCapacity: plan.autoscaling.max });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: plan.autoscaling.cpuPercent });
  }
  const targetGroup = plan.health ? targetGroupOf(infra, id, plan, service) : undefined;
  return { service, targetGroup };
}

/** Every service is a Service Connect client; a service with a port also answers at `<name>:<servicePort>`. */
function serviceConnect(plan: ServicePlan, infra: Infra): ecs.ServiceConnectProps {
  const logDriver = ecs.LogDrivers.awsLogs({ logGroup: infra.logGroup, streamPrefix: `service-connect-${plan.service.name}` });
  if (plan.port === undefined) return { logDriver };
  const main = plan.containers[0].ports;
  return {
    logDriver,
    services: main.map((p, i) => ({
      portMappingName: p.name,
      discoveryName: i === 0 ? plan.service.name : `${plan.service.name}-${p.name}`,
      dnsName: plan.service.name,
      port: i === 0 ? plan.servicePort : p.containerPort,
    })),
  };
}

function targetGroupOf(infra: Infra, id: string, plan: ServicePlan, service: ecs.BaseService): elbv2.ApplicationTargetGroup {
  const h = plan.health!;
  const tg = new elbv2.ApplicationTargetGroup(infra.stack, `${id}Target`, {
    vpc: infra.vpc,
    port: plan.port,
    protocol: elbv2.ApplicationProtocol[h.protocol],
    protocolVersion: elbv2.ApplicationProtocolVersion[h.protocolVersion],
    targetType: infra.launch === 'fargate' ? elbv2.TargetType.IP : elbv2.TargetType.INSTANCE,
    deregistrationDelay: Duration.seconds(plan.drainSeconds),
    healthCheck: {
      path: h.path,
      port: 'traffic-port',
      protocol: elbv2.Protocol[h.protocol],
      interval: Duration.seconds(h.intervalSeconds),
      timeout: Duration.seconds(Math.min(4, h.intervalSeconds - 1)),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: h.unhealthyThreshold,
      healthyHttpCodes: h.protocolVersion === 'GRPC' ? undefined : h.matcher,
      healthyGrpcCodes: h.protocolVersion === 'GRPC' ? h.matcher : undefined,
    },
  });
  tg.addTarget(service.loadBalancerTarget({ containerName: plan.service.name, containerPort: plan.port! }));
  return tg;
}

/** A service's construct id: its name (an RFC 1035 label; CloudFormation logical ids add a hash of the path). */
export function idOf(name: string): string {
  return name;
}
