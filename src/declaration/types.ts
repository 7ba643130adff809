/**
 * The declaration: what a team writes once, in TypeScript or in YAML (same shape).
 * Field names are the contract; see README "Declaring a service" for defaults.
 */

/** A whole platform: services, and the environments (namespaces on one cluster) they run in. */
export interface PlatformDeclaration {
  /** Environments by name, e.g. `production`. Each becomes one namespace and one Ingress (one load balancer). */
  readonly environments: Readonly<Record<string, EnvironmentDeclaration>>;
  /** Every service, once. Environments may override fields per service. */
  readonly services: readonly ServiceDeclaration[];
  /** One-off and scheduled jobs: migrations run before each deploy (`beforeDeploy`) and CronJobs (`schedule`). @default [] */
  readonly jobs?: readonly JobDeclaration[];
}

/** TLS for an environment's shared Ingress. */
export interface TlsDeclaration {
  /**
   * Issue Google-managed certificates (ManagedCertificate) for every public host of the environment.
   * @default true
   */
  readonly managed?: boolean;
  /** Names of SSL certificates already uploaded to the GCP project (`ingress.gcp.kubernetes.io/pre-shared-cert`). @default [] */
  readonly preSharedCerts?: readonly string[];
  /** Name of a GCP SSL policy (minimum TLS version, ciphers) for the FrontendConfig. @default none (GCP default policy) */
  readonly sslPolicy?: string;
  /** Redirect plain HTTP to HTTPS (FrontendConfig `redirectToHttps`). @default true */
  readonly redirectHttps?: boolean;
}

/** One environment: a namespace on the shared cluster. */
export interface EnvironmentDeclaration {
  /** Namespace for every object of the environment. @default the environment's name */
  readonly namespace?: string;
  /** TLS for the environment's Ingress. @default none (HTTP only) */
  readonly tls?: TlsDeclaration;
  /** Name of a reserved global static IP address for the Ingress. @default none (ephemeral IP) */
  readonly staticIp?: string;
  /** Per-service overrides of any service field (except `name`), keyed by service name. @default {} */
  readonly services?: Readonly<Record<string, ServiceOverride>>;
  /** Per-job overrides of any job field (except `name`), keyed by job name. @default {} */
  readonly jobs?: Readonly<Record<string, JobOverride>>;
}

/** Autoscaling on CPU utilisation (HorizontalPodAutoscaler, autoscaling/v2). */
export interface AutoscalingDeclaration {
  /** Minimum replicas (≥ 1; ≥ 2 keeps a disruption budget). */
  readonly min: number;
  /** Maximum replicas (> min). */
  readonly max: number;
  /** Target average CPU utilisation, percent of the CPU request. @default 70 */
  readonly cpuPercent?: number;
}

/** An environment variable whose value comes from an existing Kubernetes Secret (never a value in the manifest). */
export interface SecretRef {
  /** Secret name in the environment's namespace. */
  readonly secret: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** One service: a Deployment, plus a Service when it has a port, plus an Ingress route when it has a host. */
export interface ServiceDeclaration {
  /** Unique RFC 1035 label (lowercase letters, digits, "-", starts with a letter), at most 63 characters. */
  readonly name: string;
  /** Container image with a tag or digest; `:latest` and untagged images are rejected. */
  readonly image: string;
  /** Container port. Omit for a worker (no Service, no route). @default none (worker) */
  readonly port?: number;
  /** Public host on the environment's shared Ingress. Omit for an internal-only service. @default none (internal) */
  readonly host?: string;
  /** Extra public hosts routed to the same service. @default [] */
  readonly hosts?: readonly string[];
  /** Path prefixes routed to the service on each of its hosts. @default ["/"] */
  readonly paths?: readonly string[];
  /** HTTP path for the readiness probe AND the load balancer health check. @default "/healthz" */
  readonly health?: string;
  /** HTTP path for a liveness probe (must differ from `health`). @default none (no liveness probe) */
  readonly liveness?: string;
  /** Memory request, e.g. `512Mi`. Also the limit unless `memoryLimit` is given. */
  readonly memory: string;
  /** Memory limit, ≥ `memory`. @default equal to `memory` */
  readonly memoryLimit?: string;
  /** CPU request, e.g. `250m`. */
  readonly cpu: string;
  /** CPU limit (opt-in: throttling hurts latency). @default none */
  readonly cpuLimit?: string;
  /** Fixed replica count (ignored when `autoscaling` is set). @default 2 */
  readonly replicas?: number;
  /** Autoscale on CPU instead of a fixed replica count. @default none */
  readonly autoscaling?: AutoscalingDeclaration;
  /** Plain environment variables (no secrets: names that look like PASSWORD, TOKEN or SECRET are rejected here). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from existing Secrets. @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretRef>>;
  /** Container command override. @default the image's entrypoint */
  readonly command?: readonly string[];
  /** Container args override. @default the image's cmd */
  readonly args?: readonly string[];
  /**
   * The drain budget in seconds: LB connection draining; the preStop sleep is half of it and the
   * termination grace period is budget + 30 s for the app's own shutdown.
   * @default 30
   */
  readonly drainSeconds?: number;
  /** Load balancer backend timeout in seconds (BackendConfig `timeoutSec`). @default 30 */
  readonly timeoutSeconds?: number;
  /** Google service account for Workload Identity (`name@project.iam.gserviceaccount.com`). @default none */
  readonly gcpServiceAccount?: string;
  /** Set false in an environment override to leave the service out of that environment. @default true */
  readonly enabled?: boolean;
}

/** Any service field except `name`, overridden for one environment; `null` drops the base value. */
export type ServiceOverride = { readonly [K in Exclude<keyof ServiceDeclaration, 'name'>]?: ServiceDeclaration[K] | null };

/** CronJob `concurrencyPolicy`: what to do when a run is due while the previous one is still going. */
export type ConcurrencyPolicy = 'Forbid' | 'Allow' | 'Replace';

/**
 * A job: a migration run by `deploy` before any workload changes (`beforeDeploy: true`, a batch/v1 Job whose
 * name carries a content hash) or a CronJob (`schedule`). Exactly one of the two.
 */
export interface JobDeclaration {
  /** Unique RFC 1035 label, distinct from every job and service name. */
  readonly name: string;
  /** Container image with a tag or digest. Required unless `from` is given. @default the `from` service's image */
  readonly image?: string;
  /**
   * A service whose image, env, secretEnv, gcpServiceAccount (and cloudSql, mounts) the job inherits, as that
   * service runs in the environment; the job's own `env`/`secretEnv` are merged on top, key by key. @default none
   */
  readonly from?: string;
  /** Container command override. @default the image's entrypoint */
  readonly command?: readonly string[];
  /** Container args override. @default the image's cmd */
  readonly args?: readonly string[];
  /** Plain environment variables (same rules as a service's). @default {} (or the `from` service's) */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from existing Secrets. @default {} (or the `from` service's) */
  readonly secretEnv?: Readonly<Record<string, SecretRef>>;
  /** Google service account for Workload Identity (annotates the job's own ServiceAccount). @default none (or the `from` service's) */
  readonly gcpServiceAccount?: string;
  /** Memory request and limit, e.g. `512Mi`. */
  readonly memory: string;
  /** CPU request, e.g. `250m`. */
  readonly cpu: string;
  /** Deadline of one run in seconds (`activeDeadlineSeconds`), retries included. @default 600 for beforeDeploy, 3600 for schedule */
  readonly timeoutSeconds?: number;
  /** Retries before the run counts as failed (`backoffLimit`). @default 1 */
  readonly backoffLimit?: number;
  /** Run before every deploy that changes it (a migration). Exclusive with `schedule`. @default false */
  readonly beforeDeploy?: boolean;
  /** Cron expression (5 fields, or @hourly, @daily, @weekly, @monthly, @yearly) for a CronJob. Exclusive with `beforeDeploy`. @default none */
  readonly schedule?: string;
  /** IANA time zone of `schedule`, e.g. `Europe/Paris`. @default the controller's (UTC on GKE) */
  readonly timeZone?: string;
  /** What a due run does while the previous one still runs. @default "Forbid" */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** Seconds after the scheduled time a missed run may still start. @default none (no deadline) */
  readonly startingDeadlineSeconds?: number;
  /** Set false in an environment override to leave the job out of that environment. @default true */
  readonly enabled?: boolean;
}

/** Any job field except `name`, overridden for one environment; `null` drops the base value. */
export type JobOverride = { readonly [K in Exclude<keyof JobDeclaration, 'name'>]?: JobDeclaration[K] | null };
