/**
 * The validation memo: a declaration found valid is only taken on trust again while it cannot have
 * changed (deep-frozen data); one mutated after validation is validated again, so a bad value never
 * reaches the rendering.
 */
import { loadPlatformText } from '../../src/declaration/load.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import { freezeDeclaration, validatePlatform } from '../../src/declaration/validate.js';
import { renderPlatform } from '../../src/render/render.js';
import { declarationErrorOf, find, platform, service } from '../helpers.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

describe('validation memo', () => {
  test('an image changed to :latest after a successful render is refused by the next render', () => {
    // GIVEN a TypeScript declaration that renders
    const decl = platform([service({ name: 'api' })]);
    expect(find(renderPlatform(decl)[0].objects, 'Deployment', 'api')).toBeDefined();
    // WHEN its image is changed to a :latest tag and it is rendered again
    (decl.services[0] as Mutable<ServiceDeclaration>).image = 'registry.example.com/api:latest';
    // THEN the rendering refuses it, naming the field
    const error = declarationErrorOf(() => renderPlatform(decl));
    expect(error.issues.map((i) => i.path)).toEqual(['services[0].image']);
    expect(error.message).toMatch(/services\[0\]\.image \(service "api"\): "registry\.example\.com\/api:latest"/);
  });

  test('memory changed to "lots" after validation is refused by the render', () => {
    // GIVEN a declaration validated on its own
    const decl = platform([service({ name: 'api' })]);
    expect(validatePlatform(decl)).toBe(decl);
    // WHEN memory becomes "lots"
    (decl.services[0] as Mutable<ServiceDeclaration>).memory = 'lots';
    // THEN render validates again and refuses it
    const error = declarationErrorOf(() => renderPlatform(decl));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'services[0].memory', value: 'lots' })]);
  });

  test('a loaded YAML declaration is frozen, so it cannot be changed behind the memo', () => {
    // GIVEN a declaration loaded from YAML
    const text = [
      'environments: { production: {} }',
      'services:',
      '  - name: api',
      '    image: registry.example.com/api:1.0',
      '    memory: 256Mi',
      '    cpu: 100m',
      '',
    ].join('\n');
    const decl = loadPlatformText(text, 'p.yaml');
    // WHEN code tries to change it, THEN the change throws and the declaration is still the valid one
    expect(() => {
      (decl.services[0] as Mutable<ServiceDeclaration>).memory = 'lots';
    }).toThrow(TypeError);
    expect(() => {
      (decl.services as ServiceDeclaration[]).push(service({ name: 'web' }));
    }).toThrow(TypeError);
    expect(decl.services[0].memory).toBe('256Mi');
    expect(renderPlatform(decl)).toHaveLength(1);
  });

  test('a deep-frozen TypeScript declaration is remembered; a shallow-frozen one is validated each time', () => {
    // GIVEN a valid declaration frozen at every level whose services are read through a counting getter
    let reads = 0;
    const services = freezeDeclaration([service({ name: 'api' })]);
    const deep = Object.freeze(
      Object.defineProperty({ environments: freezeDeclaration({ production: { namespace: 'production' } }) }, 'services', {
        get: () => (reads++, services),
        enumerable: true,
      }),
    ) as unknown as PlatformDeclaration;
    // WHEN it is validated twice
    expect(validatePlatform(deep)).toBe(deep);
    const afterFirst = reads;
    expect(validatePlatform(deep)).toBe(deep);
    // THEN the second validation reads nothing: it is remembered
    expect(afterFirst).toBeGreaterThan(0);
    expect(reads).toBe(afterFirst);
    // AND a declaration frozen only at the top is validated again, so a change below is found
    const shallowServices = [service({ name: 'api' })];
    const shallow: PlatformDeclaration = Object.freeze({ ...platform([]), services: shallowServices });
    expect(validatePlatform(shallow)).toBe(shallow);
    (shallowServices[0] as Mutable<ServiceDeclaration>).cpu = 'plenty';
    expect(declarationErrorOf(() => validatePlatform(shallow)).issues.map((i) => i.path)).toEqual(['services[0].cpu']);
  });
});
