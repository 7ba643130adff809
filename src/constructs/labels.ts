/** Stable, readable labels: `app.kubernetes.io/*` for selectors, never hashes or construct paths. */

export const MANAGED_BY = 'berth';
export const ENVIRONMENT_LABEL = 'berth.dev/environment';

/** The selector of a service's pods; never changes for the life of the Deployment. */
export function selectorLabels(service: string): Record<string, string> {
  return { 'app.kubernetes.io/name': service };
}

/** Labels on every object berth renders for a service. */
export function serviceLabels(service: string, environment: string): Record<string, string> {
  return { ...selectorLabels(service), 'app.kubernetes.io/managed-by': MANAGED_BY, [ENVIRONMENT_LABEL]: environment };
}

/** Labels on environment-wide objects (Namespace, Ingress, TLS config). */
export function environmentLabels(environment: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': MANAGED_BY, [ENVIRONMENT_LABEL]: environment };
}

/** The tag (or short digest) of an image, used as `app.kubernetes.io/version`; a valid label value. */
export function imageVersion(image: string): string {
  const at = image.indexOf('@sha256:');
  if (at >= 0) return image.slice(at + 8, at + 8 + 12);
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return tag
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** Label naming the job an object belongs to (its objects render to `job-<name>.yaml`). */
export const JOB_LABEL = 'berth.dev/job';
/**
 * Label on a migration's objects (Job and ServiceAccount): `deploy` runs them before any workload change,
 * and Flux's jobs Kustomization selects them by it.
 */
export const PHASE_LABEL = 'berth.dev/phase';
export const BEFORE_DEPLOY = 'before-deploy';

/** Labels on every object berth renders for a job. */
export function jobLabels(job: string, environment: string, beforeDeploy: boolean): Record<string, string> {
  return {
    'app.kubernetes.io/name': job,
    'app.kubernetes.io/component': beforeDeploy ? 'migration' : 'cronjob',
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [ENVIRONMENT_LABEL]: environment,
    [JOB_LABEL]: job,
    ...(beforeDeploy ? { [PHASE_LABEL]: BEFORE_DEPLOY } : {}),
  };
}

/**
 * Label on cluster-scoped objects every environment shares (berth's PriorityClasses): each environment
 * applies them, none owns them, so deploy keeps them out of its ApplySet and never prunes them.
 */
export const SHARED_LABEL = 'berth.dev/shared';

/** Labels on shared cluster-scoped objects: no environment label (environments would fight over it). */
export function sharedLabels(): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': MANAGED_BY, [SHARED_LABEL]: 'true' };
}
