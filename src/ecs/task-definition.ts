/** A task definition (EC2 bridge or Fargate awsvpc) holding berth's container specs, secrets by reference. */
import { Duration, type Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ContainerSpec } from './containers.js';
import type { Infra } from './infra.js';
import type { EcsFargateSize } from './types.js';

export interface TaskProps {
  /** Task family: `<env>-<name>`. */
  readonly family: string;
  readonly containers: readonly ContainerSpec[];
  /** Fargate size (launch type fargate). */
  readonly fargate?: EcsFargateSize;
  /** `uid:gid` of every container. */
  readonly user: string;
  /** Extra writable task-scoped volumes (path → volume name), beside /tmp. */
  readonly volumes: readonly { readonly name: string; readonly path: string }[];
  /** Seconds the app gets between SIGTERM and SIGKILL (max 120 on ECS). */
  readonly stopTimeoutSeconds: number;
}

export function buildTaskDefinition(infra: Infra, id: string, props: TaskProps): ecs.TaskDefinition {
  const stack: Stack = infra.stack;
  const task = props.fargate
    ? new ecs.FargateTaskDefinition(stack, id, { family: props.family, cpu: props.fargate.cpu, memoryLimitMiB: props.fargate.memoryMiB })
    : new ecs.Ec2TaskDefinition(stack, id, { family: props.family, networkMode: ecs.NetworkMode.BRIDGE });
  const volumes = [{ name: 'tmp', path: '/tmp' }, ...props.volumes];
  for (const v of volumes) task.addVolume({ name: v.name });
  const byName = new Map<string, ecs.ContainerDefinition>();
  props.containers.forEach((spec, i) => {
    const container = addContainer(infra, task, spec, props);
    container.addMountPoints(...(i === 0 ? volumes : volumes.slice(0, 1)).map((v) => ({ sourceVolume: v.name, containerPath: v.path, readOnly: false })));
    byName.set(spec.name, container);
  });
  for (const spec of props.containers) {
    for (const dep of spec.dependsOn)
      byName.get(spec.name)!.addContainerDependencies({ container: byName.get(dep)!, condition: ecs.ContainerDependencyCondition.START });
  }
  return task;
}

function addContainer(infra: Infra, task: ecs.TaskDefinition, spec: ContainerSpec, props: TaskProps): ecs.ContainerDefinition {
  const linuxParameters = new ecs.LinuxParameters(infra.stack, `${task.node.id}${spec.name}Linux`, { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  return task.addContainer(spec.name, {
    containerName: spec.name,
    image: ecs.ContainerImage.fromRegistry(spec.image),
    cpu: spec.cpu,
    // ECS: "if you specify both, memory must be greater than memoryReservation"; at request = limit, `memory` alone
    // is the same reservation (placement subtracts `memory` when no reservation is set).
    memoryReservationMiB: spec.memoryReservationMiB < spec.memoryLimitMiB ? spec.memoryReservationMiB : undefined,
    memoryLimitMiB: spec.memoryLimitMiB,
    entryPoint: spec.entryPoint ? [...spec.entryPoint] : undefined,
    command: spec.command ? [...spec.command] : undefined,
    environment: Object.keys(spec.environment).length > 0 ? { ...spec.environment } : undefined,
    secrets: secretsOf(infra, spec),
    portMappings: spec.ports.map((p) => ({
      name: p.name,
      containerPort: p.containerPort,
      hostPort: props.fargate ? undefined : 0,
      protocol: ecs.Protocol.TCP,
      appProtocol: p.appProtocol === undefined ? undefined : APP_PROTOCOLS[p.appProtocol],
    })),
    user: props.user,
    readonlyRootFilesystem: true,
    privileged: props.fargate ? undefined : false,
    linuxParameters,
    essential: true,
    stopTimeout: Duration.seconds(props.stopTimeoutSeconds),
    logging: ecs.LogDrivers.awsLogs({ logGroup: infra.logGroup, streamPrefix: props.family }),
  });
}

const APP_PROTOCOLS = { http: ecs.AppProtocol.http, http2: ecs.AppProtocol.http2, grpc: ecs.AppProtocol.grpc } as const;

/** secretEnv { secret, key } → `valueFrom: <secret ARN prefix><secret>:<key>::` (a JSON key of a Secrets Manager secret). */
function secretsOf(infra: Infra, spec: ContainerSpec): Record<string, ecs.Secret> | undefined {
  const entries = Object.entries(spec.secrets);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, ref]) => [name, ecs.Secret.fromSecretsManager(infra.secret(ref.secret), ref.key)]));
}
