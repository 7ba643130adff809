import type { DeclarationIssue } from './errors.js';

/** The structural schema of the declaration: types and allowed keys, checked before any value rule. */
export type Shape =
  | { readonly kind: 'string' | 'int' | 'bool' | 'number' }
  | { readonly kind: 'list'; readonly of: Shape }
  | { readonly kind: 'map'; readonly of: Shape; readonly nullableValues?: boolean }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape>>; readonly required?: readonly string[]; readonly nullable?: boolean }
  /** A union: the value is checked against the first alternative of its type (`fix` explains the accepted forms). */
  | { readonly kind: 'oneOf'; readonly of: readonly Shape[]; readonly fix: string };

const str: Shape = { kind: 'string' };
const int: Shape = { kind: 'int' };
const bool: Shape = { kind: 'bool' };
const strList: Shape = { kind: 'list', of: str };
const num: Shape = { kind: 'number' };

/** Load-balancer features (types.ts LoadBalancerDeclaration), on an environment and on a service. */
const LOAD_BALANCER_SHAPE: Shape = {
  kind: 'object',
  fields: {
    securityPolicy: str,
    iap: { kind: 'object', fields: { secret: str, enabled: bool } },
    logging: { kind: 'object', fields: { enabled: bool, sampleRate: num } },
    responseHeaders: { kind: 'map', of: str },
    requestHeaders: { kind: 'map', of: str },
    sessionAffinity: { kind: 'object', fields: { type: str, cookieTtlSeconds: int }, required: ['type'] },
    cdn: {
      kind: 'object',
      fields: {
        enabled: bool,
        cacheMode: str,
        cachePolicy: { kind: 'object', fields: { includeHost: bool, includeProtocol: bool, includeQueryString: bool } },
      },
    },
  },
};

/** A health check: an HTTP path, or `{ path | grpc | tcp, port?, headers?, periodSeconds?, failureThreshold? }`. */
const HEALTH: Shape = {
  kind: 'oneOf',
  fix: 'write a path such as "/healthz", or a map with one check kind, e.g. { path: /healthz }, { grpc: true } or { tcp: true }',
  of: [
    str,
    {
      kind: 'object',
      fields: {
        path: str,
        tcp: bool,
        port: int,
        headers: { kind: 'map', of: str },
        periodSeconds: int,
        failureThreshold: int,
        grpc: { kind: 'oneOf', of: [bool, str], fix: 'write grpc: true, or the name of the gRPC service to check, e.g. grpc: hipstershop.CartService' },
      },
    },
  ],
};

/** Protocol, probes and ports of a service (see types.ts). */
const PROTOCOL_FIELDS: Record<string, Shape> = {
  health: HEALTH,
  liveness: HEALTH,
  protocol: str,
  backendTls: bool,
  startupSeconds: int,
  servicePort: int,
  ports: { kind: 'list', of: { kind: 'object', fields: { name: str, port: int, protocol: str }, required: ['name', 'port'] } },
};

const SECRET_ENV_SHAPE: Shape = { kind: 'map', of: { kind: 'object', fields: { secret: str, key: str }, required: ['secret', 'key'] } };
const SIDECAR_SHAPE: Shape = {
  kind: 'object',
  fields: {
    name: str,
    image: str,
    command: strList,
    args: strList,
    port: int,
    memory: str,
    cpu: str,
    env: { kind: 'map', of: str },
    secretEnv: SECRET_ENV_SHAPE,
  },
  required: ['name', 'image', 'memory'],
};

/** Pod-level fields (singleton, volumes, storage, users, scheduling). */
const POD_FIELDS: Record<string, Shape> = {
  singleton: bool,
  mounts: { kind: 'list', of: { kind: 'object', fields: { path: str, emptyDir: str, secret: str, configMap: str }, required: ['path'] } },
  storage: { kind: 'object', fields: { path: str, size: str, class: str }, required: ['path', 'size'] },
  runAsUser: int,
  runAsGroup: int,
  fsGroup: int,
  podAnnotations: { kind: 'map', of: str },
  nodeSelector: { kind: 'map', of: str },
  tolerations: { kind: 'list', of: { kind: 'object', fields: { key: str, operator: str, value: str, effect: str }, required: ['key'] } },
};

/** Production knobs of the pod (issue 13): pull secrets, writable space, rollout pace, disruption, init steps, shutdown. */
const INT_OR_PERCENT: Shape = { kind: 'oneOf', of: [int, str], fix: 'write a whole number of pods, e.g. 1, or a percentage in quotes, e.g. "25%"' };
const KNOB_FIELDS: Record<string, Shape> = {
  imagePullSecrets: strList,
  scratch: str,
  writable: { kind: 'map', of: str },
  rollout: { kind: 'object', fields: { maxSurge: INT_OR_PERCENT, maxUnavailable: INT_OR_PERCENT } },
  disruption: str,
  preStop: strList,
  drainSleepSeconds: int,
  init: {
    kind: 'list',
    of: {
      kind: 'object',
      fields: { name: str, image: str, command: strList, args: strList, memory: str, cpu: str, env: { kind: 'map', of: str }, secretEnv: SECRET_ENV_SHAPE },
      required: ['name', 'image', 'memory'],
    },
  },
};

const SERVICE_FIELDS: Record<string, Shape> = {
  image: str,
  port: int,
  host: str,
  hosts: strList,
  paths: strList,
  ...PROTOCOL_FIELDS,
  memory: str,
  memoryLimit: str,
  cpu: str,
  cpuLimit: str,
  replicas: int,
  autoscaling: {
    kind: 'object',
    required: ['min', 'max'],
    fields: {
      min: int,
      max: int,
      cpuPercent: int,
      memoryPercent: int,
      external: {
        kind: 'object',
        fields: { metric: str, selector: { kind: 'map', of: str }, targetAverageValue: str, targetValue: str },
        required: ['metric'],
      },
    },
  },
  env: { kind: 'map', of: str },
  secretEnv: { kind: 'map', of: { kind: 'object', fields: { secret: str, key: str }, required: ['secret', 'key'] } },
  command: strList,
  args: strList,
  drainSeconds: int,
  timeoutSeconds: int,
  gcpServiceAccount: str,
  enabled: bool,
  sidecars: { kind: 'list', of: SIDECAR_SHAPE },
  cloudSql: { kind: 'object', fields: { instances: strList, privateIp: bool }, required: ['instances'] },
  ...POD_FIELDS,
  ...KNOB_FIELDS,
  // production knobs (environment): priority and per-route load-balancer settings
  priority: str,
  routes: { kind: 'list', of: { kind: 'object', fields: { path: str, timeoutSeconds: int }, required: ['path'] } },
  callers: strList,
  // load balancer features
  loadBalancer: LOAD_BALANCER_SHAPE,
};

export const SERVICE_SHAPE: Shape = { kind: 'object', fields: { name: str, ...SERVICE_FIELDS }, required: ['name', 'image', 'memory', 'cpu'] };
/** `env` / `secretEnv` in an override merge per key with the base; a null value deletes one key. */
const OVERRIDE_MAPS: Record<string, Shape> = {
  env: { kind: 'map', of: str, nullableValues: true },
  secretEnv: { kind: 'map', of: { kind: 'object', fields: { secret: str, key: str }, required: ['secret', 'key'] }, nullableValues: true },
};

/** Overrides may set a field to null to drop the base value (e.g. `autoscaling: null`). */
export const OVERRIDE_SHAPE: Shape = { kind: 'object', fields: { ...SERVICE_FIELDS, ...OVERRIDE_MAPS }, nullable: true };

const JOB_FIELDS: Record<string, Shape> = {
  image: str,
  from: str,
  command: strList,
  args: strList,
  env: SERVICE_FIELDS.env,
  secretEnv: SERVICE_FIELDS.secretEnv,
  gcpServiceAccount: str,
  memory: str,
  cpu: str,
  timeoutSeconds: int,
  backoffLimit: int,
  beforeDeploy: bool,
  schedule: str,
  timeZone: str,
  concurrencyPolicy: str,
  startingDeadlineSeconds: int,
  enabled: bool,
  imagePullSecrets: strList,
};

export const JOB_SHAPE: Shape = { kind: 'object', fields: { name: str, ...JOB_FIELDS }, required: ['name', 'memory', 'cpu'] };
export const JOB_OVERRIDE_SHAPE: Shape = { kind: 'object', fields: JOB_FIELDS, nullable: true };

const HOST_CERTIFICATE_SHAPE: Shape = { kind: 'object', fields: { managed: bool, preShared: str, secret: str } };
const TLS_SHAPE: Shape = {
  kind: 'object',
  fields: { managed: bool, preSharedCerts: strList, sslPolicy: str, redirectHttps: bool, certificates: { kind: 'map', of: HOST_CERTIFICATE_SHAPE } },
};
const ENVIRONMENT_SHAPE: Shape = {
  kind: 'object',
  fields: {
    namespace: str,
    tls: TLS_SHAPE,
    staticIp: str,
    services: { kind: 'map', of: OVERRIDE_SHAPE },
    jobs: { kind: 'map', of: JOB_OVERRIDE_SHAPE },
    imagePullSecrets: strList,
    quota: { kind: 'object', fields: { cpu: str, memory: str, pods: int } },
    defaultPriority: str,
    layout: str,
    networkPolicy: bool,
    egress: { kind: 'object', fields: { allow: strList } },
    ingress: str,
    loadBalancer: LOAD_BALANCER_SHAPE,
  },
};

export const PLATFORM_SHAPE: Shape = {
  kind: 'object',
  fields: { environments: { kind: 'map', of: ENVIRONMENT_SHAPE }, services: { kind: 'list', of: SERVICE_SHAPE }, jobs: { kind: 'list', of: JOB_SHAPE } },
  required: ['environments', 'services'],
};

const TYPE_NAMES = { string: 'a string', int: 'an integer', number: 'a number', bool: 'true or false', list: 'a list', map: 'a map', object: 'a map' };

/** The longest single string value a declaration may hold (a command line, a URL, an env value). */
export const MAX_STRING_CHARS = 16 * 1024;
/** "a string", or for a union "a string or a map". */
function typeName(shape: Shape): string {
  return shape.kind === 'oneOf' ? [...new Set(shape.of.map(typeName))].join(' or ') : TYPE_NAMES[shape.kind];
}

/** Checks `value` against `shape`, appending issues; returns true when the structure is sound. */
export function checkShape(value: unknown, shape: Shape, path: string, issues: DeclarationIssue[]): boolean {
  if (shape.kind === 'oneOf') {
    const match = shape.of.find((alt) => alt.kind !== 'oneOf' && hasType(value, alt.kind));
    if (match) return checkShape(value, match, path, issues);
    issues.push({ path, value, message: `must be ${typeName(shape)}, got ${describe(value)}`, fix: shape.fix });
    return false;
  }
  if (!hasType(value, shape.kind)) {
    issues.push({ path, value, message: `must be ${typeName(shape)}, got ${describe(value)}`, fix: fixFor(shape) });
    return false;
  }
  if (shape.kind === 'string' && (value as string).length > MAX_STRING_CHARS) {
    issues.push({
      path,
      value: `(${(value as string).length} characters)`,
      message: `is longer than berth's limit of ${MAX_STRING_CHARS} characters for one value`,
      fix: 'shorten it; large content belongs in a ConfigMap or the image, not the declaration',
    });
    return false;
  }
  if (shape.kind === 'list') {
    // Array.from visits the holes of a sparse array (`map` skips them), so a hole is reported, not passed on.
    return Array.from(value as unknown[], (v, i) => checkShape(v, shape.of, `${path}[${i}]`, issues)).every(Boolean);
  }
  if (shape.kind === 'map') {
    return Object.entries(value as object)
      .map(([k, v]) => (v === null && shape.nullableValues) || checkShape(v, shape.of, join(path, k), issues))
      .every(Boolean);
  }
  if (shape.kind === 'object') return checkObject(value as Record<string, unknown>, shape, path, issues);
  return true;
}

function checkObject(value: Record<string, unknown>, shape: Extract<Shape, { kind: 'object' }>, path: string, issues: DeclarationIssue[]): boolean {
  let ok = true;
  const known = Object.keys(shape.fields);
  for (const [key, v] of Object.entries(value)) {
    // Own fields only: `constructor`, `__proto__`, `toString` are unknown keys, not Object's members.
    const field = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
    if (!field) {
      const hint = didYouMean(key, known);
      issues.push({ path: join(path, key), message: `unknown field "${key}"`, fix: hint ? `did you mean "${hint}"?` : `allowed fields: ${known.join(', ')}` });
      ok = false;
    } else if (v !== undefined && !(v === null && shape.nullable) && !checkShape(v, field, join(path, key), issues)) ok = false;
  }
  for (const key of shape.required ?? []) {
    if (value[key] === undefined || value[key] === null) {
      issues.push({ path: join(path, key), message: 'is required', fix: `add "${key}"${REQUIRED_HINTS[key] ?? ''}` });
      ok = false;
    }
  }
  return ok;
}

const REQUIRED_HINTS: Record<string, string> = {
  memory: ', e.g. "512Mi" (memory is the one resource you must size)',
  cpu: ', e.g. "250m"',
  image: ', e.g. "registry.example.com/api:1.4.2"',
  instances: ', e.g. ["acme-prod:europe-west1:main-db"] (the instance connection name)',
};

function hasType(value: unknown, kind: Exclude<Shape['kind'], 'oneOf'>): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number' : 'a fraction';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

function fixFor(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return 'write a string (quote values like "8000" or "yes" if they must be text)';
    case 'int':
      return 'write a whole number without quotes';
    case 'number':
      return 'write a number without quotes, e.g. 0.5';
    case 'bool':
      return 'write true or false';
    case 'list':
      return 'write a YAML list, e.g. ["/"]';
    case 'oneOf':
      return shape.fix;
    default:
      return 'write a map of key: value pairs';
  }
}

/** `a.b` or `a["b c"]`-free join: keys are YAML keys, shown as written. */
export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The closest candidate within edit distance 2 (or a case-insensitive match), if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
