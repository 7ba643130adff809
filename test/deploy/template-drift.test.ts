/** Undeclared parts of a live pod template, and the JSON patch that removes them. */
import { describe, expect, it } from '@jest/globals';
import { removalPatch, templateExtras } from '../../src/deploy/template-drift.js';
import type { KubeObject } from '../../src/render/types.js';

const dep = (containers: unknown[], volumes: unknown[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers, volumes } } },
});

describe('templateExtras', () => {
  it('finds undeclared containers, env vars and volumes by name, never their values', () => {
    // GIVEN a declared container with one variable, and a live template with more
    const want = dep([{ name: 'web', env: [{ name: 'A', value: '1' }] }]);
    const have = dep(
      [
        {
          name: 'web',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: 'secret-b' },
            { name: 'C', value: 'secret-c' },
          ],
        },
        { name: 'spy' },
      ],
      [{ name: 'x' }],
    );
    // WHEN compared
    const extras = templateExtras(want, have);
    // THEN each extra is named with its JSON pointer; no value appears
    expect(extras.map((e) => [e.path, e.pointer])).toEqual([
      ['spec.template.spec.volumes[name=x]', '/spec/template/spec/volumes/0'],
      ['spec.template.spec.containers[name=spy]', '/spec/template/spec/containers/1'],
      ['spec.template.spec.containers[name=web].env[name=B]', '/spec/template/spec/containers/0/env/1'],
      ['spec.template.spec.containers[name=web].env[name=C]', '/spec/template/spec/containers/0/env/2'],
    ]);
    expect(JSON.stringify(extras)).not.toMatch(/secret-/);
    // AND the removal patch tests the resourceVersion, then removes deepest and highest indices first (separate lists in any order)
    expect(removalPatch(extras, '42')).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'remove', path: '/spec/template/spec/containers/0/env/2' },
      { op: 'remove', path: '/spec/template/spec/containers/0/env/1' },
      { op: 'remove', path: '/spec/template/spec/volumes/0' },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]);
  });

  it('finds nothing for objects without a pod template, or an identical one', () => {
    expect(templateExtras({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, dep([{ name: 'spy' }]))).toEqual([]);
    expect(templateExtras(dep([{ name: 'web' }]), dep([{ name: 'web' }]))).toEqual([]);
  });
});
