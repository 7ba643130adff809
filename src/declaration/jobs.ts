import { applyOverride, effectiveServices, withPullSecrets } from './effective.js';
import type { JobDeclaration, PlatformDeclaration, ServiceDeclaration } from './types.js';

/**
 * What a job with `from: <service>` takes from that service (as it runs in the environment). Listed by name so
 * fields that services gain (Cloud SQL proxy, mounts) are inherited as soon as they exist.
 */
export const INHERITED_KEYS = ['image', 'env', 'secretEnv', 'gcpServiceAccount', 'cloudSql', 'mounts', 'imagePullSecrets', 'scratch', 'writable'] as const;
/** Inherited maps merged key by key, the job's own entries winning. */
const MERGED_KEYS: ReadonlySet<string> = new Set(['env', 'secretEnv']);

/** A job as the environment runs it: overrides applied, and what it inherits from its `from` service. */
export type ResolvedJob = JobDeclaration & { readonly image: string } & { readonly [inherited: string]: unknown };

export interface EffectiveJob {
  /** The job with the environment's override applied (before inheritance). */
  readonly job: JobDeclaration;
  /** Index in `jobs`, for error paths. */
  readonly index: number;
  /** True when the environment overrides at least one field. */
  readonly overridden: boolean;
  /** The `from` service as it runs in the environment; undefined without `from` or when it does not run there. */
  readonly from?: ServiceDeclaration;
}

/** Jobs enabled in `envName`, in declaration order, overrides applied. */
export function effectiveJobs(platform: PlatformDeclaration, envName: string): EffectiveJob[] {
  if (!platform.jobs?.length) return [];
  const overrides = platform.environments[envName]?.jobs ?? {};
  const services = new Map(effectiveServices(platform, envName).map((e) => [e.service.name, e.service]));
  const out: EffectiveJob[] = [];
  (platform.jobs ?? []).forEach((base, index) => {
    const override = overrides[base.name];
    const job = override ? applyOverride(base, override) : base;
    if (job.enabled === false) return;
    out.push({ job, index, overridden: override !== undefined, from: job.from === undefined ? undefined : services.get(job.from) });
  });
  return out;
}

/** The job with its `from` service's fields filled in (the job's own values win; env maps merge per key). */
export function resolveJob(job: JobDeclaration, from: ServiceDeclaration | undefined): ResolvedJob {
  if (!from) return job as ResolvedJob;
  const out: Record<string, unknown> = { ...job };
  const source = from as unknown as Record<string, unknown>;
  for (const key of INHERITED_KEYS) {
    const own = out[key];
    const inherited = source[key];
    if (MERGED_KEYS.has(key) && (own !== undefined || inherited !== undefined)) out[key] = { ...(inherited as object), ...(own as object) };
    else if (own === undefined && inherited !== undefined) out[key] = inherited;
  }
  return out as ResolvedJob;
}

/** Resolved jobs of an environment (validated declarations only: every `from` service runs there). */
export function resolvedJobs(platform: PlatformDeclaration, envName: string): ResolvedJob[] {
  return effectiveJobs(platform, envName).map((e) => withPullSecrets(resolveJob(e.job, e.from), platform.environments[envName]));
}
