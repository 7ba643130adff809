/**
 * One YAML reading: the fast parser (js-yaml, yaml-core.ts's schema) and the precise parser (`yaml`, core
 * schema) give the same data whenever the fast one answers, over a generated corpus that includes YAML 1.1
 * forms; plain scalars that YAML 1.1 reads differently are refused with the path, value, line and fix.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { parseDocument, type Scalar, type YAMLMap } from 'yaml';
import { DeclarationError } from '../../src/declaration/errors.js';
import { loadPlatformText } from '../../src/declaration/load.js';
import { parseYaml, parseYamlFast } from '../../src/declaration/parse.js';
import { readsDifferentlyInYaml11 } from '../../src/declaration/yaml-core.js';

const RUNS = Number(process.env.BERTH_FUZZ_RUNS ?? 1500);
const SEED = Number(process.env.BERTH_FUZZ_SEED ?? 20261201);

/** The YAML 1.1 forms named in issue 10, and their neighbours. */
const FORMS = [
  '0755',
  '0o755',
  '0b1111101000000',
  '-0b101',
  '1:30',
  '-1:30:00.5',
  '190:20:30',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Y',
  'N',
  'YES',
  'Off',
  '~',
  'null',
  'Null',
  'true',
  'False',
  '.inf',
  '-.inf',
  '+.INF',
  '.nan',
  '.NaN',
  '+12',
  '-12',
  '1_000',
  '1_000.5',
  '0x1F',
  '0x_1F',
  '-0x1F',
  '1e5',
  '1.5e3',
  '1.5e+3',
  '.5',
  '1.',
  '-0',
  '00',
  '089',
  '0.5',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '<<',
  '8000',
  '256Mi',
  '1.2.3',
  '.',
  '0o8',
];

/** Characters numbers, booleans and YAML's indicators are made of. */
const CHARS = [...'0123456789_:.-+eExobafFnNiIyYsOTZ~<', ' ', '?', '!', '&', '*', '#', "'", '"', '%', '@', '|', '>'];

const scalarText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FORMS) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...CHARS.slice(0, 37)), { minLength: 1, maxLength: 9 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.constantFrom('', '0', '0b', '0o', '0x'),
        fc.stringMatching(/^[0-9a-f_]{1,6}$/),
        fc.constantFrom('', ':30', ':5', '.25', 'e3', 'e-3'),
      )
      .map((p) => p.join('')),
  },
  { weight: 1, arbitrary: fc.double().map(String) },
);

/** A scalar written in one of YAML's styles: plain, quoted, tagged or a block literal. */
function scalarNode(indent: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      scalarText,
      fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'tagged', 'block'),
      fc.constantFrom('!!str', '!!int', '!!float', '!!bool', '!!null'),
    )
    .map(([s, style, tag]) => {
      if (style === 'single') return `'${s.replace(/'/g, "''")}'`;
      if (style === 'double') return JSON.stringify(s);
      if (style === 'tagged') return `${tag} ${s}`;
      if (style === 'block') return `|\n${indent}  ${s}`;
      return s;
    });
}

const keyText = fc.oneof(scalarText, fc.constantFrom('port', 'name', 'image', 'env', 'replicas'));

/** A block mapping of scalars, a nested block mapping, a flow sequence or a flow mapping per key. */
function documentText(depth: number, indent = ''): fc.Arbitrary<string> {
  const value: fc.Arbitrary<string> =
    depth <= 0
      ? scalarNode(indent)
      : fc.oneof(
          { weight: 3, arbitrary: scalarNode(indent) },
          { weight: 1, arbitrary: documentText(depth - 1, `${indent}  `).map((d) => `\n${d}`) },
          { weight: 1, arbitrary: fc.array(scalarText, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`) },
          { weight: 1, arbitrary: fc.array(fc.tuple(scalarText, scalarText), { maxLength: 3 }).map((p) => `{${p.map(([k, v]) => `${k}: ${v}`).join(', ')}}`) },
        );
  return fc.array(fc.tuple(keyText, value), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${indent}${k}: ${v}`).join('\n'));
}

/** What the precise parser makes of `text`: its data, or 'rejected'. */
function precise(text: string): unknown {
  try {
    return parseYaml(text, 'p.yaml').data;
  } catch (e) {
    if (e instanceof DeclarationError) return 'rejected';
    throw e;
  }
}

/** The value a plain scalar `s` has under `version`'s schema, read by the `yaml` package; undefined when `s` is not one plain scalar. */
function readPlain(s: string, version: '1.1' | '1.2'): { value: unknown } | undefined {
  const doc = parseDocument(`v: ${s}\n`, { version, schema: version === '1.1' ? 'yaml-1.1' : 'core' });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const node = (doc.contents as YAMLMap<Scalar, Scalar> | null)?.items?.[0]?.value;
  if (!node || node.type !== 'PLAIN' || node.source !== s) return undefined;
  return { value: node.value };
}

describe('one YAML reading', () => {
  test('whenever the fast parser answers, the precise parser gives the same data (generated corpus with YAML 1.1 forms)', () => {
    // GIVEN generated documents mixing YAML 1.1 and 1.2 scalars in every style
    let answered = 0;
    let total = 0;
    fc.assert(
      fc.property(documentText(2), fc.boolean(), (body, crlf) => {
        const text = crlf ? `${body}\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r') : `${body}\n`;
        total++;
        // WHEN both parsers read it
        const fast = parseYamlFast(text);
        if (fast === undefined) return true;
        answered++;
        // THEN the precise parser accepts it and reads exactly the same values (NaN, -0, strings alike)
        const slow = precise(text);
        if (!isDeepStrictEqual(slow, fast.data))
          throw new Error(`disagree on ${JSON.stringify(text)}: fast ${JSON.stringify(fast.data)}, precise ${JSON.stringify(slow)}`);
        return true;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // AND the fast path is not vacuous: it answers a good share of the corpus
    expect(answered).toBeGreaterThan(total * 0.2);
  });

  test('a plain scalar is refused exactly when the yaml package reads it differently under YAML 1.1 and YAML 1.2 core', () => {
    let differing = 0;
    fc.assert(
      fc.property(scalarText, (s) => {
        const v11 = readPlain(s, '1.1');
        const v12 = readPlain(s, '1.2');
        // The yaml package's YAML 1.1 float rule reads an exponent with no digits before it (`e0`, `-.e5`) as
        // NaN, a quirk no other YAML 1.1 reader shares (the 1.1 spec's float needs a digit or a dot first): not refused.
        if (!v11 || !v12 || /^[-+]?\.?_*[eE]/.test(s)) return true;
        const differs = !isDeepStrictEqual(v11.value, v12.value);
        if (differs) differing++;
        if (readsDifferentlyInYaml11(s) !== differs)
          throw new Error(`${JSON.stringify(s)}: YAML 1.1 ${String(v11.value)}, 1.2 ${String(v12.value)}, check says ${readsDifferentlyInYaml11(s)}`);
        return true;
      }),
      { numRuns: RUNS * 3, seed: SEED },
    );
    expect(differing).toBeGreaterThan(0);
  });

  const ACCEPTED: [string, unknown][] = [
    ['~', null],
    ['null', null],
    ['true', true],
    ['False', false],
    ['.inf', Infinity],
    ['-.inf', -Infinity],
    ['.nan', NaN],
    ['+12', 12],
    ['-0', -0],
    ['0x1F', 31],
    ['1.5e+3', 1500],
    ['1.5e3', 1500],
    ['1e5', 100000],
    ['.5', 0.5],
    ['8000', 8000],
    ['256Mi', '256Mi'],
    ['1.2.3', '1.2.3'],
    ['089', 89],
    ['"0755"', '0755'],
    ["'yes'", 'yes'],
    ['!!str 0b101', '0b101'],
    ['!!str on', 'on'],
  ];
  test.each(ACCEPTED)('%s is read alike by both parsers', (form, value) => {
    // GIVEN a value both YAML versions read alike, WHEN each parser reads it, THEN both give the same value
    const text = `v: ${form}\n`;
    const fast = parseYamlFast(text);
    // (a tagged scalar is left to the precise parser)
    if (form.startsWith('!!')) expect(fast).toBeUndefined();
    else expect(Object.is((fast!.data as { v: unknown }).v, value)).toBe(true);
    expect(Object.is((parseYaml(text, 'p.yaml').data as { v: unknown }).v, value)).toBe(true);
  });

  const REFUSED: [string, RegExp][] = [
    ['0b1111101000000', /text in YAML 1\.2, which berth reads, but the number 8000 in YAML 1\.1/],
    ['0755', /the number 755 in YAML 1\.2, which berth reads, but the number 493 in YAML 1\.1/],
    ['0o755', /the number 493 in YAML 1\.2, which berth reads, but text in YAML 1\.1/],
    ['1:30', /text in YAML 1\.2, which berth reads, but the number 90 in YAML 1\.1/],
    ['1_000', /text in YAML 1\.2, which berth reads, but the number 1000 in YAML 1\.1/],
    ['-0x1F', /text in YAML 1\.2, which berth reads, but the number -31 in YAML 1\.1/],
    ['yes', /text in YAML 1\.2, which berth reads, but true in YAML 1\.1/],
    ['no', /but false in YAML 1\.1/],
    ['on', /but true in YAML 1\.1/],
    ['off', /but false in YAML 1\.1/],
    ['y', /but true in YAML 1\.1/],
    ['n', /but false in YAML 1\.1/],
    ['2024-01-01', /text in YAML 1\.2, which berth reads, but a date in YAML 1\.1/],
  ];
  test.each(REFUSED)('port: %s is refused with path, value, line and fix', (form, message) => {
    // GIVEN a declaration whose port is written in a form YAML 1.1 reads differently
    const text = [
      'environments: { production: {} }',
      'services:',
      '  - name: api',
      '    image: registry.example.com/api:1.0',
      `    port: ${form}`,
      '    health: /healthz',
      '    memory: 256Mi',
      '    cpu: 100m',
      '',
    ].join('\n');
    // WHEN it is loaded, THEN the fast path defers and the precise one names the field, value, line and fix
    expect(parseYamlFast(text)).toBeUndefined();
    let error: unknown;
    try {
      loadPlatformText(text, 'platform.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeclarationError);
    const issues = (error as DeclarationError).issues;
    expect(issues).toEqual([
      expect.objectContaining({ path: 'services[0].port', value: form, line: 5, fix: expect.stringMatching(/quote it|write true or false/) }),
    ]);
    expect(issues[0].fix).toMatch(/^[a-zA-Z]$|^[Yy]es|^[Nn]o|^[Oo]/.test(form) ? /write true or false/ : /quote it .* or write a plain decimal/);
    expect(issues[0].message).toMatch(message);
    expect((error as DeclarationError).message).toContain(
      `platform.yaml:5: services[0].port (service "api"): "${form}": is read differently by YAML 1.1 tools`,
    );
  });

  test('an ambiguous env value is refused without printing the value, and an ambiguous key is refused too', () => {
    // GIVEN an env value `on` and an env variable named `Y`
    const text = [
      'environments: { production: {} }',
      'services:',
      '  - name: api',
      '    image: registry.example.com/api:1.0',
      '    memory: 256Mi',
      '    env:',
      '      DEBUG: on',
      '      Y: "1"',
      '',
    ].join('\n');
    // WHEN loaded, THEN both are issues at their lines, and the env value is not echoed
    const error = (() => {
      try {
        loadPlatformText(text, 'p.yaml');
      } catch (e) {
        return e as DeclarationError;
      }
      throw new Error('accepted');
    })();
    expect(error.issues.map((i) => [i.path, i.line])).toEqual([
      ['services[0].env.DEBUG', 7],
      ['services[0].env.Y', 8],
    ]);
    expect(error.message).not.toContain('"on"');
    expect(error.message).toContain(
      'p.yaml:7: services[0].env.DEBUG (service "api"): "(value hidden)": is read differently by YAML 1.1 tools. Fix: write true or false',
    );
  });

  test('YAML 1.1 tags, merge keys, null keys and collection keys are refused by both parsers', () => {
    for (const text of [
      '<<: {a: 1}\n',
      'null: 0\n',
      '~: 0\n',
      'a: {~: 1}\n',
      ': x\n',
      'v: !!binary aGVsbG8=\n',
      'v: !!timestamp 2001-01-01\n',
      'v: !!set {a}\n',
      '[a, b]: x\n',
      '? [a]\n: x\n',
      'v: !!int 0b101\n',
      'v: !!float 12\n',
    ]) {
      expect(parseYamlFast(text)).toBeUndefined();
      expect(precise(text)).toBe('rejected');
    }
  });
});
