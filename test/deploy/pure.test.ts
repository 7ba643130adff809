import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../src/render/types.js';
import { applyWaves, mapLimit, sortForApply } from '../../src/deploy/order.js';
import { applySetId, checkTooling, membership, parentObject, readParent, withMembership } from '../../src/deploy/applyset.js';
import { contentHash, diffFields, isSubset, isUpToDate, liveChanges, withHash } from '../../src/deploy/compare.js';
import { parseRetryAfter, retryDelay, DEFAULT_RETRY, isRetryableStatus } from '../../src/deploy/retry.js';

const obj = (apiVersion: string, kind: string, name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: kind === 'Namespace' ? undefined : 'prod' },
  ...extra,
});

describe('apply order', () => {
  const objects = [
    obj('networking.k8s.io/v1', 'Ingress', 'prod'),
    obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'api'),
    obj('policy/v1', 'PodDisruptionBudget', 'api'),
    obj('apps/v1', 'Deployment', 'web'),
    obj('apps/v1', 'Deployment', 'api'),
    obj('v1', 'Service', 'api'),
    obj('v1', 'ConfigMap', 'cfg'),
    obj('v1', 'ServiceAccount', 'api'),
    obj('cloud.google.com/v1', 'BackendConfig', 'api'),
    obj('v1', 'Namespace', 'prod'),
  ];

  it('Namespace, CRD-backed config, ServiceAccount, ConfigMap/Secret, Service, Deployment, PDB, HPA, Ingress', () => {
    expect(sortForApply(objects).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/prod',
      'BackendConfig/api',
      'ServiceAccount/api',
      'ConfigMap/cfg',
      'Service/api',
      'Deployment/api',
      'Deployment/web',
      'PodDisruptionBudget/api',
      'HorizontalPodAutoscaler/api',
      'Ingress/prod',
    ]);
  });

  it('groups equal kinds into one wave', () => {
    expect(applyWaves(objects).map((w) => w.length)).toEqual([1, 1, 1, 1, 1, 2, 1, 1, 1]);
  });

  it('mapLimit never exceeds its concurrency and keeps result order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([...Array(50).keys()], 7, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(7);
    expect(out).toEqual([...Array(50).keys()].map((i) => i * 2));
  });
});

describe('ApplySet (KEP-3659)', () => {
  it('id = applyset-<base64url(sha256(name.namespace.Kind.group))>-v1', () => {
    const expected = `applyset-${createHash('sha256').update('berth-production.production.Secret.').digest('base64url')}-v1`;
    expect(applySetId({ name: 'berth-production', namespace: 'production' })).toBe(expected);
    expect(expected).not.toMatch(/[=+/]/);
  });

  it('matches the id kubectl v1.32 computes (observed: KUBECTL_APPLYSET=true kubectl apply --applyset=secret/demo -n demo-ns)', () => {
    expect(applySetId({ name: 'demo', namespace: 'demo-ns' })).toBe(KUBECTL_VECTOR);
  });

  it('parent annotations: tooling, sorted group-kinds (core kinds bare), additional namespaces', () => {
    const objects = [obj('apps/v1', 'Deployment', 'a'), obj('v1', 'Service', 'a'), obj('networking.k8s.io/v1', 'Ingress', 'i'), obj('v1', 'Namespace', 'prod')];
    const set = membership(objects, { name: 'p', namespace: 'prod' });
    expect(set).toEqual({ groupKinds: ['Deployment.apps', 'Ingress.networking.k8s.io', 'Namespace', 'Service'], namespaces: [] });
    const parent = parentObject({ name: 'p', namespace: 'prod' }, 'applyset-x-v1', 'berth/v0.1.0', set);
    expect(parent.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': 'applyset-x-v1' });
    expect(parent.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'berth/v0.1.0',
      'applyset.kubernetes.io/contains-group-kinds': 'Deployment.apps,Ingress.networking.k8s.io,Namespace,Service',
      'applyset.kubernetes.io/additional-namespaces': '',
    });
    expect(readParent(parent)?.groupKinds).toHaveLength(4);
    expect(withMembership(objects[0], 'applyset-x-v1').metadata.labels).toEqual({ 'applyset.kubernetes.io/part-of': 'applyset-x-v1' });
  });

  it('adds the membership label in key order, replacing an earlier value, and leaves shared objects alone', () => {
    // GIVEN an object whose labels are sorted and one that already carries a membership label
    const sorted = { ...obj('apps/v1', 'Deployment', 'a'), metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'a', 'berth.dev/environment': 'p' } } };
    const stale = { ...obj('v1', 'Service', 'a'), metadata: { name: 'a', labels: { 'applyset.kubernetes.io/part-of': 'old', zz: '1' } } };
    // WHEN each becomes a member
    const labels = withMembership(sorted, 'applyset-x-v1').metadata.labels ?? {};
    // THEN the label sits where sorting puts it, with every other label kept
    expect(Object.keys(labels)).toEqual(['app.kubernetes.io/name', 'applyset.kubernetes.io/part-of', 'berth.dev/environment']);
    expect(labels['applyset.kubernetes.io/part-of']).toBe('applyset-x-v1');
    expect(withMembership(stale, 'applyset-x-v1').metadata.labels).toEqual({ 'applyset.kubernetes.io/part-of': 'applyset-x-v1', zz: '1' });
    expect(sorted.metadata.labels).not.toHaveProperty(['applyset.kubernetes.io/part-of']);
  });

  it('refuses a parent owned by another tool', () => {
    expect(() => checkTooling({ groupKinds: [], namespaces: [], tooling: 'kubectl/v1.32.0' }, { name: 'p', namespace: 'n' })).toThrow(/managed by "kubectl/);
    expect(() => checkTooling({ groupKinds: [], namespaces: [], tooling: 'berth/v0.0.1' }, { name: 'p', namespace: 'n' })).not.toThrow();
  });
});

/** The label kubectl v1.32.4 wrote on its parent Secret `demo` in namespace `demo-ns` (observed on the local control plane). */
const KUBECTL_VECTOR = 'applyset-3zCwnjleBaqPlVdYVnZj7iy1uvu_iDEGwVZu5Oj5qvw-v1';

describe('comparison', () => {
  const desired = withHash(
    obj('apps/v1', 'Deployment', 'api', { spec: { replicas: 2, template: { spec: { containers: [{ name: 'api', image: 'img:1' }] } } } }),
  );
  const live = {
    ...desired,
    metadata: { ...desired.metadata, resourceVersion: '5', uid: 'u', labels: { extra: 'x' } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate' },
      template: { spec: { containers: [{ name: 'api', image: 'img:1', imagePullPolicy: 'IfNotPresent' }] } },
    },
    status: { replicas: 2 },
  } as KubeObject;

  it('a live object with server defaults and foreign labels is up to date', () => {
    expect(isSubset(desired, live)).toBe(true);
    expect(isUpToDate(desired, live)).toBe(true);
  });

  it('drift in a declared field is detected', () => {
    const drifted = { ...live, spec: { ...(live.spec as object), replicas: 5 } } as KubeObject;
    expect(isUpToDate(desired, drifted)).toBe(false);
  });

  it('a field removed from the declaration changes the hash', () => {
    const smaller = withHash(obj('apps/v1', 'Deployment', 'api', { spec: { template: { spec: { containers: [{ name: 'api', image: 'img:1' }] } } } }));
    expect(isSubset(smaller.spec, live.spec)).toBe(true);
    expect(isUpToDate(smaller, live)).toBe(false);
  });

  it('field-level diff between live and dry-run ignores bookkeeping and status', () => {
    const after = { ...live, metadata: { ...live.metadata, resourceVersion: '6' }, spec: { ...(live.spec as object), replicas: 3 }, status: {} } as KubeObject;
    expect(liveChanges(live, after)).toEqual([{ path: 'spec.replicas', before: 2, after: 3 }]);
    expect(diffFields({ a: [1, 2] }, { a: [1, 2, 3] })).toEqual([{ path: 'a', before: [1, 2], after: [1, 2, 3] }]);
  });
});

describe('retries', () => {
  it('retries 429 and 5xx, never 409 or other 4xx', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
  it('honours Retry-After seconds and dates, capped', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(retryDelay(DEFAULT_RETRY, 1, 2000)).toBe(2000);
    expect(retryDelay(DEFAULT_RETRY, 1, 10_000_000)).toBe(DEFAULT_RETRY.maxRetryAfterMs);
  });
  it('otherwise backs off exponentially with jitter up to a cap', () => {
    expect(retryDelay(DEFAULT_RETRY, 1, undefined, () => 1)).toBe(200);
    expect(retryDelay(DEFAULT_RETRY, 3, undefined, () => 0)).toBe(400);
    expect(retryDelay(DEFAULT_RETRY, 20, undefined, () => 1)).toBe(5000);
  });
});

describe('exit codes', () => {
  it('maps each failure to its documented exit code', async () => {
    const { classify, EXIT } = await import('../../src/cli/cluster-exit-codes.js');
    const { UsageError } = await import('../../src/cli/flags.js');
    const { PreflightError, ApplyError } = await import('../../src/deploy/apply.js');
    const { RolloutError } = await import('../../src/deploy/wait.js');
    const { KubeApiError } = await import('../../src/deploy/client.js');
    expect(classify(new UsageError('--env NAME is required')).code).toBe(EXIT.badInput);
    expect(classify(new PreflightError([{ object: 'Deployment p/a', message: 'bad' }])).code).toBe(EXIT.rejected);
    expect(classify(new ApplyError(['x'], [{ object: 'Service p/a', message: 'boom', status: 422, rejected: true }])).code).toBe(EXIT.applyFailed);
    expect(
      classify(new ApplyError([], [{ object: 'Service p/a', message: 'cannot reach the Kubernetes API at https://x: ECONNREFUSED', status: 0 }])).code,
    ).toBe(EXIT.unreachable);
    const rollout = classify(new RolloutError([{ object: 'api', ready: false, message: '0/3 pods ready: ImagePullBackOff on img:1' }], true));
    expect(rollout).toEqual({ code: EXIT.rolloutFailed, message: 'timed out waiting:\napi: 0/3 pods ready: ImagePullBackOff on img:1' });
    expect(classify(new KubeApiError('Unauthorized', 401, 'Unauthorized')).code).toBe(EXIT.unreachable);
    const ac = new AbortController();
    ac.abort();
    expect(classify(new Error('x'), ac.signal).code).toBe(EXIT.interrupted);
  });

  it('a 500 "field not declared in schema" from server-side apply is a rejection, not a retryable error', async () => {
    const { KubeApiError } = await import('../../src/deploy/client.js');
    expect(
      new KubeApiError(
        'failed to create typed patch object (ns/x; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema',
        500,
        'InternalError',
      ).rejected,
    ).toBe(true);
    expect(new KubeApiError('etcdserver: request timed out', 500, 'InternalError').rejected).toBe(false);
    expect(new KubeApiError('conflict', 409, 'Conflict').rejected).toBe(true);
    expect(new KubeApiError('slow down', 429, 'TooManyRequests').rejected).toBe(false);
  });
});

describe('contentHash', () => {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

  it('hashes the JSON of the object with keys sorted at every depth, whatever the order given', () => {
    // GIVEN the same content with keys unsorted at the top, below it, or nowhere
    const canonicalText = '{"a":{"c":[{"x":2,"y":1}],"d":null},"b":1}';
    const variants = [
      { b: 1, a: { d: null, c: [{ y: 1, x: 2 }] } },
      { b: 1, a: { c: [{ x: 2, y: 1 }], d: null } },
      { a: { c: [{ x: 2, y: 1 }], d: null }, b: 1 },
      { a: { d: null, c: [{ x: 2, y: 1 }], gone: undefined }, b: 1 },
    ];
    // WHEN hashed THEN every variant hashes the canonical text
    for (const v of variants) expect(contentHash(v)).toBe(sha(canonicalText));
  });

  it('tells different content apart, and treats a class instance below the top as its own keys', () => {
    // GIVEN a changed value, and a Date (whose toJSON the canonical form never calls)
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    // THEN a Date hashes as an object without keys, as before this fast path existed
    expect(contentHash({ a: new Date(0) })).toBe(sha('{"a":{}}'));
  });
});
