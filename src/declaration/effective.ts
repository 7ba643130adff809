import { DEFAULT_REPLICAS, SINGLETON_REPLICAS } from './defaults.js';
import type { EnvironmentDeclaration, PlatformDeclaration, ServiceDeclaration, ServiceOverride } from './types.js';

/** A service as it runs in one environment: the base declaration with that environment's override applied. */
export interface EffectiveService {
  readonly service: ServiceDeclaration;
  /** Index in `services`, for error paths. */
  readonly index: number;
  /** True when the environment overrides at least one field. */
  readonly overridden: boolean;
}

/** Services enabled in `envName`, in declaration order, with overrides applied (shallow, field by field). */
export function effectiveServices(platform: PlatformDeclaration, envName: string): EffectiveService[] {
  const env: EnvironmentDeclaration = platform.environments[envName] ?? {};
  const overrides = env.services ?? {};
  const out: EffectiveService[] = [];
  platform.services.forEach((base, index) => {
    const override = overrides[base.name];
    const service = withPullSecrets(override ? merge(base, override) : base, env);
    if (service.enabled !== false) out.push({ service, index, overridden: override !== undefined });
  });
  return out;
}

/** The namespace of an environment (defaults to its name). */
export function namespaceOf(platform: PlatformDeclaration, envName: string): string {
  return environmentNamespace(envName, platform.environments[envName]);
}

/** The namespace of environment `envName` declared as `env`: its `namespace`, else its name. */
export function environmentNamespace(envName: string, env: Pick<EnvironmentDeclaration, 'namespace'> | undefined): string {
  return env?.namespace ?? envName;
}

/** Every public host of a service (main host first). */
export function hostsOf(s: ServiceDeclaration): string[] {
  return s.host === undefined ? [] : [s.host, ...(s.hosts ?? [])];
}

/** Fixed replica count: none with autoscaling, else `replicas`, defaulting to 1 for a singleton and 2 otherwise. */
export function fixedReplicas(s: Pick<ServiceDeclaration, 'autoscaling' | 'replicas' | 'singleton'>): number | undefined {
  if (s.autoscaling) return undefined;
  return s.replicas ?? (s.singleton ? SINGLETON_REPLICAS : DEFAULT_REPLICAS);
}

export { DEFAULT_REPLICAS } from './defaults.js';

/** Fields an override merges per key (a null value deletes the key); every other field is replaced. */
const MERGED_MAPS = new Set(['env', 'secretEnv']);

function merge(base: ServiceDeclaration, override: ServiceOverride): ServiceDeclaration {
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete merged[k];
    else if (v !== undefined) merged[k] = MERGED_MAPS.has(k) ? mergeMap(merged[k] as Record<string, unknown> | undefined, v as Record<string, unknown>) : v;
  }
  return merged as unknown as ServiceDeclaration;
}

/** Base keys keep their declared position, new keys come after them; null deletes a key. */
function mergeMap(base: Record<string, unknown> | undefined, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out;
}

/** An environment override applied to any declaration (the services' rule, shared with jobs). */
export function applyOverride<T extends object>(base: T, override: object): T {
  return merge(base as unknown as ServiceDeclaration, override) as unknown as T;
}

/** The environment's default `imagePullSecrets` for a service or job that declares none (its own list, even `[]`, wins). */
export function withPullSecrets<T extends { readonly imagePullSecrets?: readonly string[] }>(item: T, env: EnvironmentDeclaration | undefined): T {
  return item.imagePullSecrets === undefined && env?.imagePullSecrets ? { ...item, imagePullSecrets: env.imagePullSecrets } : item;
}
