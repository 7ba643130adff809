/**
 * Replicas ↔ autoscaling transitions never scale a service down (issue 14), on the real local control plane
 * (deployment controller + kwok): switching `replicas: 10` to `autoscaling` hands `spec.replicas` to the
 * `berth-handover` field manager at its live value before berth's apply drops it; a watcher polls the Deployment and
 * its ReplicaSets during the deploy and never sees fewer than 10. Switching back takes the field back without
 * --force-conflicts.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { HANDOVER_FIELD_MANAGER } from '../../src/deploy/replicas-handover.js';
import type { KubeObject } from '../../src/render/types.js';
import { adminClient, deleteNamespace, deploy, render, smallPlatform, uniqueNamespace } from '../deploy/e2e-helpers.js';

const tester = adminClient();
const ns = uniqueNamespace('e2e-hpa');

afterAll(async () => {
  await deleteNamespace(tester, ns);
  tester.close();
});

type Scaled = KubeObject & {
  spec: { replicas?: number };
  metadata: { managedFields?: { manager: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }[] };
};

function platform(scaling: { replicas: number } | { autoscaling: { min: number; max: number } }) {
  const p = smallPlatform(ns, 1, 10) as unknown as { services: Record<string, unknown>[] };
  const { replicas: _r, ...rest } = p.services[0];
  p.services[0] = { ...rest, ...scaling };
  return render(p as never, 'e2e');
}

const deployment = () => tester.request<Scaled>({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/deployments/svc-001` });

/** Polls the Deployment's and its ReplicaSets' replica counts until stopped; returns the lowest seen of each. */
function watchReplicas(): { stop: () => Promise<{ deployment: number; replicaSets: number; samples: number }> } {
  let running = true;
  const low = { deployment: Infinity, replicaSets: Infinity, samples: 0 };
  const loop = (async () => {
    while (running) {
      const d = await deployment();
      const rs = await tester.request<{ items: Scaled[] }>({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/replicasets` });
      low.deployment = Math.min(low.deployment, d.spec.replicas ?? 1);
      low.replicaSets = Math.min(
        low.replicaSets,
        rs.items.reduce((n, r) => n + (r.spec.replicas ?? 1), 0),
      );
      low.samples++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return low;
    },
  };
}

describe('replicas ↔ autoscaling', () => {
  it('switching replicas: 10 to autoscaling never drops below 10; berth no longer owns spec.replicas', async () => {
    // GIVEN the service at a fixed 10 replicas, rolled out
    await deploy(tester, platform({ replicas: 10 }));
    expect((await deployment()).spec.replicas).toBe(10);
    // WHEN it switches to autoscaling (min 2, max 20), watched all along
    const watch = watchReplicas();
    const r = await deploy(tester, platform({ autoscaling: { min: 2, max: 20 } }));
    await new Promise((res) => setTimeout(res, 1500));
    const low = await watch.stop();
    // THEN neither the Deployment nor its ReplicaSets ever went below 10
    expect(low.samples).toBeGreaterThan(5);
    expect(low.deployment).toBe(10);
    expect(low.replicaSets).toBeGreaterThanOrEqual(10);
    // AND the field is held by the handover manager (the HPA's controller takes it when it scales), not by berth
    const d = await deployment();
    const owners = (d.metadata.managedFields ?? []).filter((m) => m.fieldsV1?.['f:spec']?.['f:replicas']).map((m) => m.manager);
    expect(owners).toContain(HANDOVER_FIELD_MANAGER);
    expect(owners).not.toContain('berth');
    expect(r.reporter.events.map((e) => String(e.message)).join('\n')).toMatch(/spec\.replicas \(10\) handed to the field manager berth-handover/);
    await expect(tester.request({ method: 'GET', path: `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/svc-001` })).resolves.toBeDefined();
    // AND a redeploy changes nothing
    const again = adminClient();
    await deploy(again, platform({ autoscaling: { min: 2, max: 20 } }));
    expect(again.counters.writes).toBe(0);
    again.close();
    expect((await deployment()).spec.replicas).toBe(10);
  });

  it('switching back to a fixed count takes the field back without --force-conflicts, and prunes the HPA', async () => {
    // WHEN the service declares replicas: 12 again
    await deploy(tester, platform({ replicas: 12 }));
    // THEN berth owns and sets the count, and the HPA is gone
    const d = await deployment();
    expect(d.spec.replicas).toBe(12);
    const owners = (d.metadata.managedFields ?? []).filter((m) => m.fieldsV1?.['f:spec']?.['f:replicas']).map((m) => m.manager);
    expect(owners).toEqual(['berth']);
    await expect(tester.request({ method: 'GET', path: `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/svc-001` })).rejects.toMatchObject({
      status: 404,
    });
  });
});
