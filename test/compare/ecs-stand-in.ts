/**
 * Test stand-in for the ECS rendering (src/ecs, aws-cdk-lib, built on another branch): task summaries derived from
 * the GKE rendering's workloads with the Fargate size table of the ECS note (§4), and a small mapping. Only tests
 * and the README screenshot use it; `berth compare` calls the real synthEcs.
 */
import type { EcsInput, EcsMappingEntry, EcsTaskSummary } from '../../src/compare/ecs-input.js';
import { workloadsOf } from '../../src/compare/workload.js';
import type { RenderedEnvironment } from '../../src/render/types.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Valid Fargate (cpu, memory MiB) pairs, smallest first (https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html). */
const SIZES: [number, number][] = [
  ...[512, 1024, 2048].map((m): [number, number] => [256, m]),
  ...[1, 2, 3, 4].map((g): [number, number] => [512, g * 1024]),
  ...[2, 3, 4, 5, 6, 7, 8].map((g): [number, number] => [1024, g * 1024]),
  ...Array.from({ length: 13 }, (_, i): [number, number] => [2048, (4 + i) * 1024]),
  ...Array.from({ length: 23 }, (_, i): [number, number] => [4096, (8 + i) * 1024]),
];

export function fargateSize(cpuUnits: number, memoryMiB: number): { cpu: number; memoryMiB: number } {
  const s = SIZES.find(([c, m]) => c >= cpuUnits && m >= memoryMiB);
  if (!s) throw new Error(`no Fargate size for ${cpuUnits}/${memoryMiB}`);
  return { cpu: s[0], memoryMiB: s[1] };
}

function limitMiB(spec: Json): number {
  const mi = (q: string): number => (q.endsWith('Gi') ? Number(q.slice(0, -2)) * 1024 : Number(q.replace(/Mi$/, '')));
  return [...((spec.containers ?? []) as Json[]), ...((spec.initContainers ?? []) as Json[]).filter((c) => c.restartPolicy === 'Always')].reduce(
    (s, c) => s + mi(String(c.resources?.limits?.memory ?? c.resources?.requests?.memory ?? '0')),
    0,
  );
}

export function ecsStandIn(env: RenderedEnvironment): EcsInput {
  const specs = new Map(
    (env.objects as readonly Json[]).filter((o) => o.spec?.template?.spec).map((o) => [o.metadata.name as string, o.spec.template.spec as Json]),
  );
  const tasks = (launch: 'ec2' | 'fargate'): EcsTaskSummary[] =>
    workloadsOf(env.objects).map((w) => {
      const cpuUnits = Math.round((w.cpuMilli * 1024) / 1000);
      const memoryLimitMiB = limitMiB(specs.get(w.service)!);
      const base = { service: w.service, cpuUnits, memoryReservationMiB: w.memoryMiB, memoryLimitMiB, desiredCount: w.replicas };
      if (launch === 'ec2') return base;
      const size = fargateSize(cpuUnits, memoryLimitMiB);
      return { ...base, fargate: { ...size, wasteCpu: size.cpu - cpuUnits, wasteMemoryMiB: size.memoryMiB - memoryLimitMiB } };
    });
  const mapping: EcsMappingEntry[] = [
    { feature: 'Host routing', gke: 'Ingress rules', ecs: 'one ALB, listener rule per host', status: 'mapped' },
    { feature: 'Health check', gke: 'BackendConfig', ecs: 'target group health check on the readiness path', status: 'mapped' },
    { feature: 'PodDisruptionBudget', gke: 'PDB', ecs: 'no equivalent (minimumHealthyPercent covers deployments only)', status: 'unsupported' },
  ];
  return { mapping, ec2Tasks: tasks('ec2'), fargateTasks: tasks('fargate') };
}
