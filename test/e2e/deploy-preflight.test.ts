/**
 * The preflight's shortcuts, each proven against the real control plane: what the OpenAPI schema check must catch
 * client-side (no dry run, no write, no namespace), the objects it lets through without a server dry run (a namespace
 * this run creates), and what must still go to the server (immutable fields, quota, admission policies), with nothing
 * written in every failing case.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { PreflightError } from '../../src/deploy/apply.js';
import type { KubeClient } from '../../src/deploy/client.js';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';
import { adminClient, editObject, existsAt, deleteNamespace, deploy, render, smallPlatform, snapshotVersions, uniqueNamespace } from '../deploy/e2e-helpers.js';
import type { Json } from '../helpers.js';

const tester = adminClient();
const namespaces: string[] = [];
const cleanup: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const c of cleanup) await c().catch(() => undefined);
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  tester.close();
});

const exists = (path: string) => existsAt(tester, path);

function fresh(prefix: string): string {
  const ns = uniqueNamespace(prefix);
  namespaces.push(ns);
  return ns;
}

async function rejectedClientSide(ns: string, env: RenderedEnvironment, message: RegExp): Promise<void> {
  const c = adminClient();
  try {
    const err = await deploy(c, env).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain("checked against the API server's OpenAPI schema");
    // THEN no request but reads was sent: no dry run, no write, no namespace
    expect(c.counters.dryRuns).toBe(0);
    expect(c.counters.writes).toBe(0);
    expect(await exists(`/api/v1/namespaces/${ns}`)).toBe(false);
  } finally {
    c.close();
  }
}

describe('the OpenAPI schema check rejects client-side, before any dry run or write', () => {
  it.each([
    [
      'an unknown field',
      'Deployment',
      (o: Json) => {
        o.spec.replica = 3;
      },
      /Deployment .*\/svc-002: \.spec\.replica: field not declared in schema/,
    ],
    [
      'a wrong type',
      'Deployment',
      (o: Json) => {
        o.spec.template.spec.containers[0].ports[0].containerPort = 'http';
      },
      /\.spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort: expected integer, got string/,
    ],
    [
      'a bad enum value',
      'Service',
      (o: Json) => {
        o.spec.type = 'Balancer';
      },
      /Service .*\/svc-002: \.spec\.type: Unsupported value: "Balancer"/,
    ],
    [
      'a missing required field',
      'Deployment',
      (o: Json) => {
        delete o.spec.selector;
      },
      /\.spec\.selector: Required value/,
    ],
    [
      'an int32 out of range',
      'Deployment',
      (o: Json) => {
        o.spec.replicas = 2 ** 31;
      },
      /\.spec\.replicas: 2147483648 is out of range for int32/,
    ],
    [
      'a duplicate list-map key',
      'Deployment',
      (o: Json) => {
        const c = o.spec.template.spec.containers[0];
        c.env = [...(c.env ?? []), { name: 'DUP', value: '1' }, { name: 'DUP', value: '2' }];
      },
      /\.env: duplicate entries for key \[name\]/,
    ],
  ])('%s in a new environment', async (_what, kind, change, message) => {
    // GIVEN a new environment with one broken object
    const ns = fresh('e2e-schema');
    const env = editObject(render(smallPlatform(ns, 2), 'e2e'), kind, 'svc-002', change);
    // WHEN deployed THEN the schema check names it and nothing reached the server but reads
    await rejectedClientSide(ns, env, message);
  });

  it("a typo in an existing environment is left to the server's dry run (stricter there), nothing written", async () => {
    // GIVEN a deployed environment WHEN a change with a typo is deployed
    const ns = fresh('e2e-schema-upd');
    await deploy(tester, render(smallPlatform(ns, 2), 'e2e'));
    const before = await snapshotVersions(tester, ns);
    const env = editObject(
      render(
        smallPlatform(ns, 2, 1, (i) => `registry.example.com/svc-${i}:2.0.0`),
        'e2e',
      ),
      'Service',
      'svc-001',
      (o) => {
        o.spec.ports[0].targetPrt = 1;
      },
    );
    const c = adminClient();
    await expect(deploy(c, env)).rejects.toThrow(/Service .*\/svc-001: .*\.targetPrt: field not declared in schema/);
    // THEN the dry run caught it: no write, every resourceVersion unchanged
    expect(c.counters.dryRuns).toBeGreaterThan(0);
    expect(c.counters.writes).toBe(0);
    expect(await snapshotVersions(tester, ns)).toEqual(before);
    c.close();
  });
});

describe('the shortcut: objects in a namespace this run creates are written without a server dry run', () => {
  it('a cold deploy dry-runs only the cluster-scoped objects', async () => {
    // GIVEN a new environment
    const ns = fresh('e2e-cold');
    const env = render(smallPlatform(ns, 3), 'e2e');
    const clusterScoped = env.objects.filter((o) => o.kind === 'Namespace' || o.kind === 'PriorityClass').length;
    // WHEN deployed
    const c = adminClient();
    await deploy(c, env, { wait: false });
    // THEN every namespaced object was written once and dry-run never
    expect(c.counters.dryRuns).toBeLessThanOrEqual(clusterScoped);
    expect(c.counters.writes).toBeGreaterThanOrEqual(env.objects.length - clusterScoped);
    c.close();
  });

  it('an admission policy that rejects one object of a new namespace: the namespace is deleted again', async () => {
    // GIVEN a ValidatingAdmissionPolicy that refuses Services named svc-002 in one (not yet existing) namespace
    const ns = fresh('e2e-vap-new');
    await denyService(tester, ns, 'svc-002');
    const c = adminClient();
    // WHEN a new environment with that Service is deployed
    const err = await deploy(c, render(smallPlatform(ns, 2), 'e2e'), { wait: false }).catch((e: unknown) => e);
    // THEN the rejection is reported and the namespace this run created is gone (or going), with all it held
    expect(err).toBeInstanceOf(PreflightError);
    expect((err as Error).message).toMatch(/Service .*\/svc-002: .*berth-test-deny/);
    const nsObj = await tester
      .request<KubeObject & { status?: { phase?: string } }>({ method: 'GET', path: `/api/v1/namespaces/${ns}` })
      .catch(() => undefined);
    expect(nsObj === undefined || nsObj.status?.phase === 'Terminating').toBe(true);
    c.close();
  });
});

describe('what only the server can decide still gets a server dry run: nothing written', () => {
  it('an immutable field change (Deployment selector)', async () => {
    // GIVEN a deployed environment WHEN a Deployment's selector changes (with a valid image change elsewhere)
    const ns = fresh('e2e-immutable');
    await deploy(tester, render(smallPlatform(ns, 2), 'e2e'));
    const before = await snapshotVersions(tester, ns);
    const env = editObject(
      render(
        smallPlatform(ns, 2, 1, (i) => `registry.example.com/svc-${i}:2.0.0`),
        'e2e',
      ),
      'Deployment',
      'svc-001',
      (o) => {
        o.spec.selector.matchLabels.extra = 'x';
        o.spec.template.metadata.labels.extra = 'x';
      },
    );
    const c = adminClient();
    await expect(deploy(c, env)).rejects.toThrow(/Deployment .*\/svc-001: .*field is immutable/);
    // THEN the dry run caught it and nothing changed
    expect(c.counters.dryRuns).toBeGreaterThan(0);
    expect(c.counters.writes).toBe(0);
    expect(await snapshotVersions(tester, ns)).toEqual(before);
    c.close();
  });

  it('a ResourceQuota that a new Service would exceed', async () => {
    // GIVEN a deployed environment whose namespace allows no more Services
    const ns = fresh('e2e-quota');
    await deploy(tester, render(smallPlatform(ns, 2), 'e2e'));
    await tester.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/resourcequotas`,
      body: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'services' }, spec: { hard: { services: '2' } } },
    });
    await waitQuotaCounted(tester, ns);
    const before = await snapshotVersions(tester, ns);
    // WHEN a third service is deployed
    const c = adminClient();
    await expect(deploy(c, render(smallPlatform(ns, 3), 'e2e'))).rejects.toThrow(/exceeded quota/);
    // THEN nothing was written
    expect(c.counters.writes).toBe(0);
    expect(await snapshotVersions(tester, ns)).toEqual(before);
    c.close();
  });

  it('an admission policy that rejects one object of an existing environment', async () => {
    // GIVEN a deployed environment and then a policy refusing Services named svc-003 there
    const ns = fresh('e2e-vap');
    await deploy(tester, render(smallPlatform(ns, 2), 'e2e'));
    const before = await snapshotVersions(tester, ns);
    await denyService(tester, ns, 'svc-003');
    // WHEN svc-003 is added
    const c = adminClient();
    await expect(deploy(c, render(smallPlatform(ns, 3), 'e2e'))).rejects.toThrow(/Service .*\/svc-003: .*berth-test-deny/);
    // THEN the dry run caught it, nothing was written
    expect(c.counters.writes).toBe(0);
    expect(await snapshotVersions(tester, ns)).toEqual(before);
    c.close();
  });
});

/** A ValidatingAdmissionPolicy (+ binding) refusing Services named `name` in namespace `ns`; waits until it is active. */
async function denyService(client: KubeClient, ns: string, name: string): Promise<void> {
  const policy = `berth-test-deny-${ns}`;
  const base = '/apis/admissionregistration.k8s.io/v1';
  await client.request({
    method: 'POST',
    path: `${base}/validatingadmissionpolicies`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: policy },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['services'] }] },
        validations: [{ expression: `object.metadata.name != '${name}'`, message: `berth-test-deny: ${name} is not allowed here` }],
      },
    },
  });
  await client.request({
    method: 'POST',
    path: `${base}/validatingadmissionpolicybindings`,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policy },
      spec: { policyName: policy, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } } },
    },
  });
  cleanup.push(() => client.request({ method: 'DELETE', path: `${base}/validatingadmissionpolicybindings/${policy}` }));
  cleanup.push(() => client.request({ method: 'DELETE', path: `${base}/validatingadmissionpolicies/${policy}` }));
  // active once a dry-run create of such a Service in a namespace it matches is refused (a throwaway namespace if needed)
  const probeNs = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
  const created = !(await exists(`/api/v1/namespaces/${ns}`));
  if (created) await client.request({ method: 'POST', path: '/api/v1/namespaces', body: probeNs });
  try {
    for (let i = 0; i < 100; i++) {
      const refused = await client
        .request({
          method: 'POST',
          path: `/api/v1/namespaces/${ns}/services`,
          query: { dryRun: 'All' },
          body: { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } },
        })
        .then(
          () => false,
          (e: Error) => /berth-test-deny/.test(e.message),
        );
      if (refused) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the ValidatingAdmissionPolicy never became active');
  } finally {
    if (created) await waitGone(client, ns);
  }
}

async function waitGone(client: KubeClient, ns: string): Promise<void> {
  await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` }).catch(() => undefined);
  for (let i = 0; i < 300 && (await exists(`/api/v1/namespaces/${ns}`)); i++) await new Promise((r) => setTimeout(r, 200));
}

async function waitQuotaCounted(client: KubeClient, ns: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const q = await client.request<{ status?: { used?: Record<string, string> } }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/resourcequotas/services` });
    if (q.status?.used?.services !== undefined) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
