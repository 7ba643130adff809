/**
 * The public contract of berth's ECS stage (`berth ecs`, and `berth compare` which calls `synthEcs`).
 * Stable: other modules code against these shapes; add fields, never rename or remove them.
 */
import type { PlatformDeclaration } from '../declaration/types.js';

/** ECS launch type of every service and scheduled task of the template. */
export type EcsLaunch = 'ec2' | 'fargate';

export const ECS_LAUNCHES: readonly EcsLaunch[] = ['ec2', 'fargate'];

/** How one declared feature maps from the GKE rendering to ECS / CloudFormation. */
export interface EcsMappingEntry {
  /** The declared feature, e.g. `api: secretEnv DATABASE_URL` or `TLS`. */
  readonly feature: string;
  /** What berth's Kubernetes rendering does with it. */
  readonly gke: string;
  /** What the ECS template does with it, or why it cannot. */
  readonly ecs: string;
  /** `mapped`: same behaviour; `partial`: close, with a stated difference; `unsupported`: no ECS equivalent (not in the template). */
  readonly status: 'mapped' | 'partial' | 'unsupported';
}

/** Fargate task size of a service: the valid (cpu, memory) pair its summed limits round up to. */
export interface EcsFargateSize {
  /** Task CPU units (256, 512, 1024, …). */
  readonly cpu: number;
  /** Task memory in MiB. */
  readonly memoryMiB: number;
  /** CPU units paid for but not requested by any container (`cpu − Σ container cpu`). */
  readonly wasteCpu: number;
  /** MiB paid for but not limited by any container (`memoryMiB − Σ container memory limits`). */
  readonly wasteMemoryMiB: number;
}

/** The capacity one service's task asks for (all containers, sidecars included). */
export interface EcsTaskSummary {
  /** Service name. */
  readonly service: string;
  /** Σ container CPU units (request × 1024). */
  readonly cpuUnits: number;
  /** Σ container `memoryReservation` (requests) in MiB: what EC2 placement subtracts. */
  readonly memoryReservationMiB: number;
  /** Σ container `memory` (limits) in MiB. */
  readonly memoryLimitMiB: number;
  /** Desired task count (replicas; autoscaling min). */
  readonly desiredCount: number;
  /** Task size when the launch type is Fargate. @default absent on EC2 */
  readonly fargate?: EcsFargateSize;
}

export interface EcsOptions {
  readonly launch: EcsLaunch;
}

/** What `synthEcs` returns for one environment. */
export interface EcsSynthResult {
  /** The CloudFormation template (parsed JSON). */
  readonly template: object;
  /** The template as written to `template.json` (deterministic, 2-space JSON, trailing newline). */
  readonly templateJson: string;
  /** Every declared feature and how it mapped. */
  readonly mapping: EcsMappingEntry[];
  /** `mapping.md` as written. */
  readonly mappingMarkdown: string;
  /** One entry per service of the environment (workers and internal services included), sorted by name. */
  readonly tasks: EcsTaskSummary[];
}

/** The function `src/ecs/synth.ts` exports (lazy-import it: it loads aws-cdk-lib). */
export type SynthEcs = (platform: PlatformDeclaration, env: string, options: EcsOptions) => EcsSynthResult;
