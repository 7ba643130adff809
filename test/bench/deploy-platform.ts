/**
 * The deploy benchmark's end-to-end case: the example platform (charts/platform.yaml, production) deployed into a new
 * namespace with waiting (every rollout, then load-balancer health), as `berth deploy --project/--location/--cluster`
 * does it: the cluster is found through the GKE stand-in (Cluster Manager API), and the bench plays GKE's ingress
 * controller (address and backend health) as soon as the Ingress exists. kwok marks pods Ready immediately, so the
 * time is berth's own plus the controllers', not image pulls or probes.
 */
import { randomBytes } from 'node:crypto';
import { KubeClient } from '../../src/deploy/client.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { findCluster } from '../../src/deploy/gke.js';
import { kubeConfigForEndpoint, kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { MemoryReporter } from '../../src/deploy/report.js';
import type { ClusterState } from '../cluster/cluster.js';
import { deleteNamespace, examplePlatform, playIngressController, render, whenIngressExists } from '../deploy/e2e-helpers.js';
import { testAuth } from '../deploy/token-source.js';
import { publicCluster, startGkeStandin } from '../gke-standin/server.js';

/** Markdown lines: wall time, objects, requests, writes, what was waited for. */
export async function timeExamplePlatform(state: ClusterState): Promise<string> {
  const ns = `bench-platform-${randomBytes(3).toString('hex')}`;
  const admin = new KubeClient(kubeConfigFromFile(state.kubeconfig, undefined));
  const standin = await startGkeStandin({
    clusters: { 'projects/acme-prod/locations/europe-west1/clusters/main': publicCluster('main', state.server, state.caData) },
    acceptToken: (t) => t === state.token,
  });
  const env = render(examplePlatform(ns));
  try {
    const t0 = process.hrtime.bigint();
    const auth = testAuth(() => state.token).auth;
    const ep = await findCluster(
      { project: 'acme-prod', location: 'europe-west1', cluster: 'main' },
      { auth, apiEndpoint: standin.host, port: standin.port, protocol: 'http' },
    );
    const client = new KubeClient(kubeConfigForEndpoint(ep, auth));
    const lb = whenIngressExists(admin, ns, 'production', () => playIngressController(admin, ns, 'production'));
    const r = await deployEnvironment({ client, resources: new ResourceResolver(client), reporter: new MemoryReporter(), concurrency: 16 }, env, {
      tooling: 'berth/bench',
      wait: true,
      waitLb: true,
      timeoutMs: 300_000,
      prune: true,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await lb;
    client.close();
    const ready = r.rows.filter((x) => x.ready).length;
    return (
      `charts/platform.yaml, environment production, ${env.objects.length} objects, new namespace: **${seconds.toFixed(2)} s** from finding the cluster ` +
      `(GKE stand-in) to every rollout done and every load-balancer backend HEALTHY (${ready}/${r.rows.length} checks ready); ` +
      `${client.counters.requests} requests, ${client.counters.writes} writes, ${client.counters.dryRuns} dry runs. ` +
      "Pods are kwok's (Ready at once), the ingress controller is played by the bench as soon as the Ingress exists."
    );
  } finally {
    await standin.close();
    await deleteNamespace(admin, ns);
    admin.close();
  }
}
