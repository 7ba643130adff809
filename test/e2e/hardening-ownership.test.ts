/**
 * Ownership is proven, not assumed (issue 14), on the real local control plane: a foreign object with a declared
 * name is refused (nothing written) unless adopted with --adopt (recorded); a namespace of another environment is
 * refused; fields another field manager owns are reported (field and manager) and taken only with --force-conflicts.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { LABEL_PART_OF, applySetId, parentFor } from '../../src/deploy/applyset.js';
import { EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import { ANNOTATION_ADOPTED, ConflictError, OwnershipError } from '../../src/deploy/ownership.js';
import type { KubeObject } from '../../src/render/types.js';
import { adminClient, deleteNamespace, deploy, render, smallPlatform, snapshotVersions, uniqueNamespace } from '../deploy/e2e-helpers.js';

const tester = adminClient();
const namespaces: string[] = [];

afterAll(async () => {
  for (const ns of namespaces) await deleteNamespace(tester, ns);
  tester.close();
});

function fresh(prefix: string): string {
  const ns = uniqueNamespace(prefix);
  namespaces.push(ns);
  return ns;
}

type Svc = KubeObject & { spec: { selector?: Record<string, string> } };
const getService = (ns: string, name: string) => tester.request<Svc>({ method: 'GET', path: `/api/v1/namespaces/${ns}/services/${name}` });

describe("a declared name that exists but is not berth's", () => {
  it("another team's Service is refused (exit 9, nothing written, selector intact), then adopted with --adopt (recorded)", async () => {
    // GIVEN an environment with two services, and another team's Service "svc-003" created by hand in its namespace
    const ns = fresh('e2e-own');
    await deploy(tester, render(smallPlatform(ns, 2), 'e2e'));
    await tester.request({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/services`,
      query: { fieldManager: 'team-b' },
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc-003' },
        spec: { selector: { team: 'b' }, ports: [{ name: 'http', port: 8000, targetPort: 9000 }] },
      },
    });
    const before = await snapshotVersions(tester, ns);
    // WHEN the declaration adds a service of that name
    const env = render(smallPlatform(ns, 3), 'e2e');
    const c = adminClient();
    const err = await deploy(c, env, { wait: false }).catch((e: unknown) => e);
    // THEN it is refused with the owner and the fix, and nothing was written
    expect(err).toBeInstanceOf(OwnershipError);
    expect((err as Error).message).toMatch(/Service .*svc-003: written by field manager\(s\) "team-b"/);
    expect((err as Error).message).toMatch(/--adopt/);
    expect(classify(err).code).toBe(EXIT.refused);
    expect(c.counters.writes).toBe(0);
    c.close();
    expect(await snapshotVersions(tester, ns)).toEqual(before);
    expect((await getService(ns, 'svc-003')).spec.selector).toEqual({ team: 'b' });

    // WHEN it is adopted explicitly
    const r = await deploy(tester, env, { wait: false, adopt: true });
    // THEN berth owns it (member of the ApplySet), the adoption is recorded and reported
    const svc = await getService(ns, 'svc-003');
    expect(svc.metadata.labels?.[LABEL_PART_OF]).toBe(applySetId(parentFor('e2e', ns)));
    expect(svc.spec.selector).not.toEqual({ team: 'b' });
    expect(Date.parse(svc.metadata.annotations?.[ANNOTATION_ADOPTED] ?? '')).toBeGreaterThan(Date.now() - 120_000);
    expect(r.reporter.events.map((e) => String(e.message)).join('\n')).toMatch(/adopted Service .*svc-003/);
    // AND a later deploy keeps the record and writes nothing
    const again = adminClient();
    await deploy(again, env, { wait: false });
    expect(again.counters.writes).toBe(0);
    again.close();
    expect((await getService(ns, 'svc-003')).metadata.annotations?.[ANNOTATION_ADOPTED]).toBe(svc.metadata.annotations?.[ANNOTATION_ADOPTED]);
  });

  it('a namespace created by someone else is refused until adopted', async () => {
    // GIVEN a namespace made by hand
    const ns = fresh('e2e-ownns');
    await tester.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      query: { fieldManager: 'platform-team' },
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    });
    // WHEN berth deploys an environment into it
    const err = await deploy(tester, render(smallPlatform(ns, 1), 'e2e'), { wait: false }).catch((e: unknown) => e);
    // THEN the Namespace is named as foreign
    expect(err).toBeInstanceOf(OwnershipError);
    expect((err as Error).message).toMatch(new RegExp(`Namespace ${ns}: written by field manager\\(s\\) "platform-team"`));
    await expect(tester.request({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/deployments/svc-001` })).rejects.toMatchObject({ status: 404 });
  });

  it('two environments (two declarations) sharing a namespace: the second is refused, the first keeps its objects', async () => {
    // GIVEN environment "e2e" deployed into a namespace
    const ns = fresh('e2e-share');
    await deploy(tester, render(smallPlatform(ns, 2), 'e2e'));
    const before = await snapshotVersions(tester, ns);
    // WHEN another declaration's environment "other" targets the same namespace with a service of the same name
    const other = smallPlatform(ns, 1) as unknown as { environments: Record<string, unknown> };
    other.environments = { other: { namespace: ns } };
    const err = await deploy(tester, render(other as never, 'other'), { wait: false }).catch((e: unknown) => e);
    // THEN it is refused: the Namespace and svc-001 belong to another ApplySet; nothing changed
    expect(err).toBeInstanceOf(OwnershipError);
    expect((err as Error).message).toMatch(/does not belong to environment "other"|do not belong to environment "other"/);
    expect((err as Error).message).toMatch(new RegExp(`Namespace ${ns}: written by another ApplySet`));
    expect((err as Error).message).toMatch(/Deployment .*svc-001: written by another ApplySet/);
    expect(await snapshotVersions(tester, ns)).toEqual(before);
  });
});

describe('fields another field manager owns', () => {
  it('are reported (field and manager) and not overwritten; --force-conflicts takes them back', async () => {
    // GIVEN a deployed environment and a hand edit of replicas (ownership of spec.replicas moves to "kubectl-edit")
    const ns = fresh('e2e-conf');
    const env = render(smallPlatform(ns, 1, 2), 'e2e');
    await deploy(tester, env, { wait: false });
    await tester.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${ns}/deployments/svc-001`,
      query: { fieldManager: 'kubectl-edit' },
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 5 } },
    });
    // WHEN berth deploys without --force-conflicts
    const c = adminClient();
    const err = await deploy(c, env, { wait: false }).catch((e: unknown) => e);
    // THEN the conflict names the object, the field and the manager; nothing was written
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/Deployment .*svc-001: \.spec\.replicas is owned by "kubectl-edit"/);
    expect((err as Error).message).toMatch(/--force-conflicts/);
    expect(classify(err).code).toBe(EXIT.refused);
    expect(c.counters.writes).toBe(0);
    c.close();
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/svc-001`;
    expect((await tester.request<{ spec: { replicas: number } }>({ method: 'GET', path })).spec.replicas).toBe(5);
    // WHEN forced THEN the declared value is back
    await deploy(tester, env, { wait: false, forceConflicts: true });
    expect((await tester.request<{ spec: { replicas: number } }>({ method: 'GET', path })).spec.replicas).toBe(2);
  });
});
