/** Pure parts of the ownership rules: 409 causes to conflicts, foreign objects in a namespace berth created. */
import { describe, expect, it } from '@jest/globals';
import { KubeApiError } from '../../src/deploy/client.js';
import { foreignIn } from '../../src/deploy/namespace-cleanup.js';
import { conflictsOf, ownerOf } from '../../src/deploy/ownership.js';
import type { KubeObject } from '../../src/render/types.js';

const obj = (kind: string, name: string, uid: string, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind, metadata: { name, uid, ...extra } }) as unknown as KubeObject;

describe('conflictsOf', () => {
  it('reads field and manager from the 409 Status causes', () => {
    // GIVEN the API server's answer to a non-forced apply over a field kubectl-edit owns
    const err = new KubeApiError('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas', 409, 'Conflict', [
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' },
    ]);
    // THEN one conflict names both
    expect(conflictsOf(err, 'Deployment ns/web')).toEqual([{ object: 'Deployment ns/web', field: '.spec.replicas', manager: 'kubectl-edit' }]);
  });

  it('is undefined for anything but a 409', () => {
    expect(conflictsOf(new KubeApiError('invalid', 422, 'Invalid'), 'x')).toBeUndefined();
  });
});

describe('ownerOf', () => {
  it('names another ApplySet, else the field managers', () => {
    expect(ownerOf(obj('Service', 'a', '1', { labels: { 'applyset.kubernetes.io/part-of': 'applyset-x-v1' } }))).toMatch(/another ApplySet \(applyset-x-v1\)/);
    expect(ownerOf(obj('Service', 'a', '1', { managedFields: [{ manager: 'team-b' }, { manager: 'helm' }] }))).toBe('field manager(s) "helm", "team-b"');
  });
});

describe('foreignIn', () => {
  it('keeps members, the parent, built-ins and what they own (transitively); reports the rest', () => {
    // GIVEN a namespace with berth's Deployment and Service, their controller-made children, and one foreign ConfigMap
    const id = 'applyset-abc-v1';
    const member = { labels: { 'applyset.kubernetes.io/part-of': id } };
    const objects = [
      obj('Deployment', 'web', 'd1', member),
      obj('ReplicaSet', 'web-1', 'r1', { ownerReferences: [{ uid: 'd1' }] }),
      obj('Pod', 'web-1-x', 'p1', { ownerReferences: [{ uid: 'r1' }] }),
      obj('Service', 'web', 's1', member),
      obj('Endpoints', 'web', 'e1'),
      obj('EndpointSlice', 'web-abc', 'es1', { ownerReferences: [{ uid: 's1' }] }),
      obj('Secret', 'berth-production', 'b1', { labels: { 'applyset.kubernetes.io/id': id } }),
      obj('ConfigMap', 'kube-root-ca.crt', 'c0'),
      obj('ServiceAccount', 'default', 'sa0'),
      obj('ConfigMap', 'team-b', 'c1'),
      obj('Pod', 'orphan', 'p2', { ownerReferences: [{ uid: 'elsewhere' }] }),
    ];
    // THEN only the foreign ones are reported
    expect(foreignIn(objects as never, id).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/team-b', 'Pod/orphan']);
  });
});
