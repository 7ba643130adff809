/**
 * What the comparison needs from the ECS rendering (src/ecs, built with aws-cdk-lib): its feature mapping and its
 * task summaries. The types come from src/ecs/types.ts (type-only: nothing of aws-cdk-lib is loaded), so
 * the comparison can be built and tested without it; the CLI passes the real `synthEcs` result.
 */
export type { EcsMappingEntry, EcsTaskSummary } from '../ecs/types.js';
import type { EcsMappingEntry, EcsTaskSummary } from '../ecs/types.js';

/** The ECS side of a comparison. */
export interface EcsInput {
  /** Feature mapping of the ECS rendering (EC2 launch type). */
  readonly mapping: readonly EcsMappingEntry[];
  /** Task summaries of the ECS rendering with the EC2 launch type (reservations as placed on instances). */
  readonly ec2Tasks: readonly EcsTaskSummary[];
  /** Task summaries of the Fargate rendering (each with its rounded `fargate` size). */
  readonly fargateTasks: readonly EcsTaskSummary[];
}
