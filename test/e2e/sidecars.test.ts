/**
 * Native sidecars and the Cloud SQL Auth Proxy on the real local control plane: the namespace berth renders
 * enforces Pod Security "restricted", so an admitted pod proves the sidecars' security context; the
 * Deployment becomes Available; a redeploy finds nothing to change (no drift from API-server defaults).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { KubeApiError } from '../../src/deploy/client.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import type { KubeObject } from '../../src/render/types.js';
import { adminClient, deleteNamespace, deploy, render, uniqueNamespace } from '../deploy/e2e-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ns = uniqueNamespace('e2e-sidecars');
const client = adminClient();

afterAll(async () => {
  await deleteNamespace(client, ns);
  client.close();
});

const platform = {
  environments: { production: { namespace: ns } },
  services: [
    {
      name: 'web',
      image: 'registry.example.com/web:3.2.0',
      port: 8000,
      health: '/healthz',
      memory: '128Mi',
      cpu: '50m',
      replicas: 2,
      gcpServiceAccount: 'web-runner@acme-prod.iam.gserviceaccount.com',
      cloudSql: { instances: ['acme-prod:europe-west1:main-db', 'acme-prod:europe-west1:reports'], privateIp: true },
      sidecars: [{ name: 'log-shipper', image: 'registry.example.com/shipper:2.1.0', memory: '64Mi', port: 9100, env: { SHIP_TO: 'stdout' } }],
    },
  ],
} as unknown as PlatformDeclaration;

describe('native sidecars on a restricted namespace', () => {
  it('pods with the proxy and a sidecar are admitted and the Deployment becomes Available', async () => {
    // GIVEN a service with cloudSql and a sidecar WHEN deployed
    const r = await deploy(client, render(platform));
    // THEN it rolls out, and its pods carry both native sidecars, proxy first
    expect(r.rows.find((x) => x.object === 'web')?.ready).toBe(true);
    const pods = await client.request<{ items: Json[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods` });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec.initContainers.map((c: Json) => [c.name, c.restartPolicy])).toEqual([
        ['cloud-sql-proxy', 'Always'],
        ['log-shipper', 'Always'],
      ]);
    }
  });

  it('Pod Security admits the rendered pod template, and rejects it once a sidecar loses its security context', async () => {
    const deployment = render(platform).objects.find((o) => o.kind === 'Deployment') as KubeObject & Json;
    const pod = (spec: Json) => ({
      method: 'POST' as const,
      path: `/api/v1/namespaces/${ns}/pods`,
      query: { dryRun: 'All' },
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'check' }, spec },
    });
    // GIVEN the rendered pod spec THEN the restricted namespace admits it as is
    await expect(client.request(pod(deployment.spec.template.spec))).resolves.toMatchObject({ kind: 'Pod' });
    // AND the same spec with the proxy's security context removed is refused (the namespace does enforce)
    const loosened = structuredClone(deployment.spec.template.spec);
    delete loosened.initContainers[0].securityContext;
    const refusal = await client.request(pod(loosened)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(KubeApiError);
    expect((refusal as KubeApiError).status).toBe(403);
    expect((refusal as KubeApiError).message).toMatch(/violates PodSecurity "restricted:latest".*cloud-sql-proxy/);
  });

  it('a redeploy writes nothing: the live sidecars match what berth renders', async () => {
    const fresh = adminClient();
    try {
      const r = await deploy(fresh, render(platform));
      expect(r.planned.every((p) => p.action === 'unchanged')).toBe(true);
      expect(fresh.counters.writes).toBe(0);
    } finally {
      fresh.close();
    }
  });
});
