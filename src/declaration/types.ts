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
  /**
   * Per-host certificate source, keyed by a host of the environment: `{ managed: true }` (a Google-managed
   * certificate even when `managed: false`), `{ preShared: <GCP SSL certificate name> }` (e.g. a wildcard) or
   * `{ secret: <TLS Secret name> }` (`spec.tls`, e.g. issued by cert-manager with DNS-01). Hosts not listed follow
   * `managed` (or, when they cannot be Google-managed, the environment's `preSharedCerts`).
   * @default {} (every host follows `managed`)
   */
  readonly certificates?: Readonly<Record<string, HostCertificate>>;
}

/** Where one host's certificate comes from: set exactly one field. */
export interface HostCertificate {
  /** A Google-managed certificate (ManagedCertificate); not for wildcard hosts. @default false */
  readonly managed?: boolean;
  /** Name of an SSL certificate already uploaded to the GCP project (`ingress.gcp.kubernetes.io/pre-shared-cert`). @default none */
  readonly preShared?: string;
  /** Name of a `kubernetes.io/tls` Secret in the environment's namespace (Ingress `spec.tls`). @default none */
  readonly secret?: string;
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
  /**
   * Default `imagePullSecrets` of every service and job of the environment (a service's or job's own list
   * replaces it; `[]` clears it). @default [] (no pull secret)
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * A ResourceQuota (requests.cpu, requests.memory, limits.memory, pods) and a LimitRange (defaults for
   * containers that declare no resources) on the environment's namespace, so one environment cannot starve
   * the others on a shared cluster. @default none (no quota, no LimitRange)
   */
  readonly quota?: QuotaDeclaration;
  /** The `priority` of services that declare none. @default "normal" */
  readonly defaultPriority?: PriorityName;
  /**
   * How the environment's rendering is split into files: `single-file` (every object in one `resources.yaml`, in
   * apply order: one file to review, apply or ship, and one new file per fresh synth instead of one per service) or
   * `per-service` (a file per service and per job, plus the environment's own files: `00-namespace.yaml`,
   * `ingress.yaml`, …). @default "single-file" (DEFAULT_LAYOUT)
   */
  readonly layout?: LayoutName;
  /**
   * Render the environment's NetworkPolicies (`network-policies.yaml`): default-deny ingress, the GKE load balancer's
   * ranges to public services, same-environment callers (narrowed by `callers`). `false` renders none. @default true
   */
  readonly networkPolicy?: boolean;
  /** Restrict the pods' outgoing traffic (DNS, the GKE metadata server and the environment's own pods stay open). @default none (egress open) */
  readonly egress?: EgressDeclaration;
  /**
   * `external` renders a `gce` Ingress (global external Application Load Balancer); `internal` a `gce-internal`
   * Ingress (regional internal Application Load Balancer: needs a proxy-only subnet, no ManagedCertificate, a
   * regional `staticIp`). @default "external"
   */
  readonly ingress?: IngressKind;
  /** Load-balancer features for every public service of the environment (a service's own `loadBalancer` wins field by field). @default none */
  readonly loadBalancer?: LoadBalancerDeclaration;
}

/** Which Google Cloud load balancer an environment's Ingress creates. */
export type IngressKind = 'external' | 'internal';

/**
 * Load-balancer features of a public service (BackendConfig) and of an environment's Ingress (FrontendConfig).
 * On an environment they are defaults; a service's `loadBalancer` overrides them field by field.
 */
export interface LoadBalancerDeclaration {
  /** Name of a Cloud Armor security policy (BackendConfig `securityPolicy.name`). External load balancers only. @default none */
  readonly securityPolicy?: string;
  /** Identity-Aware Proxy with the OAuth client in a Secret (keys `client_id`, `client_secret`). @default none (IAP off) */
  readonly iap?: IapDeclaration;
  /** Load-balancer request logging (BackendConfig `logging`). @default none (GKE's default: logging on, sample rate 1.0) */
  readonly logging?: LoggingDeclaration;
  /** Headers added to responses (`Name: value`). `Strict-Transport-Security` is added when TLS is on unless declared here
   *  ("" drops it). @default HSTS with TLS, else none */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /** Headers added to requests sent to the backend (`Name: value`). @default none */
  readonly requestHeaders?: Readonly<Record<string, string>>;
  /** Sticky sessions (BackendConfig `sessionAffinity`). @default none (no affinity) */
  readonly sessionAffinity?: SessionAffinityDeclaration;
  /** Cloud CDN (BackendConfig `cdn`). External load balancers only. @default none (CDN off) */
  readonly cdn?: CdnDeclaration;
}

/** Identity-Aware Proxy on a backend. */
export interface IapDeclaration {
  /** Name of the Secret (in the environment's namespace) holding the OAuth client's `client_id` and `client_secret`. */
  readonly secret: string;
  /** Set false to turn IAP off where an environment default turned it on. @default true */
  readonly enabled?: boolean;
}

/** Load-balancer request logging. */
export interface LoggingDeclaration {
  /** Log requests at all. @default true */
  readonly enabled?: boolean;
  /** Fraction of requests logged, 0 to 1. @default 1 */
  readonly sampleRate?: number;
}

/** Session affinity of a backend. */
export interface SessionAffinityDeclaration {
  /** `CLIENT_IP` or `GENERATED_COOKIE`. */
  readonly type: 'CLIENT_IP' | 'GENERATED_COOKIE';
  /** Lifetime of the generated cookie in seconds (GENERATED_COOKIE only), 0 to 1209600 (14 days). @default 0 (a session cookie) */
  readonly cookieTtlSeconds?: number;
}

/** Cloud CDN on a backend. */
export interface CdnDeclaration {
  /** @default true */
  readonly enabled?: boolean;
  /** `CACHE_ALL_STATIC`, `USE_ORIGIN_HEADERS` or `FORCE_CACHE_ALL`. @default "CACHE_ALL_STATIC" */
  readonly cacheMode?: 'CACHE_ALL_STATIC' | 'USE_ORIGIN_HEADERS' | 'FORCE_CACHE_ALL';
  /** Cache key: include the host, protocol, query string. @default all true */
  readonly cachePolicy?: { readonly includeHost?: boolean; readonly includeProtocol?: boolean; readonly includeQueryString?: boolean };
}

/** An opt-in egress restriction of an environment. */
export interface EgressDeclaration {
  /** Destination CIDRs the environment's pods may reach on any port, e.g. `10.20.0.0/16` (a database subnet). @default [] */
  readonly allow?: readonly string[];
}

/** An environment's resource budget (ResourceQuota) with container defaults (LimitRange). */
export interface QuotaDeclaration {
  /** Total CPU requests of every pod in the namespace, e.g. `"8"` or `"4500m"`. @default no CPU quota */
  readonly cpu?: string;
  /** Total memory requests, and total memory limits, of every pod in the namespace, e.g. `"16Gi"`. @default no memory quota */
  readonly memory?: string;
  /** Number of pods (any phase but Succeeded/Failed) in the namespace. @default no pod quota */
  readonly pods?: number;
}

/** A scheduling priority, one of three PriorityClasses berth owns (`berth-high`, `berth-normal`, `berth-low`). */
export type PriorityName = 'high' | 'normal' | 'low';

/** How an environment's rendering is split into files (`layout`). */
export type LayoutName = 'per-service' | 'single-file';

/** Route-specific load-balancer settings for a path of a public service (its own Service + BackendConfig). */
export interface RouteDeclaration {
  /** A path prefix: one of the service's `paths` or under one of them, e.g. `/cable`. */
  readonly path: string;
  /** Load balancer backend timeout for this path in seconds (BackendConfig `timeoutSec`). @default the service's `timeoutSeconds` */
  readonly timeoutSeconds?: number;
}

/** Scaling on an external metric (HPA `External`), e.g. a Pub/Sub backlog through the Custom Metrics Stackdriver Adapter. */
export interface ExternalMetricDeclaration {
  /** Metric name as the adapter serves it, e.g. `pubsub.googleapis.com|subscription|num_undelivered_messages`. */
  readonly metric: string;
  /** Label selector on the metric, e.g. `{ resource.labels.subscription_id: orders }`. @default {} (every series) */
  readonly selector?: Readonly<Record<string, string>>;
  /** Target value per pod (HPA `AverageValue`), a quantity like `"100"`. Exactly one of the two targets. @default none */
  readonly targetAverageValue?: string;
  /** Target total value (HPA `Value`), a quantity. Exactly one of the two targets. @default none */
  readonly targetValue?: string;
}

/** Autoscaling on CPU, memory and/or an external metric (HorizontalPodAutoscaler, autoscaling/v2). */
export interface AutoscalingDeclaration {
  /** Minimum replicas (≥ 1). Any HPA gets a disruption budget (`max` > 1), whatever its minimum. */
  readonly min: number;
  /** Maximum replicas (> min). */
  readonly max: number;
  /** Target average CPU utilisation, percent of the CPU request. @default 70 when neither `memoryPercent` nor `external` is declared, else none */
  readonly cpuPercent?: number;
  /** Target average memory utilisation, percent of the memory request. @default none */
  readonly memoryPercent?: number;
  /** Scale on an external metric (needs the Custom Metrics Stackdriver Adapter on GKE). @default none */
  readonly external?: ExternalMetricDeclaration;
}

/** An environment variable whose value comes from an existing Kubernetes Secret (never a value in the manifest). */
export interface SecretRef {
  /** Secret name in the environment's namespace. */
  readonly secret: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** The protocol of a service's main port. */
export type ServiceProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

/** A health check in object form: exactly one of `path`, `grpc`, `tcp`. */
export interface HealthCheckDeclaration {
  /** HTTP GET path; healthy on a 2xx/3xx answer. @default none */
  readonly path?: string;
  /** The gRPC health protocol (`grpc.health.v1.Health/Check`); a string names the checked service. @default none */
  readonly grpc?: true | string;
  /** A TCP connect to the port. @default none */
  readonly tcp?: true;
  /** Container port to check: the main `port` or one of `ports`. @default the main port */
  readonly port?: number;
  /** HTTP headers sent with a `path` check (`httpGet.httpHeaders`), e.g. a `Host` header. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Seconds between checks. @default 5 for readiness, 10 for liveness */
  readonly periodSeconds?: number;
  /** Consecutive failures before the check fails. @default 2 for readiness, 3 for liveness */
  readonly failureThreshold?: number;
}

/** A health check: an HTTP path, or the object form. */
export type HealthDeclaration = string | HealthCheckDeclaration;

/** An extra named container port, exposed on the service's Service with the same number. */
export interface PortDeclaration {
  /** IANA service name: at most 15 lowercase letters, digits and "-", e.g. `metrics`. */
  readonly name: string;
  /** Container port (also the Service port). */
  readonly port: number;
  /** Transport protocol. @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP';
}

/** One service: a Deployment, plus a Service when it has a port, plus an Ingress route when it has a host. */
export interface ServiceDeclaration {
  /** Load-balancer features of this public service, merged field by field over the environment's `loadBalancer`. @default the environment's */
  readonly loadBalancer?: LoadBalancerDeclaration;
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
  /**
   * The readiness check, which is also the load balancer health check of a public service: an HTTP path
   * (`"/healthz"`) or `{ path | grpc | tcp, ... }`. Required for `http`/`http2` services with a port;
   * `grpc` and `tcp` services default to their protocol's check (gRPC health protocol / TCP connect).
   * @default none for http/http2 (declare it); `{ grpc: true }` for grpc; `{ tcp: true }` for tcp
   */
  readonly health?: HealthDeclaration;
  /** A liveness check, same forms as `health` (must differ from the readiness check). @default none (no liveness probe) */
  readonly liveness?: HealthDeclaration;
  /** What the main port speaks: `http`, `http2` (h2c, or h2 over TLS with `backendTls`), `grpc` or `tcp`. @default "http" */
  readonly protocol?: ServiceProtocol;
  /**
   * The main port serves TLS (any certificate): the load balancer then speaks HTTPS/HTTP2-over-TLS to it and
   * the HTTP probes use `scheme: HTTPS`. Required for a public `http2`/`grpc` service (GKE's load balancer
   * speaks HTTP/2 to backends only over TLS). @default false
   */
  readonly backendTls?: boolean;
  /** Seconds a slow starter may take before readiness/liveness apply: adds a startup probe of the readiness kind. @default none (no startup probe) */
  readonly startupSeconds?: number;
  /** The Service port callers use; the target stays the named container port. @default `port` */
  readonly servicePort?: number;
  /** Extra named container ports (metrics, admin) exposed on the same Service; route and health target the main port. @default [] */
  readonly ports?: readonly PortDeclaration[];
  /** Memory request, e.g. `512Mi`. Also the limit unless `memoryLimit` is given. */
  readonly memory: string;
  /** Memory limit, ≥ `memory`. @default equal to `memory` */
  readonly memoryLimit?: string;
  /** CPU request, e.g. `250m`. */
  readonly cpu: string;
  /** CPU limit (opt-in: throttling hurts latency). @default none */
  readonly cpuLimit?: string;
  /** Fixed replica count (an error next to `autoscaling`). @default 2 (1 when `singleton`) */
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
   * The drain budget in seconds: LB connection draining; the preStop sleep is half of it (unless
   * `drainSleepSeconds`) and the termination grace period is budget + 30 s for the app's own shutdown.
   * @default 30
   */
  readonly drainSeconds?: number;
  /** Load balancer backend timeout in seconds (BackendConfig `timeoutSec`). @default 30 */
  readonly timeoutSeconds?: number;
  /** Google service account for Workload Identity (`name@project.iam.gserviceaccount.com`). @default none */
  readonly gcpServiceAccount?: string;
  /** Set false in an environment override to leave the service out of that environment. @default true */
  readonly enabled?: boolean;
  /** Exactly one pod at a time (e.g. Celery beat): replicas 1, `Recreate` strategy, no PDB (unless `disruption: never`), no HPA. @default false */
  readonly singleton?: boolean;
  /** Extra volumes: an `emptyDir` of a size, or a Secret / ConfigMap mounted read-only. @default [] */
  readonly mounts?: readonly MountDeclaration[];
  /** A PersistentVolumeClaim per pod: the service becomes a StatefulSet. @default none (a Deployment) */
  readonly storage?: StorageDeclaration;
  /** UID of the pod's processes (non-root: ≥ 1). @default 10001 */
  readonly runAsUser?: number;
  /** Primary GID of the pod's processes (≥ 1). @default 10001 */
  readonly runAsGroup?: number;
  /** Group owning mounted volumes (≥ 1). @default `runAsGroup` */
  readonly fsGroup?: number;
  /** Annotations on the pod template (not on the workload). @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Node labels a pod requires, e.g. `cloud.google.com/gke-spot: "true"`. @default {} */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Node taints the pods tolerate. @default [] */
  readonly tolerations?: readonly TolerationDeclaration[];
  /**
   * Extra containers in the pod, run as native sidecars (init containers with `restartPolicy: Always`,
   * Kubernetes ≥ 1.29): started before the app, stopped after it, same restricted security context.
   * @default [] (no sidecar)
   */
  readonly sidecars?: readonly SidecarDeclaration[];
  /**
   * The Cloud SQL Auth Proxy v2 as a native sidecar; the app connects to `127.0.0.1:5432` (first instance),
   * `127.0.0.1:5433` (second), … Requires `gcpServiceAccount` (Workload Identity, `roles/cloudsql.client`).
   * @default none (no proxy)
   */
  readonly cloudSql?: CloudSqlDeclaration;
  /**
   * Who may connect to the service's ports inside the cluster: names of services or jobs of the same environment, or
   * `environment/service` for a service of another environment. @default none (every pod of the same environment)
   */
  readonly callers?: readonly string[];
  /** Scheduling priority (PriorityClass `berth-<priority>`): `high` pods may preempt `normal` and `low` ones. @default the environment's `defaultPriority` */
  readonly priority?: PriorityName;
  /** Paths that need their own load-balancer settings (each gets a Service + BackendConfig over the same pods, on the same Ingress). @default [] */
  readonly routes?: readonly RouteDeclaration[];
  /**
   * Names of `kubernetes.io/dockerconfigjson` Secrets in the namespace, attached to the service's
   * ServiceAccount (`imagePullSecrets`), for private registries (GHCR, Docker Hub, Quay). Replaces the
   * environment's default; `[]` clears it. @default the environment's `imagePullSecrets`, else []
   */
  readonly imagePullSecrets?: readonly string[];
  /** Size of the `/tmp` emptyDir every pod gets (`sizeLimit`), counted into `ephemeral-storage`. @default "256Mi" */
  readonly scratch?: string;
  /**
   * Other writable paths of the read-only root filesystem, each an emptyDir of the given size counted into
   * `ephemeral-storage`, e.g. `{ /app/tmp/pids: 16Mi, /app/.next/cache: 1Gi }`. @default {}
   */
  readonly writable?: Readonly<Record<string, string>>;
  /**
   * Pace of a Deployment's rolling update. Not for a `singleton` (Recreate) or a service with `storage`
   * (a StatefulSet replaces one pod at a time). @default { maxSurge: 1, maxUnavailable: 0 }; autoscaled: { maxSurge: "25%", maxUnavailable: 0 }
   */
  readonly rollout?: RolloutDeclaration;
  /**
   * `never`: the pods must not be evicted (PDB `maxUnavailable: 0` and `cluster-autoscaler.kubernetes.io/safe-to-evict: "false"`);
   * blocks node drains and upgrades while a pod runs. @default none (a PDB with `maxUnavailable: 1` when the service can run more than one pod)
   */
  readonly disruption?: 'never';
  /**
   * Init steps run to completion, in order, before the app starts (after the Cloud SQL Auth Proxy, before the
   * other sidecars); same restricted security context as the sidecars. @default [] (no init step)
   */
  readonly init?: readonly InitContainerDeclaration[];
  /**
   * A command run in the app container when the pod stops, before the drain sleep and SIGTERM
   * (e.g. Sidekiq's `quiet`). With a drain sleep it runs through `/bin/sh` (the image needs a shell). @default none
   */
  readonly preStop?: readonly string[];
  /**
   * Seconds the app keeps serving after the pod is marked for deletion, while the load balancer detaches it
   * (the `preStop` sleep); 0 for none; at most `drainSeconds`. @default half of `drainSeconds` (rounded up), for a service with a port
   */
  readonly drainSleepSeconds?: number;
}

/** The pace of a rolling update: an integer number of pods, or a percentage of the replicas such as "25%". */
export interface RolloutDeclaration {
  /** Extra pods above the desired count during a rollout. @default 1 ("25%" when autoscaled) */
  readonly maxSurge?: number | string;
  /** Pods below the desired count during a rollout. @default 0 */
  readonly maxUnavailable?: number | string;
}

/** A plain init container of a service's pod: runs to completion before the app starts. */
export interface InitContainerDeclaration {
  /** RFC 1123 label, unique among the pod's containers. */
  readonly name: string;
  /** Container image with a tag or digest; `:latest` and untagged images are rejected. */
  readonly image: string;
  /** Container command override. @default the image's entrypoint */
  readonly command?: readonly string[];
  /** Container args override. @default the image's cmd */
  readonly args?: readonly string[];
  /** Memory request, and limit, e.g. `64Mi`. */
  readonly memory: string;
  /** CPU request (no limit). @default "50m" */
  readonly cpu?: string;
  /** Plain environment variables (same rules as the service's `env`). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from existing Secrets. @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretRef>>;
}

/** An extra container of a service's pod, run as a native sidecar. */
export interface SidecarDeclaration {
  /** RFC 1123 label, unique within the pod, not the service's name (which names the app container). */
  readonly name: string;
  /** Container image with a tag or digest; `:latest` and untagged images are rejected. */
  readonly image: string;
  /** Container command override. @default the image's entrypoint */
  readonly command?: readonly string[];
  /** Container args override. @default the image's cmd */
  readonly args?: readonly string[];
  /** Port the sidecar listens on (declared as a containerPort; must not clash with the app's port). @default none */
  readonly port?: number;
  /** Memory request, and limit (no overcommit), e.g. `64Mi`. */
  readonly memory: string;
  /** CPU request (no limit). @default "50m" */
  readonly cpu?: string;
  /** Plain environment variables (same rules as the service's `env`). @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from existing Secrets. @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretRef>>;
}

/** The Cloud SQL Auth Proxy v2 sidecar (authenticated by Workload Identity through `gcpServiceAccount`). */
export interface CloudSqlDeclaration {
  /** Instance connection names, `project:region:instance`; the i-th listens on `127.0.0.1:5432 + i`. */
  readonly instances: readonly string[];
  /** Connect over the instances' private IP (`--private-ip`; VPC-native cluster in the instance's VPC). @default false */
  readonly privateIp?: boolean;
}

/** One extra volume; exactly one of `emptyDir`, `secret`, `configMap`. */
export interface MountDeclaration {
  /** Absolute mount path in the container, e.g. `/var/cache/app`. */
  readonly path: string;
  /** A scratch directory of at most this size (`sizeLimit`), e.g. `1Gi`. @default none */
  readonly emptyDir?: string;
  /** Name of a Secret in the namespace, mounted read-only (one file per key). @default none */
  readonly secret?: string;
  /** Name of a ConfigMap in the namespace, mounted read-only (one file per key). @default none */
  readonly configMap?: string;
}

/** One PersistentVolumeClaim per pod (StatefulSet `volumeClaimTemplates`), ReadWriteOnce. */
export interface StorageDeclaration {
  /** Absolute mount path, e.g. `/data`. */
  readonly path: string;
  /** Requested size, e.g. `10Gi`. */
  readonly size: string;
  /** StorageClass name. @default "standard-rwo" (GKE balanced persistent disk) */
  readonly class?: string;
}

/** A toleration of a node taint (`key` required). */
export interface TolerationDeclaration {
  /** Taint key, e.g. `cloud.google.com/gke-spot`. */
  readonly key: string;
  /** `Equal` (key and value match) or `Exists` (any value). @default "Equal" */
  readonly operator?: 'Equal' | 'Exists';
  /** Taint value (only with `Equal`). @default "" */
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. @default every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * Any service field except `name`, overridden for one environment; `null` drops the base value.
 * `env` and `secretEnv` merge per key with the base (a `null` value deletes that key); other fields replace.
 */
export type ServiceOverride = { readonly [K in Exclude<keyof ServiceDeclaration, 'name' | MergedMaps>]?: ServiceDeclaration[K] | null } & {
  readonly env?: Readonly<Record<string, string | null>> | null;
  readonly secretEnv?: Readonly<Record<string, SecretRef | null>> | null;
};

/** Map fields an override merges per key instead of replacing. */
type MergedMaps = 'env' | 'secretEnv';

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
  /** Pull secrets on the job's ServiceAccount (as a service's). @default the `from` service's, else the environment's, else [] */
  readonly imagePullSecrets?: readonly string[];
}

/** Any job field except `name`, overridden for one environment; `null` drops the base value. */
export type JobOverride = { readonly [K in Exclude<keyof JobDeclaration, 'name'>]?: JobDeclaration[K] | null };
