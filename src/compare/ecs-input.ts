/**
 * What the comparison needs from the ECS rendering (src/ecs, built with aws-cdk-lib): its feature mapping and its
 * task summaries. Declared here structurally (the same shape src/ecs/types.ts exports) so the comparison can be
 * built and tested without loading aws-cdk-lib; the CLI passes the real `synthEcs` result.
 */
export interface EcsMappingEntry {
  readonly feature: string;
  readonly gke: string;
  readonly ecs: string;
  readonly status: 'mapped' | 'partial' | 'unsupported';
}

export interface EcsTaskSummary {
  readonly service: string;
  readonly cpuUnits: number;
  readonly memoryReservationMiB: number;
  readonly memoryLimitMiB: number;
  readonly desiredCount: number;
  readonly fargate?: { readonly cpu: number; readonly memoryMiB: number; readonly wasteCpu: number; readonly wasteMemoryMiB: number };
}

/** The ECS side of a comparison. */
export interface EcsInput {
  /** Feature mapping of the ECS rendering (EC2 launch type). */
  readonly mapping: readonly EcsMappingEntry[];
  /** Task summaries of the ECS rendering with the EC2 launch type (reservations as placed on instances). */
  readonly ec2Tasks: readonly EcsTaskSummary[];
  /** Task summaries of the Fargate rendering (each with its rounded `fargate` size). */
  readonly fargateTasks: readonly EcsTaskSummary[];
}
