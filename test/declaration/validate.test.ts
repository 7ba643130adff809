import { readFileSync } from 'node:fs';
import { examplePlatformFile } from '../../src/cli/platform-file.js';
import { loadPlatformText } from '../../src/declaration/load.js';
import { parseYaml, parseYamlFast } from '../../src/declaration/parse.js';
import { parseQuantity } from '../../src/declaration/rules.js';
import { didYouMean } from '../../src/declaration/shape.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { declarationErrorOf, platform, service } from '../helpers.js';

const issuesOf = declarationErrorOf;

describe('validation', () => {
  test('reports problems with their lines: structure first, then every value problem at once', () => {
    // GIVEN a YAML declaration with three mistakes on known lines
    const text = [
      'environments:',
      '  production: {}',
      'services:',
      '  - name: api',
      '    image: registry.example.com/api:latest',
      '    memory: 1GB',
      '    cpu: 250m',
      '    replicsa: 2',
      '',
    ].join('\n');
    // WHEN it is loaded
    const error = issuesOf(() => loadPlatformText(text, 'platform.yaml'));
    // THEN the structural one (unknown key) comes first, with its line: values of a malformed
    // declaration are not judged yet
    expect(error.issues.map((i) => [i.line, i.path])).toEqual([[8, 'services[0].replicsa']]);
    // AND once the structure is fixed, every value problem is listed together, each with its line
    const fixed = issuesOf(() => loadPlatformText(text.replace('replicsa', 'replicas'), 'platform.yaml'));
    expect(fixed.issues.map((i) => [i.line, i.path])).toEqual([
      [5, 'services[0].image'],
      [6, 'services[0].memory'],
    ]);
    expect(fixed.message).toMatch(/^2 problems in the declaration platform\.yaml:/);
  });

  test('a credential in an env value is reported without echoing it', () => {
    const error = issuesOf(() => validatePlatform(platform([service({ env: { DATABASE_URL: 'postgres://app:s3cr3t@db/app' } })])));
    expect(error.message).toMatch(/contains a credential/);
    expect(error.message).not.toContain('s3cr3t');
  });

  test('probe header values are never echoed in errors', () => {
    // GIVEN health checks carrying a session cookie, each with a mistake
    const cookie = { Cookie: 'session=s3cr3t-cookie' };
    const error = issuesOf(() =>
      validatePlatform(
        platform([
          service({ health: { path: '/healthz', tcp: true, headers: cookie } }),
          service({ name: 'cart', host: undefined, protocol: 'grpc', health: { grpc: true, headers: cookie } }),
        ]),
      ),
    );
    // THEN both are reported, naming the header but not its value
    expect(error.message).toMatch(/declares path and tcp/);
    expect(error.message).toMatch(/health\.headers .*\["Cookie"\]: only apply to an HTTP path check/);
    expect(error.message).not.toContain('s3cr3t');
  });

  test('the same mistake inherited by every environment is reported once', () => {
    const error = issuesOf(() => validatePlatform(platform([service({ port: undefined })], { production: {}, staging: {}, dev: {} })));
    expect(error.issues.filter((i) => i.path === 'services[0].port')).toHaveLength(1);
  });

  test('did-you-mean finds near misses and case slips, not unrelated words', () => {
    expect(didYouMean('memroy', ['memory', 'cpu'])).toBe('memory');
    expect(didYouMean('Image', ['image'])).toBe('image');
    expect(didYouMean('colour', ['memory', 'cpu'])).toBeUndefined();
  });

  test('quantities parse like Kubernetes', () => {
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1GB')).toBeUndefined();
    expect(parseQuantity('-1')).toBeUndefined();
  });

  test('a valid declaration comes back unchanged', () => {
    const decl = platform([service()]);
    expect(validatePlatform(decl)).toBe(decl);
  });

  test('the fast parser and the precise parser read the example platform identically', () => {
    const text = readFileSync(examplePlatformFile(), 'utf8');
    expect(parseYamlFast(text)!.data).toEqual(parseYaml(text, 'platform.yaml').data);
  });

  test('YAML anchors and aliases are accepted (through the precise parser)', () => {
    const text = [
      'environments: { production: {} }',
      'services:',
      '  - &base { name: api, image: "r.example.com/api:1.0", memory: 256Mi, cpu: 100m }',
      '  - { name: web, image: "r.example.com/web:1.0", memory: 256Mi, cpu: 100m }',
      'x: *base',
      '',
    ].join('\n');
    expect(parseYamlFast(text)).toBeUndefined();
    expect(() => loadPlatformText(text, 'p.yaml')).toThrow(/p\.yaml:5: x: unknown field "x"/);
  });
});
