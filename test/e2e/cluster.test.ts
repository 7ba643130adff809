// Proves the local control plane (test/cluster) is a real cluster: controllers, scheduler, kwok nodes,
// Pod Security admission, GKE CRD schemas, and the README's `kubectl apply --server-side` user flow.
// Each test works in its own namespace.
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubectl, NODE_ZONES, readState, type ClusterState } from '../cluster/cluster.js';

const MIN = 60_000;
const state: ClusterState = (() => {
  const s = readState();
  if (!s) throw new Error('no running cluster: the e2e global setup should have started one');
  return s;
})();
const kc = new KubeConfig();
kc.loadFromFile(process.env.BERTH_E2E_KUBECONFIG ?? state.kubeconfig);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);

const run = Date.now().toString(36);
const created: string[] = [];
async function namespace(name: string, labels: Record<string, string> = {}): Promise<string> {
  const ns = `e2e-cluster-${name}-${run}`;
  await core.createNamespace({ body: { metadata: { name: ns, labels } } });
  created.push(ns);
  return ns;
}
afterAll(async () => {
  for (const ns of created) await core.deleteNamespace({ name: ns }).catch(() => undefined);
});

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 2 * MIN): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e instanceof Error ? e : new Error(String(e));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** The `message` of the Status an API error carries. */
function statusMessage(e: ApiException<string>): string {
  try {
    return String((JSON.parse(String(e.body)) as { message?: string }).message);
  } catch {
    return String(e.body);
  }
}

/** The API error of a rejected call (fails the test if the call succeeded). */
async function rejection(p: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) return e as ApiException<string>;
    throw e;
  }
  throw new Error('expected the API server to reject the request, but it was accepted');
}

const restrictedContainer = {
  name: 'app',
  image: 'registry.k8s.io/pause:3.10',
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    runAsUser: 65532,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

function deployment(name: string, replicas: number, memory = '64Mi'): V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          automountServiceAccountToken: false,
          containers: [{ ...restrictedContainer, resources: { requests: { cpu: '100m', memory } } }],
        },
      },
    },
  };
}

function available(d: V1Deployment, replicas: number): boolean {
  return (
    (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    d.status?.availableReplicas === replicas &&
    d.status?.updatedReplicas === replicas &&
    (d.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True')
  );
}

async function waitAvailable(ns: string, name: string, replicas: number): Promise<V1Deployment> {
  return eventually(`Deployment ${ns}/${name} Available with ${replicas} replicas`, async () => {
    const d = await apps.readNamespacedDeployment({ name, namespace: ns });
    return available(d, replicas) ? d : undefined;
  });
}

describe('local control plane', () => {
  it(
    'has three kwok nodes sized like GKE e2-standard-4, one per zone, all Ready',
    async () => {
      // GIVEN the cluster started by the e2e global setup
      // WHEN listing its nodes
      const nodes = (await core.listNode()).items;
      // THEN there are three Ready nodes across three zones with e2-standard-4 allocatable
      expect(nodes.map((n) => n.metadata?.name).sort()).toEqual([...state.nodes].sort());
      expect(nodes.map((n) => n.metadata?.labels?.['topology.kubernetes.io/zone']).sort()).toEqual(NODE_ZONES);
      for (const n of nodes) {
        expect(n.status?.allocatable?.cpu).toBe('3920m');
        expect(n.status?.allocatable?.pods).toBe('110');
        expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      }
    },
    MIN,
  );

  it(
    'allocates Services from a /16 range, room for thousands of Services',
    async () => {
      // GIVEN the cluster WHEN reading the default ServiceCIDR and the kubernetes Service
      const cidr = JSON.parse(await kubectl(state, ['get', 'servicecidr', 'kubernetes', '-o', 'json'])) as {
        spec: { cidrs: string[] };
      };
      const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
      // THEN the range is a /16 and the kubernetes Service got its first address
      expect(cidr.spec.cidrs).toEqual(['10.96.0.0/16']);
      expect(svc.spec?.clusterIP).toBe('10.96.0.1');
    },
    MIN,
  );

  it(
    'rolls out a Deployment for real: ReplicaSet, scheduled Running pods, Available, then scales to 3',
    async () => {
      // GIVEN a namespace
      const ns = await namespace('rollout');
      // WHEN a Deployment with 2 replicas is created
      await apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', 2) });
      // THEN it becomes Available through a ReplicaSet whose pods are bound to kwok nodes and Running/Ready
      await waitAvailable(ns, 'web', 2);
      const rs = (await apps.listNamespacedReplicaSet({ namespace: ns })).items;
      expect(rs).toHaveLength(1);
      expect(rs[0]?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });
      const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items;
      expect(pods).toHaveLength(2);
      for (const p of pods) {
        expect(state.nodes).toContain(p.spec?.nodeName);
        expect(p.status?.phase).toBe('Running');
        expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
        expect(p.status?.podIP).toMatch(/^10\./);
      }

      // WHEN it is scaled to 3
      await apps.replaceNamespacedDeploymentScale({
        name: 'web',
        namespace: ns,
        body: { metadata: { name: 'web', namespace: ns }, spec: { replicas: 3 } },
      });
      // THEN three replicas become available
      const scaled = await waitAvailable(ns, 'web', 3);
      expect(scaled.status?.readyReplicas).toBe(3);
    },
    5 * MIN,
  );

  it(
    'replaces pods on a template change: the old ReplicaSet drains and its pods are deleted',
    async () => {
      // GIVEN an Available Deployment
      const ns = await namespace('update');
      await apps.createNamespacedDeployment({ namespace: ns, body: deployment('api', 2) });
      await waitAvailable(ns, 'api', 2);
      const before = (await core.listNamespacedPod({ namespace: ns })).items.map((p) => p.metadata?.name);
      // WHEN its pod template changes
      const d = await apps.readNamespacedDeployment({ name: 'api', namespace: ns });
      d.spec!.template.metadata!.annotations = { 'berth.dev/revision': '2' };
      await apps.replaceNamespacedDeployment({ name: 'api', namespace: ns, body: d });
      // THEN the rollout completes with only new pods left
      await eventually('the old pods to be gone', async () => {
        const dep = await apps.readNamespacedDeployment({ name: 'api', namespace: ns });
        const pods = (await core.listNamespacedPod({ namespace: ns })).items;
        const done = available(dep, 2) && pods.length === 2 && pods.every((p) => !before.includes(p.metadata?.name));
        return done ? true : undefined;
      });
      expect((await apps.listNamespacedReplicaSet({ namespace: ns })).items).toHaveLength(2);
    },
    5 * MIN,
  );

  it(
    'leaves a pod asking for more memory than any node has Pending with an Insufficient memory event',
    async () => {
      // GIVEN a namespace
      const ns = await namespace('toobig');
      // WHEN a pod requests 64Gi (nodes have ~12.7Gi allocatable)
      const pod: V1Pod = {
        metadata: { name: 'huge' },
        spec: { containers: [{ ...restrictedContainer, resources: { requests: { memory: '64Gi' } } }] },
      };
      await core.createNamespacedPod({ namespace: ns, body: pod });
      // THEN the scheduler reports FailedScheduling for memory and the pod stays Pending, unbound
      const event = await eventually('a FailedScheduling event', async () => {
        const events = (await core.listNamespacedEvent({ namespace: ns })).items;
        return events.find((e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === 'huge' && e.reason === 'FailedScheduling');
      });
      expect(event.message).toContain('Insufficient memory');
      const after = await core.readNamespacedPod({ name: 'huge', namespace: ns });
      expect(after.status?.phase).toBe('Pending');
      expect(after.spec?.nodeName).toBeUndefined();
    },
    3 * MIN,
  );

  it(
    'enforces Pod Security: a restricted namespace rejects a non-compliant pod and admits a compliant one',
    async () => {
      // GIVEN a namespace enforcing the restricted profile
      const ns = await namespace('psa', { 'pod-security.kubernetes.io/enforce': 'restricted' });
      // WHEN a pod without a restricted securityContext is created
      const bad = await rejection(
        core.createNamespacedPod({
          namespace: ns,
          body: { metadata: { name: 'bad' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
        }),
      );
      // THEN admission rejects it with 403 naming the violations
      expect(bad.code).toBe(403);
      expect(statusMessage(bad)).toContain('violates PodSecurity "restricted:latest"');
      expect(statusMessage(bad)).toContain('allowPrivilegeEscalation != false');
      // WHEN a compliant pod is created THEN it is admitted and runs on a node
      await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'good' }, spec: { containers: [restrictedContainer] } } });
      const good = await eventually('the compliant pod to run', async () => {
        const p = await core.readNamespacedPod({ name: 'good', namespace: ns });
        return p.status?.phase === 'Running' ? p : undefined;
      });
      expect(state.nodes).toContain(good.spec?.nodeName);
    },
    3 * MIN,
  );

  it(
    'authenticates bearer tokens: the limited user may read but not write (RBAC 403)',
    async () => {
      // GIVEN the RBAC-limited token user
      const limited = new KubeConfig();
      limited.loadFromFile(state.limitedKubeconfig);
      const lcore = limited.makeApiClient(CoreV1Api);
      // WHEN it reads THEN it is allowed
      expect((await lcore.listNamespacedPod({ namespace: 'default' })).items).toBeDefined();
      // WHEN it writes THEN RBAC forbids it
      const err = await rejection(lcore.createNamespace({ body: { metadata: { name: `e2e-forbidden-${run}` } } }));
      expect(err.code).toBe(403);
      expect(statusMessage(err)).toContain('User "berth-limited" cannot create resource "namespaces"');
    },
    MIN,
  );
});

// ---------------------------------------------------------------- berth synth output (dist/)

const ENVIRONMENTS = ['production', 'staging', 'dev'];
/**
 * dist/ of the repo if it holds a synth; otherwise synthesize the bundled example platform into a temp
 * folder with the compiled CLI (`npm test` compiles it first), exactly as `berth synth` would.
 */
const distDir = ((): string => {
  const repoDist = join(state.repoRoot, 'dist');
  if (ENVIRONMENTS.every((e) => existsSync(join(repoDist, e)))) return repoDist;
  const cli = join(state.repoRoot, 'lib', 'bin', 'berth.js');
  if (!existsSync(cli)) return repoDist; // tests then fail naming the missing folder
  const out = mkdtempSync(join(tmpdir(), 'berth-e2e-dist-'));
  execFileSync(process.execPath, [cli, 'synth', '--out', out, '--quiet'], { cwd: state.repoRoot, stdio: 'inherit' });
  return out;
})();
interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}
function distObjects(env: string): Obj[] {
  const dir = join(distDir, env);
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: run \`npm run synth\` (berth synth of the example platform) first`);
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (/\.ya?ml$/.test(e.name)) files.push(join(d, e.name));
    }
  };
  walk(dir);
  return files
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as Obj | null))
    .filter((o): o is Obj => !!o && typeof o === 'object' && 'kind' in o);
}
function oneOf(objs: Obj[], kind: string): Obj {
  const found = objs.find((o) => o.kind === kind);
  if (!found) throw new Error(`dist has no ${kind}`);
  return found;
}
function plural(kind: string): string {
  return { BackendConfig: 'backendconfigs', FrontendConfig: 'frontendconfigs', ManagedCertificate: 'managedcertificates' }[kind]!;
}

describe('GKE objects and the example platform from dist/', () => {
  it(
    'accepts the BackendConfig, FrontendConfig and ManagedCertificate that berth synthesizes',
    async () => {
      // GIVEN the GKE objects of the production synth, moved into a test namespace
      const ns = await namespace('gke');
      const objs = distObjects('production');
      for (const kind of ['BackendConfig', 'FrontendConfig', 'ManagedCertificate']) {
        const o = oneOf(objs, kind);
        const [group, version] = o.apiVersion.split('/') as [string, string];
        const body = { ...o, metadata: { ...o.metadata, namespace: ns } };
        // WHEN created with strict field validation
        const res = (await custom.createNamespacedCustomObject({
          group,
          version,
          namespace: ns,
          plural: plural(kind),
          body,
          fieldValidation: 'Strict',
        })) as Obj;
        // THEN the API server stores it as sent
        expect(res.kind).toBe(kind);
        expect(res.metadata.name).toBe(o.metadata.name);
        expect(res.spec).toEqual(o.spec);
      }
    },
    MIN,
  );

  it(
    'rejects a BackendConfig whose field has the wrong type (CRD schema validation)',
    async () => {
      // GIVEN the production BackendConfig with timeoutSec turned into a string
      const ns = await namespace('gke-invalid');
      const o = oneOf(distObjects('production'), 'BackendConfig');
      const body = { ...o, metadata: { name: 'broken', namespace: ns }, spec: { ...o.spec, timeoutSec: 'thirty' } };
      // WHEN it is created
      const err = await rejection(
        custom.createNamespacedCustomObject({ group: 'cloud.google.com', version: 'v1', namespace: ns, plural: 'backendconfigs', body }),
      );
      // THEN schema validation rejects it, naming the field
      expect(err.code).toBe(422);
      expect(statusMessage(err)).toContain('spec.timeoutSec');
      expect(statusMessage(err)).toContain('must be of type integer');
    },
    MIN,
  );

  for (const env of ENVIRONMENTS) {
    it(
      `kubectl apply --server-side -k dist/${env} (its kustomization.yaml) succeeds and every Deployment becomes Available`,
      async () => {
        // GIVEN the synthesized manifests of the example platform for ${env}
        const objs = distObjects(env);
        const deployments = objs.filter((o) => o.kind === 'Deployment');
        expect(deployments.length).toBeGreaterThan(0);
        const namespaces = objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
        // WHEN applied the way the README tells users to
        const out = await kubectl(state, ['apply', '--server-side', '-k', join(distDir, env)], { timeoutMs: 3 * MIN });
        created.push(...namespaces);
        // THEN every object is applied and every Deployment rolls out
        expect(out).toMatch(/serverside-applied/);
        for (const d of deployments) {
          const ns = d.metadata.namespace ?? 'default';
          // replicas as the cluster holds them: an HPA may have raised an unset count to its minReplicas
          const got = await eventually(
            `Deployment ${ns}/${d.metadata.name}`,
            async () => {
              const live = await apps.readNamespacedDeployment({ name: d.metadata.name, namespace: ns });
              return available(live, live.spec?.replicas ?? 1) ? live : undefined;
            },
            4 * MIN,
          ).catch(async (e: Error) => {
            const events = await kubectl(state, ['get', 'events', '-n', ns, '--sort-by=.lastTimestamp']).catch(() => '');
            throw new Error(`${e.message}\n${events.split('\n').slice(-15).join('\n')}`);
          });
          const replicas = got.spec?.replicas ?? 1;
          expect(replicas).toBeGreaterThanOrEqual((d.spec?.replicas as number | undefined) ?? 1);
          expect(got.status?.availableReplicas).toBe(replicas);
        }
        // clean up, and wait, so the next environment (or suite) finds free nodes and no Terminating namespace
        for (const ns of namespaces) await core.deleteNamespace({ name: ns }).catch(() => undefined);
        await eventually(
          `namespaces ${namespaces.join(', ')} to be deleted`,
          async () => {
            const left = (await core.listNamespace()).items.filter((n) => namespaces.includes(n.metadata?.name ?? ''));
            return left.length === 0 ? true : undefined;
          },
          3 * MIN,
        );
      },
      12 * MIN,
    );
  }
});
