import type { Construct } from 'constructs';
import type { ApiObjectMetadataDefinition, ApiObjectProps, App as Cdk8sApp, JsonPatch } from 'cdk8s';
import type * as K8s from './k8s-types.js';
import { cdk8s } from './cjs.js';
import { NOT_PLAIN, sanitizePlain } from './plain-json.js';

/*
 * Kubernetes objects typed by the API structs cdk8s-plus-27 ships (generated from the Kubernetes 1.27
 * OpenAPI schema by `cdk8s import`), so a misspelt field does not compile — but built as plain JSON.
 * The generated `Kube*` classes convert every object through `toJson_*` functions at synth time,
 * measured at ~40 % of berth's synth; the structs' only runtime wrappers are IntOrString and Quantity,
 * so `int()` and `qty()` below produce the plain value with the wrapper's static type.
 */

/** A port or percentage as `IntOrString` for the type checker, the plain value at runtime. */
export function int(value: number | string): K8s.IntOrString {
  return value as unknown as K8s.IntOrString;
}

/** A quantity (`512Mi`, `250m`) as `Quantity` for the type checker, the plain string at runtime. */
export function qty(value: string): K8s.Quantity {
  return value as unknown as K8s.Quantity;
}

/** Metadata berth always sets: a name, a namespace (except for cluster-scoped kinds) and labels. */
export type Metadata = K8s.ObjectMeta & { readonly name: string; readonly labels: Record<string, string> };

interface Kinds {
  Namespace: { apiVersion: 'v1'; body: Record<never, never> };
  ServiceAccount: { apiVersion: 'v1'; body: Pick<K8s.KubeServiceAccountProps, 'automountServiceAccountToken' | 'imagePullSecrets'> };
  Service: { apiVersion: 'v1'; body: { spec: K8s.ServiceSpec } };
  Deployment: { apiVersion: 'apps/v1'; body: { spec: K8s.DeploymentSpec } };
  StatefulSet: { apiVersion: 'apps/v1'; body: { spec: K8s.StatefulSetSpec } };
  PodDisruptionBudget: { apiVersion: 'policy/v1'; body: { spec: K8s.PodDisruptionBudgetSpec } };
  HorizontalPodAutoscaler: { apiVersion: 'autoscaling/v2'; body: { spec: K8s.HorizontalPodAutoscalerSpecV2 } };
  Ingress: { apiVersion: 'networking.k8s.io/v1'; body: { spec: K8s.IngressSpec } };
  Job: { apiVersion: 'batch/v1'; body: { spec: K8s.JobSpec } };
  CronJob: { apiVersion: 'batch/v1'; body: { spec: K8s.CronJobSpec } };
  PriorityClass: { apiVersion: 'scheduling.k8s.io/v1'; body: Pick<K8s.KubePriorityClassProps, 'value' | 'preemptionPolicy' | 'description' | 'globalDefault'> };
  ResourceQuota: { apiVersion: 'v1'; body: { spec: K8s.ResourceQuotaSpec } };
  LimitRange: { apiVersion: 'v1'; body: { spec: K8s.LimitRangeSpec } };
  NetworkPolicy: { apiVersion: 'networking.k8s.io/v1'; body: { spec: K8s.NetworkPolicySpec } };
}

const API_VERSIONS: { readonly [K in keyof Kinds]: Kinds[K]['apiVersion'] } = {
  Namespace: 'v1',
  ServiceAccount: 'v1',
  Service: 'v1',
  Deployment: 'apps/v1',
  PodDisruptionBudget: 'policy/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  Ingress: 'networking.k8s.io/v1',
  StatefulSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  PriorityClass: 'scheduling.k8s.io/v1',
  ResourceQuota: 'v1',
  LimitRange: 'v1',
  NetworkPolicy: 'networking.k8s.io/v1',
};

/**
 * An ApiObject whose body is plain JSON by construction, so `toJson` can skip cdk8s's token resolution,
 * which sends every value of every object through the app's resolvers (measured at about half of synth
 * time) — and gives exactly what cdk8s's own `ApiObject.toJson()` gives (test/constructs/cdk8s-contract.test.ts
 * compares them for every object of every example). The shortcut is taken only while it cannot change
 * the result: the app has cdk8s's default resolvers only, and the object's body and metadata hold plain
 * JSON. A user's `Lazy` (or any value a resolver could replace, e.g. a `metadata.addAnnotation(k, Lazy.any(…))`),
 * a custom resolver, or an error sends the object through cdk8s's own `toJson()`. Everything else behaves as
 * ApiObject: metadata comes from `this.metadata` (so `metadata.addLabel()` works), JSON patches
 * (`addJsonPatch`, the escape hatch) are applied, and apiVersion/kind/metadata come first.
 */
export class PlainApiObject extends cdk8s.ApiObject {
  private readonly body: ApiObjectProps;
  private readonly jsonPatches: JsonPatch[] = [];

  constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
    this.body = props;
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    super.addJsonPatch(...ops);
    this.jsonPatches.push(...ops);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk8s's own signature
  override toJson(): any {
    if (!defaultResolversOnly(this)) return super.toJson();
    try {
      const metadata = metadataJson(this.metadata);
      const json = metadata === NOT_PLAIN ? NOT_PLAIN : sanitizePlain({ ...this.body, metadata });
      if (json === NOT_PLAIN) return super.toJson();
      const patched = (this.jsonPatches.length > 0 ? cdk8s.JsonPatch.apply(json, ...this.jsonPatches) : json) as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (key in patched) result[key] = patched[key];
      return result;
    } catch {
      return super.toJson(); // cdk8s's own error, naming the construct
    }
  }
}

/** cdk8s's built-in resolvers (App's default); with them, resolving plain JSON changes nothing. */
function defaultResolversOnly(o: Construct): boolean {
  const resolvers = (cdk8s.App.of(o) as Partial<Cdk8sApp>).resolvers;
  return (
    Array.isArray(resolvers) &&
    resolvers.length === 3 &&
    resolvers[0] instanceof cdk8s.LazyResolver &&
    resolvers[1] instanceof cdk8s.ImplicitTokenResolver &&
    resolvers[2] instanceof cdk8s.NumberStringUnionResolver
  );
}

/** The fields `ApiObjectMetadataDefinition` keeps (private in its typings, plain fields at runtime). */
interface MetadataFields {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly finalizers?: string[];
  readonly ownerReferences?: unknown[];
  readonly _additionalAttributes?: Record<string, unknown>;
}

/**
 * What `metadata.toJson()` returns, without its token resolution (a third of what is left of synth
 * time): the same fields, sanitized the same way (empty maps and lists dropped at every depth), or
 * NOT_PLAIN. Reads the fields cdk8s 2.70 (pinned) keeps, so `metadata.addLabel()` and friends still
 * count; if they are missing, asks cdk8s.
 */
function metadataJson(metadata: ApiObjectMetadataDefinition): unknown {
  const m = metadata as unknown as MetadataFields;
  if (m.labels === undefined || m.annotations === undefined || m._additionalAttributes === undefined) return metadata.toJson();
  return sanitizePlain(
    {
      ...m._additionalAttributes,
      name: m.name,
      namespace: m.namespace,
      annotations: m.annotations,
      finalizers: m.finalizers,
      ownerReferences: m.ownerReferences,
      labels: m.labels,
    },
    { filterEmpty: true },
  );
}

/** Deep copy with object keys sorted and undefined/null values dropped (what cdk8s's sanitizer does). */
export function sortedJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedJson);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && v !== null) out[key] = sortedJson(v);
  }
  return out;
}

/** A typed Kubernetes object of `kind` in `scope` (a cdk8s ApiObject, so escape hatches work as usual). */
export function kube<K extends keyof Kinds>(scope: Construct, id: string, kind: K, metadata: Metadata, body: Kinds[K]['body']): PlainApiObject {
  return new PlainApiObject(scope, id, { apiVersion: API_VERSIONS[kind], kind, metadata, ...body });
}
