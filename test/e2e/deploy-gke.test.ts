/**
 * The GKE path end to end: the Cluster Manager API stand-in hands back the local control plane's endpoint and CA,
 * the token comes from google-auth-library (refresh handler standing in for Google's token endpoint) and is the
 * control plane's bearer token; tokens expire every second, so they are refreshed many times during the wait.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../../src/deploy/client.js';
import { findCluster } from '../../src/deploy/gke.js';
import { kubeConfigForEndpoint } from '../../src/deploy/kubeconfig.js';
import { MemoryReporter } from '../../src/deploy/report.js';
import { deployEnvironment } from '../../src/deploy/deploy.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { externalAccountCredentials, publicCluster, startGkeStandin } from '../gke-standin/server.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { testAuth } from '../deploy/token-source.js';
import { sink } from '../helpers.js';
import {
  OPTIONS,
  adminClient,
  clusterState,
  deleteNamespace,
  examplePlatform,
  playIngressController,
  render,
  uniqueNamespace,
  whenIngressExists,
} from '../deploy/e2e-helpers.js';

const tester = adminClient();
const ns = uniqueNamespace('e2e-gke');
const cliNs = uniqueNamespace('e2e-gke-cli');
const dir = mkdtempSync(join(tmpdir(), 'berth-gke-'));

afterAll(async () => {
  await deleteNamespace(tester, ns);
  await deleteNamespace(tester, cliNs);
  tester.close();
  rmSync(dir, { recursive: true, force: true });
});

class PhaseReporter extends MemoryReporter {
  readonly atPhase = new Map<string, number>();
  constructor(private readonly refreshes: () => number) {
    super();
  }
  override phase(name: string, detail?: string): void {
    this.atPhase.set(name, this.refreshes());
    super.phase(name, detail);
  }
}

describe('deploy to "GKE" (stand-in Cluster Manager API + local control plane)', () => {
  it('finds the cluster, authenticates with ADC tokens that refresh mid-wait, and rolls out', async () => {
    const state = clusterState();
    const standin = await startGkeStandin({
      clusters: { 'projects/acme-prod/locations/europe-west1/clusters/main': publicCluster('main', state.server, state.caData) },
      acceptToken: (t) => t === state.token,
    });
    const t = testAuth(() => state.token, 1000);
    try {
      const ep = await findCluster(
        { project: 'acme-prod', location: 'europe-west1', cluster: 'main' },
        { auth: t.auth, apiEndpoint: standin.host, port: standin.port, protocol: 'http' },
      );
      expect(ep).toEqual({ server: state.server, caData: state.caData, mode: 'public' });
      expect(standin.requests[0].authorization).toBe(`Bearer ${state.token}`);

      const client = new KubeClient(kubeConfigForEndpoint(ep, t.auth));
      const reporter = new PhaseReporter(t.refreshes);
      const env = render(examplePlatform(ns));
      const lb = whenIngressExists(tester, ns, 'production', () => playIngressController(tester, ns, 'production'), 4000);
      const r = await deployEnvironment({ client, resources: new ResourceResolver(client), reporter, concurrency: 16 }, env, { ...OPTIONS, waitLb: true });
      await lb;
      client.close();
      expect(r.rows.every((x) => x.ready)).toBe(true);
      const atWait = reporter.atPhase.get('wait')!;
      expect(atWait).toBeGreaterThanOrEqual(1);
      expect(t.refreshes()).toBeGreaterThanOrEqual(atWait + 2);
    } finally {
      await standin.close();
    }
  });
});

describe('berth deploy --project/--location/--cluster (CLI, real ADC path)', () => {
  it('reads GOOGLE_APPLICATION_CREDENTIALS, exchanges a token, finds the cluster and deploys', async () => {
    const state = clusterState();
    const standin = await startGkeStandin({
      clusters: { 'projects/acme-prod/locations/europe-west1/clusters/main': publicCluster('main', state.server, state.caData) },
      acceptToken: (t) => t === state.token,
      stsAccessToken: () => state.token,
    });
    try {
      writeFileSync(join(dir, 'subject-token'), 'header.payload.signature');
      writeFileSync(join(dir, 'adc.json'), JSON.stringify(externalAccountCredentials(standin, join(dir, 'subject-token'))));
      writeFileSync(
        join(dir, 'platform.yaml'),
        `environments:\n  prod:\n    namespace: ${cliNs}\nservices:\n  - name: api\n    image: registry.example.com/api:1.0.0\n    port: 8000\n` +
          `    health: /healthz\n    memory: 64Mi\n    cpu: 10m\n    replicas: 2\n`,
      );
      const stdout = sink();
      const stderr = sink();
      const code = await runCli(
        ['deploy', '--env', 'prod', '--file', 'platform.yaml', '--project', 'acme-prod', '--location', 'europe-west1', '--cluster', 'main', '--timeout', '90s'],
        {
          stdout,
          stderr,
          cwd: dir,
          signal: new AbortController().signal,
          env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'adc.json'), BERTH_GKE_API_ENDPOINT: `http://${standin.host}:${standin.port}` },
        },
      );
      expect(stderr.text.replace(/^berth: using .*\n/m, '')).toBe('');
      expect(code).toBe(0);
      expect(stdout.text).toContain(`-> GKE acme-prod/europe-west1/main (public endpoint ${state.server})`);
      expect(stdout.text).toMatch(/ready +api: 2\/2 pods ready, rolled out/);
      expect(standin.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual(
        expect.arrayContaining(['POST /v1/token', 'GET /v1/projects/acme-prod/locations/europe-west1/clusters/main']),
      );
      expect(standin.requests.find((r) => r.method === 'GET')!.authorization).toBe(`Bearer ${state.token}`);
    } finally {
      await standin.close();
    }
  });
});
