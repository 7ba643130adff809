import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../src/render/types.js';
import { deploymentVerdict, ingressVerdict, managedCertificateVerdict, podReasons, statefulSetVerdict, workloadVerdict } from '../../src/deploy/readiness.js';

const dep = (generation: number, spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', generation },
    spec: { selector: { matchLabels: { app: 'api' } }, ...spec },
    status,
  }) as KubeObject;

describe('deploymentVerdict', () => {
  it('waits until the controller observed the generation', () => {
    expect(deploymentVerdict(dep(2, { replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).state).toBe(
      'progressing',
    );
  });
  it('fails fast on ProgressDeadlineExceeded', () => {
    const v = deploymentVerdict(
      dep(
        1,
        { replicas: 3 },
        {
          observedGeneration: 1,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 0,
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
        },
      ),
    );
    expect(v).toEqual({ state: 'failed', message: '0/3 pods ready: progress deadline exceeded' });
  });
  it('waits for updated, then old replicas to go, then availability', () => {
    expect(deploymentVerdict(dep(1, { replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 1 })).message).toMatch(/1\/3 updated/);
    expect(deploymentVerdict(dep(1, { replicas: 3 }, { observedGeneration: 1, replicas: 4, updatedReplicas: 3 })).message).toMatch(/1 old pod/);
    expect(deploymentVerdict(dep(1, { replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message).toMatch(
      /2\/3 available/,
    );
  });
  it('is ready when everything is updated and available', () => {
    expect(
      deploymentVerdict(dep(1, { replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 })),
    ).toEqual({ state: 'ready', message: '3/3 pods ready, rolled out' });
    expect(deploymentVerdict(dep(1, { replicas: 0 }, { observedGeneration: 1 })).state).toBe('ready');
  });
  it('surfaces ReplicaFailure (e.g. Pod Security rejections)', () => {
    const v = deploymentVerdict(
      dep(
        1,
        { replicas: 1 },
        { observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', message: 'pods "api-x" is forbidden: violates PodSecurity' }] },
      ),
    );
    expect(v.message).toMatch(/forbidden: violates PodSecurity/);
  });
});

describe('podReasons', () => {
  const pod = (labels: Record<string, string>, status: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels },
    spec: { containers: [{ name: 'api', image: 'registry.example.com/api:1.4.3' }] },
    status,
  });
  const pulling = { containerStatuses: [{ name: 'api', image: 'registry.example.com/api:1.4.3', state: { waiting: { reason: 'ImagePullBackOff' } } }] };
  it('names image pull failures with the image, counts pods, ignores other deployments', () => {
    const d = dep(1, { replicas: 3 }, {});
    const reasons = podReasons(d, [
      pod({ app: 'api' }, pulling),
      pod({ app: 'api' }, pulling),
      pod({ app: 'web' }, pulling),
      pod({ app: 'api' }, { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] }),
    ]);
    expect(reasons).toEqual(['ImagePullBackOff on registry.example.com/api:1.4.3 (2 pods)', 'Unschedulable (0/3 nodes are available)']);
  });
  it('reports crash loops', () => {
    const r = podReasons(dep(1, {}, {}), [
      pod(
        { app: 'api' },
        {
          containerStatuses: [{ name: 'api', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }],
        },
      ),
    ]);
    expect(r).toEqual(['CrashLoopBackOff (container api, last exit Error 1)']);
  });
});

describe('ingressVerdict', () => {
  const ing = (lb: unknown[], backends?: Record<string, string>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'prod', annotations: backends ? { 'ingress.kubernetes.io/backends': JSON.stringify(backends) } : {} },
    status: { loadBalancer: { ingress: lb } },
  });
  it('waits for an address, then backend reports, then all HEALTHY', () => {
    expect(ingressVerdict(ing([])).message).toBe('waiting for a load balancer address');
    expect(ingressVerdict(ing([{ ip: '203.0.113.10' }])).message).toMatch(/not reported yet/);
    const half = ingressVerdict(ing([{ ip: '203.0.113.10' }], { 'k8s1-a': 'HEALTHY', 'k8s1-b': 'UNHEALTHY' }));
    expect(half).toEqual({ state: 'progressing', message: 'load balancer 203.0.113.10, 1/2 backends healthy (k8s1-b UNHEALTHY)' });
    expect(ingressVerdict(ing([{ ip: '203.0.113.10' }], { 'k8s1-a': 'HEALTHY', 'k8s1-b': 'HEALTHY' })).state).toBe('ready');
  });
});

describe('statefulSetVerdict', () => {
  const sts = (generation: number, spec: Record<string, unknown>, status: Record<string, unknown>): KubeObject =>
    ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'cart', generation },
      spec: { updateStrategy: { type: 'RollingUpdate' }, ...spec },
      status,
    }) as KubeObject;
  it('waits for the controller, then ready pods, then the update revision to become current', () => {
    expect(statefulSetVerdict(sts(2, { replicas: 2 }, { observedGeneration: 1, readyReplicas: 2 })).message).toMatch(/waiting for the controller/);
    expect(statefulSetVerdict(sts(1, { replicas: 2 }, { observedGeneration: 1, readyReplicas: 1 }))).toEqual({
      state: 'progressing',
      message: '1/2 pods ready',
    });
    const rolling = statefulSetVerdict(
      sts(
        1,
        { replicas: 2 },
        { observedGeneration: 1, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 1, currentRevision: 'cart-a', updateRevision: 'cart-b' },
      ),
    );
    expect(rolling).toEqual({ state: 'progressing', message: '2/2 pods ready, 1/2 updated' });
  });
  it('is ready when every pod is ready and available at the update revision; a partition counts', () => {
    const done = { observedGeneration: 1, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, currentRevision: 'cart-b', updateRevision: 'cart-b' };
    expect(statefulSetVerdict(sts(1, { replicas: 2 }, done))).toEqual({ state: 'ready', message: '2/2 pods ready, rolled out' });
    const partitioned = sts(
      1,
      { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
      { observedGeneration: 1, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
    );
    expect(statefulSetVerdict(partitioned).state).toBe('ready');
  });
  it('workloadVerdict picks the rules by kind', () => {
    expect(workloadVerdict(sts(1, { replicas: 1 }, { observedGeneration: 1, readyReplicas: 0 })).message).toBe('0/1 pods ready');
    expect(
      workloadVerdict(dep(1, { replicas: 1 }, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 })).state,
    ).toBe('ready');
  });
});

describe('managedCertificateVerdict', () => {
  const cert = (status?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    metadata: { name: 'production-cert-api.example.com' },
    spec: { domains: ['api.example.com'] },
    status,
  });
  it('waits while gke-managed-certs has not reported a status', () => {
    expect(managedCertificateVerdict(cert())).toEqual({ state: 'progressing', message: 'certificate status not reported yet' });
  });
  it('waits while Provisioning, naming the domains not yet Active', () => {
    const v = managedCertificateVerdict(
      cert({
        certificateStatus: 'Provisioning',
        domainStatus: [
          { domain: 'api.example.com', status: 'FailedNotVisible' },
          { domain: 'b.example.com', status: 'Active' },
        ],
      }),
    );
    expect(v).toEqual({ state: 'progressing', message: 'certificate Provisioning (api.example.com FailedNotVisible)' });
  });
  it('is ready when Active', () => {
    expect(managedCertificateVerdict(cert({ certificateStatus: 'Active' })).state).toBe('ready');
  });
  it('fails at once on ProvisioningFailedPermanently', () => {
    expect(managedCertificateVerdict(cert({ certificateStatus: 'ProvisioningFailedPermanently' })).state).toBe('failed');
  });
});
