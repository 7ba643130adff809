/** Deploy's side of the environment knobs: quota refusals fail the rollout wait; shared PriorityClasses stay out of the ApplySet. */
import { describe, expect, it } from '@jest/globals';
import { isShared, membership, withMembership } from '../../src/deploy/applyset.js';
import { deploymentVerdict, QUOTA_GRACE_MS, quotaRejection } from '../../src/deploy/readiness.js';
import { renderPlatform } from '../../src/render/render.js';
import type { KubeObject } from '../../src/render/types.js';
import { env, platform, service } from '../helpers.js';

const QUOTA_MESSAGE =
  'pods "api-5d8c7b9f4-x2x7z" is forbidden: exceeded quota: berth-quota, requested: requests.cpu=250m, used: requests.cpu=750m, limited: requests.cpu=800m';
const since = '2026-01-01T00:00:00Z';
const later = Date.parse(since) + QUOTA_GRACE_MS;

const rolling = (failure: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', generation: 2 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } },
    status: {
      observedGeneration: 2,
      replicas: 3,
      updatedReplicas: 0,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
        { type: 'ReplicaFailure', status: 'True', lastTransitionTime: since, ...failure },
      ],
    },
  }) as KubeObject;

describe('quota refusals in the rollout wait', () => {
  it('a ReplicaFailure/FailedCreate "exceeded quota" fails the rollout, naming the quota and the amounts', () => {
    // GIVEN a Deployment whose new ReplicaSet cannot create pods because of the quota, for longer than the grace
    const v = deploymentVerdict(rolling({ reason: 'FailedCreate', message: QUOTA_MESSAGE }), later);
    // THEN the verdict is failed with berth's message
    expect(v.state).toBe('failed');
    expect(v.message).toBe(
      '3/3 pods ready: pods refused by ResourceQuota "berth-quota": requested requests.cpu=250m, used requests.cpu=750m, limited requests.cpu=800m; ' +
        "raise the environment's quota (quota: in the declaration) or free capacity in the namespace",
    );
  });

  it('a fresh refusal is still progressing (the quota controller may not have released a deleted pod yet)', () => {
    expect(deploymentVerdict(rolling({ reason: 'FailedCreate', message: QUOTA_MESSAGE }), later - 1).state).toBe('progressing');
  });

  it('other FailedCreate reasons keep waiting, with the message', () => {
    const v = deploymentVerdict(rolling({ reason: 'FailedCreate', message: 'pods "api-x" is forbidden: violates PodSecurity "restricted:latest"' }), later);
    expect(v.state).toBe('progressing');
    expect(v.message).toMatch(/violates PodSecurity/);
    expect(quotaRejection({ reason: 'FailedCreate', message: 'exceeded quota: q' })).toMatch(/refused by a ResourceQuota \(exceeded quota: q\)/);
  });
});

describe('shared PriorityClasses and the ApplySet', () => {
  it('are applied without the membership label and left out of the group-kinds, so no environment prunes them', () => {
    // GIVEN a rendered environment with a PriorityClass
    const objects = env(renderPlatform(platform([service()])), 'production').objects;
    const pc = objects.find((o) => o.kind === 'PriorityClass')!;
    // THEN it is shared, keeps its labels, and is not part of the ApplySet's membership
    expect(isShared(pc)).toBe(true);
    expect(withMembership(pc, 'applyset-x-v1').metadata.labels).not.toHaveProperty(['applyset.kubernetes.io/part-of']);
    expect(membership(objects, { name: 'berth-production', namespace: 'production' }).groupKinds).not.toContain('PriorityClass.scheduling.k8s.io');
    expect(membership(objects, { name: 'berth-production', namespace: 'production' }).groupKinds).toContain('Deployment.apps');
  });
});
