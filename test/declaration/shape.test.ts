import type { DeclarationIssue } from '../../src/declaration/errors.js';
import { checkShape, type Shape } from '../../src/declaration/shape.js';

const HEALTH: Shape = {
  kind: 'oneOf',
  fix: 'write a path or a map',
  of: [
    { kind: 'string' },
    { kind: 'object', fields: { path: { kind: 'string' }, grpc: { kind: 'oneOf', of: [{ kind: 'bool' }, { kind: 'string' }], fix: 'write true or a name' } } },
  ],
};

const check = (value: unknown): [boolean, DeclarationIssue[]] => {
  const issues: DeclarationIssue[] = [];
  return [checkShape(value, HEALTH, 'health', issues), issues];
};

describe('shape: oneOf (union) fields', () => {
  test('each alternative is accepted in its own form', () => {
    expect(check('/healthz')).toEqual([true, []]);
    expect(check({ path: '/healthz' })).toEqual([true, []]);
    expect(check({ grpc: true })).toEqual([true, []]);
    expect(check({ grpc: 'cart.CartService' })).toEqual([true, []]);
  });

  test("a value of no alternative type names every accepted type and the union's fix", () => {
    const [ok, issues] = check(['/healthz']);
    expect(ok).toBe(false);
    expect(issues).toEqual([{ path: 'health', value: ['/healthz'], message: 'must be a string or a map, got a list', fix: 'write a path or a map' }]);
  });

  test('a matching alternative is checked in depth: unknown keys and nested unions', () => {
    const [ok, issues] = check({ pth: '/x', grpc: 3 });
    expect(ok).toBe(false);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['health.pth', 'unknown field "pth"'],
      ['health.grpc', 'must be true or false or a string, got a number'],
    ]);
    expect(issues[0].fix).toBe('did you mean "path"?');
  });
});
