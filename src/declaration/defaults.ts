/**
 * berth's defaults for declaration fields that more than one stage reads (GKE constructs, the ECS stage,
 * validation, routes.md, `berth init`), resolved once, here. Every other module imports these constants
 * or the resolvers in effective.ts; none repeats the literal (test/declaration/defaults.test.ts).
 */

/** Fixed replica count (`replicas`): two, so a node drain or rollout never takes the service down. */
export const DEFAULT_REPLICAS = 2;
/** Fixed replica count of a `singleton`. */
export const SINGLETON_REPLICAS = 1;

/** UID and GID of a pod's processes (`runAsUser`, `runAsGroup`) when the declaration sets none. */
export const DEFAULT_RUN_AS_ID = 10001;

/** Seconds the app itself gets to shut down after the preStop sleep and draining. */
export const APP_SHUTDOWN_MARGIN_SECONDS = 30;
/** The default drain budget (`drainSeconds`). */
export const DEFAULT_DRAIN_SECONDS = 30;

/** Load balancer backend timeout (`timeoutSeconds`; BackendConfig `timeoutSec`, the ALB idle timeout on ECS). */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** Default CPU target of `autoscaling`, only when no other metric is declared (an HPA needs at least one). */
export const DEFAULT_CPU_PERCENT = 70;

/** Retries of a job's pod (`backoffLimit`) for migrations and CronJobs. */
export const DEFAULT_BACKOFF_LIMIT = 1;
