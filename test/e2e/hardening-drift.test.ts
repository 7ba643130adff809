/**
 * Drift covers the whole pod template berth declares (issue 14), on the real local control plane: an env var added
 * by `kubectl set env` and an injected container are reported by diff and deploy (not "in sync"), their values never
 * printed; --force-conflicts removes them, and the next deploy writes nothing.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { EXIT, classify } from '../../src/cli/cluster-exit-codes.js';
import { ConflictError } from '../../src/deploy/ownership.js';
import { statusEnvironment } from '../../src/deploy/status.js';
import type { KubeObject } from '../../src/render/types.js';
import { OPTIONS, adminClient, context, deleteNamespace, deploy, render, smallPlatform, uniqueNamespace } from '../deploy/e2e-helpers.js';

const tester = adminClient();
const ns = uniqueNamespace('e2e-drift');
const path = `/apis/apps/v1/namespaces/${ns}/deployments/svc-001`;

afterAll(async () => {
  await deleteNamespace(tester, ns);
  tester.close();
});

type Container = { name: string; env?: { name: string; value?: string }[] };
type Dep = KubeObject & { spec: { template: { spec: { containers: Container[] } } } };
const live = () => tester.request<Dep>({ method: 'GET', path });

describe('drift in the pod template', () => {
  it('an env var set by hand and an injected container: diff and deploy report them; --force-conflicts removes them', async () => {
    // GIVEN a deployed service, then `kubectl set env DEBUG=…` and an injected container by other field managers
    const env = render(smallPlatform(ns, 1), 'e2e');
    await deploy(tester, env, { wait: false });
    const main = (await live()).spec.template.spec.containers[0].name;
    await tester.request({
      method: 'PATCH',
      path,
      query: { fieldManager: 'kubectl-set' },
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: main, env: [{ name: 'DEBUG', value: 'planted-secret-4711' }] }] } } } },
    });
    await tester.request({
      method: 'PATCH',
      path,
      query: { fieldManager: 'injector' },
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'injected', image: 'registry.example.com/spy:1' }] } } } },
    });
    // WHEN status, diff (a dry run) and deploy look at it
    const st = await statusEnvironment(context(tester), env, false);
    expect(st.objects.find((o) => o.object.includes('svc-001') && o.object.startsWith('Deployment'))!.state).toBe('drifted');
    const diffErr = await deployEnvironment(context(tester), env, { ...OPTIONS, dryRun: true, wait: false }).catch((e: unknown) => e);
    const c = adminClient();
    const err = await deploy(c, env, { wait: false }).catch((e: unknown) => e);
    // THEN both report the undeclared container and variable (not "in sync"), with who added them, never the value
    for (const e of [diffErr, err]) {
      expect(e).toBeInstanceOf(ConflictError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/containers\[name=injected\]: container "injected" is not declared \(added by .*"injector"/);
      expect(msg).toMatch(
        new RegExp(`containers\\[name=${main}\\]\\.env\\[name=DEBUG\\]: environment variable "DEBUG" is not declared \\(added by .*"kubectl-set"`),
      );
      expect(msg).not.toContain('planted-secret-4711');
      expect(classify(e).code).toBe(EXIT.refused);
    }
    expect(c.counters.writes).toBe(0);
    c.close();
    // WHEN deployed with --force-conflicts THEN both are gone, and the next deploy writes nothing
    const r = await deploy(tester, env, { wait: false, forceConflicts: true });
    expect(r.planned.find((p) => p.desired.kind === 'Deployment')!.changes.map((x) => x.path)).toEqual(
      expect.arrayContaining(['spec.template.spec.containers[name=injected]', `spec.template.spec.containers[name=${main}].env[name=DEBUG]`]),
    );
    const after = await live();
    expect(after.spec.template.spec.containers.map((x) => x.name)).toEqual([main]);
    expect((after.spec.template.spec.containers[0].env ?? []).map((x) => x.name)).not.toContain('DEBUG');
    const again = adminClient();
    await deploy(again, env, { wait: false });
    expect(again.counters.writes).toBe(0);
    again.close();
  });
});
