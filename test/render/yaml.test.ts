import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { toYaml, toYamlStream } from '../../src/render/yaml.js';

type Version = '1.1' | '1.2';
const VERSIONS: readonly Version[] = ['1.1', '1.2'];

/** Parses one document strictly: no errors or warnings allowed. */
function parseStrict(text: string, version: Version): unknown {
  const doc = parseDocument(text, { version, uniqueKeys: true });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  expect(doc.warnings.map((w) => w.message)).toEqual([]);
  return doc.toJS();
}

/** Asserts `parse(toYaml(v))` deep-equals `v` under both schemas; returns the text. */
function expectRoundTrip(value: unknown): string {
  const text = toYaml(value);
  for (const version of VERSIONS) {
    try {
      expect(parseStrict(text, version)).toEqual(value);
    } catch (err) {
      throw new Error(`round trip failed (YAML ${version}) for ${JSON.stringify(value)}:\n${text}\n${String(err)}`);
    }
  }
  return text;
}

const TRICKY_STRINGS: readonly string[] = [
  '',
  ' ',
  '  ',
  'true',
  'True',
  'TRUE',
  'false',
  'FALSE',
  'yes',
  'Yes',
  'NO',
  'no',
  'on',
  'On',
  'OFF',
  'off',
  'y',
  'Y',
  'n',
  'N',
  'null',
  'Null',
  'NULL',
  '~',
  '0755',
  '0x1F',
  '0o17',
  '0b101',
  '1e3',
  '1E3',
  '1e+21',
  '.5',
  '+1',
  '-1',
  '-0',
  '1_000',
  '.inf',
  '-.inf',
  '+.INF',
  '.nan',
  '.NaN',
  'inf',
  'NaN',
  'Infinity',
  '1:20',
  '190:20:30.15',
  '1.',
  '.',
  '..',
  '1.4.2',
  '8000',
  '3.14',
  '2024-01-01',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '- item',
  '-',
  '--',
  '---',
  '...',
  '---x',
  '? q',
  '?',
  ':',
  ':x',
  ', x',
  '[a]',
  ']',
  '{x}',
  '}',
  '#c',
  '&a',
  '*a',
  '!tag',
  '|',
  '>',
  "'s'",
  '"d"',
  '%YAML',
  '@at',
  '`tick`',
  ' lead',
  'trail ',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  'key:',
  'a\nb',
  'a\n',
  '\n',
  '\n\n',
  'a\n\n',
  '\na',
  '  a\nb',
  'a\n  b\n',
  'a\n \nb',
  'tab\there',
  '\t',
  'cr\r\nlf',
  'nul\u0000',
  'bell\u0007',
  'del\u007f',
  'c1\u0085x',
  'ls\u2028ps\u2029',
  'bom\ufeff',
  'nbsp\u00a0',
  '\u00a0lead',
  'caf\u00e9',
  '\u65e5\u672c',
  'emoji \ud83d\ude00',
  'noncp\uffff',
  '<<',
  '=',
  '\\',
  'back\\slash',
  'q"uote',
  "ap'os",
  '{"ingress": true}',
  '[1, 2]',
  'registry.example.com/api:1.4.2',
  'http://example.com/#frag',
  'a,b,c',
  '100Mi',
  '500m',
  '._5',
  '0.',
  '1e',
  '\\n',
  '# not comment',
  'x # y',
  'ends with colon:',
  'multi\nline\nwith: colon\n# hash\n',
  '  \n',
  'a\r',
  '\u0085',
  'a\u2028b\nc',
  'x'.repeat(1100),
  '.dockerconfigjson',
  '--port',
  '-x',
  '-e5',
  '--inf',
  '-Infinity',
  '-NaN',
  '... x',
  '...x',
  '--- x',
  '---x',
  'e2',
  'E-3',
  '+e5',
  '.e2',
  'eta',
  'beef',
  '\ud800lone',
  'lone\udfff',
];

describe('toYaml round trip', () => {
  it.each(TRICKY_STRINGS.map((s) => [s]))('string %j as value, key, item and root', (s) => {
    expectRoundTrip(s);
    expectRoundTrip({ k: s });
    expectRoundTrip({ [s]: s, nested: { [s]: [s, { [s]: s }] } });
    expectRoundTrip([s, [s], [[s]]]);
  });

  it('covers at least 60 tricky strings', () => {
    expect(TRICKY_STRINGS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(
    [0, 1, -1, 42, 3.14, -2.5, 1e21, 1.5e-7, 1e-7, -1e300, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 0.1, 123456789012, true, false, null].map((v) => [v]),
  )('scalar %p', (v) => {
    expectRoundTrip(v);
    expectRoundTrip({ v, list: [v] });
  });

  it('writes negative zero as 0 and dotless exponents with .0', () => {
    expect(toYaml(-0)).toBe('0\n');
    expect(toYaml({ a: 1e21, b: 1e-7, c: 1.5e-7 })).toBe('a: 1.0e+21\nb: 1.0e-7\nc: 1.5e-7\n');
  });

  it('round-trips nested and empty structures', () => {
    expectRoundTrip({});
    expectRoundTrip([]);
    expectRoundTrip({ a: {}, b: [], c: [{}, [], [[]], [{}]], d: { e: { f: [1, [2, [3, { g: [] }]]] } } });
    expectRoundTrip([[[{ a: 1, b: [{ c: 'x\ny\n' }] }]], { '': '' }]);
    expectRoundTrip({ 'needs: quote': 1, '- dash': 2, '8000': 3, true: 4, '~': 5, '<<': { x: 1 }, 'a\nb': 6 });
  });

  it('omits undefined object properties like JSON.stringify', () => {
    expect(toYaml({ a: undefined, b: 1 })).toBe('b: 1\n');
    expect(toYaml({ a: { b: undefined } })).toBe('a: {}\n');
  });

  it('uses the explicit key form for keys longer than the implicit-key limit', () => {
    const key = 'k'.repeat(1500);
    const text = expectRoundTrip({ [key]: { a: 1 }, short: [{ [key]: 'v' }] });
    expect(text.startsWith(`? ${key}\n:\n  a: 1\n`)).toBe(true);
  });
});

describe('toYaml layout', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      annotations: { 'cloud.google.com/neg': '{"ingress": true}', note: 'line one\nline two\n' },
      labels: { app: 'api' },
      name: 'api',
    },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              args: ['--port', '8000'],
              env: [{ name: 'DEBUG', value: 'false' }],
              image: 'registry.example.com/api:1.4.2',
              name: 'api',
              ports: [{ containerPort: 8000 }],
              resources: { limits: { cpu: '500m', memory: '256Mi' } },
            },
          ],
          securityContext: {},
          volumes: [],
        },
      },
    },
  };

  it('renders a Deployment exactly', () => {
    expect(toYaml(deployment)).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    cloud.google.com/neg: "{\\"ingress\\": true}"
    note: |
      line one
      line two
  labels:
    app: api
  name: api
spec:
  replicas: 2
  template:
    spec:
      containers:
        - args:
            - --port
            - "8000"
          env:
            - name: DEBUG
              value: "false"
          image: registry.example.com/api:1.4.2
          name: api
          ports:
            - containerPort: 8000
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
      securityContext: {}
      volumes: []
`);
    expectRoundTrip(deployment);
  });

  it('renders chomping indicators and nested sequences', () => {
    expect(toYaml({ a: 'x', b: ['y\n', 'z\n\n'], c: [[1, 2], [{ d: 3, e: 4 }]] })).toBe(
      'a: x\nb:\n  - |\n    y\n  - |+\n    z\n\nc:\n  - - 1\n    - 2\n  - - d: 3\n      e: 4\n',
    );
    expect(toYaml({ s: 'a\nb' })).toBe('s: |-\n  a\n  b\n');
    expect(toYaml({ s: '  indented\nb' })).toBe('s: "  indented\\nb"\n');
  });

  it('renders root scalars and empties', () => {
    expect(toYaml('x')).toBe('x\n');
    expect(toYaml('a\nb')).toBe('"a\\nb"\n');
    expect(toYaml(null)).toBe('null\n');
    expect(toYaml({})).toBe('{}\n');
    expect(toYaml([])).toBe('[]\n');
    expect(toYaml([1, { a: 1, b: 2 }])).toBe('- 1\n- a: 1\n  b: 2\n');
  });

  it('escapes characters YAML treats as line breaks or non-printable', () => {
    expect(toYaml('a\u2028b\u0085c\u007fd\ufeff')).toBe('"a\\u2028b\\u0085c\\u007fd\\ufeff"\n');
  });

  it('matches the yaml package layout for plain-safe content', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 300; i++) {
      const v = randomValue(rand, 0, () => 'k' + Math.floor(rand() * 1000).toString(36), [0, 1, -7, 8000, 0.25]);
      expect(toYaml(v)).toBe(stringify(v));
    }
  });
});

describe('toYamlStream', () => {
  it('joins documents with --- lines', () => {
    const docs = [{ a: 1 }, { b: ['---', '...'] }, 'x\n\n', []];
    const text = toYamlStream(docs);
    expect(text).toBe('a: 1\n---\nb:\n  - "---"\n  - "..."\n---\n"x\\n\\n"\n---\n[]\n');
    for (const version of VERSIONS) {
      const parsed = parseAllDocuments(text, { version });
      expect(Array.isArray(parsed) && parsed.map((d) => d.toJS())).toEqual(docs);
    }
    expect(toYamlStream([])).toBe('');
  });

  it('gives the same stream for thousands of documents (joined in chunks) as document by document', () => {
    // GIVEN counts on both sides of every chunk boundary, up to a whole environment's worth of objects
    for (const n of [63, 64, 65, 128, 129, 5107]) {
      const docs = Array.from({ length: n }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c-${i}` }, data: { i: String(i) } }));
      // WHEN streamed  THEN it is each document in order, one --- line between two
      const text = toYamlStream(docs);
      expect(text).toBe(docs.map((d) => toYaml(d)).join('---\n'));
      expect(text.split('---\n')).toHaveLength(n);
    }
  });
});

describe('toYaml errors', () => {
  it('rejects values with no YAML representation', () => {
    expect(() => toYaml({ a: NaN })).toThrow(/non-finite number NaN/);
    expect(() => toYaml([Infinity])).toThrow(/non-finite number Infinity/);
    expect(() => toYaml({ a: [1, undefined] })).toThrow(/undefined at array index 1/);
    expect(() => toYaml(undefined)).toThrow(/undefined at the document root/);
    expect(() => toYaml({ f: () => 1 })).toThrow(/cannot serialise function at key "f"/);
    expect(() => toYaml({ s: Symbol('s') })).toThrow(/cannot serialise symbol/);
    expect(() => toYaml({ b: BigInt(1) })).toThrow(/cannot serialise bigint/);
    expect(() => toYaml({ d: new Date(0) })).toThrow(/object of type Date/);
  });

  it('rejects cycles but allows shared non-cyclic references', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(() => toYaml(a)).toThrow(/cyclic structure/);
    const list: unknown[] = [];
    list.push(list);
    expect(() => toYaml(list)).toThrow(/cyclic structure/);
    const shared = { s: 1 };
    expect(toYaml({ a: shared, b: shared })).toBe('a:\n  s: 1\nb:\n  s: 1\n');
  });
});

describe('toYaml fuzz', () => {
  it('round-trips 2000 random manifest-like objects under YAML 1.1 and 1.2', () => {
    const rand = mulberry32(20240601);
    const str = (): string => randomString(rand);
    for (let i = 0; i < 2000; i++) {
      const manifest = {
        apiVersion: str(),
        kind: 'Deployment',
        metadata: { annotations: randomMap(rand, str), labels: randomMap(rand, str), name: str() },
        spec: randomValue(rand, 0, str),
      };
      expectRoundTrip(manifest);
    }
  });
});

/** Deterministic 32-bit PRNG (mulberry32); returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** Building blocks rich in YAML-significant characters and reserved words. */
const TOKENS: readonly string[] = [
  ...' \n\t\r:#-?,[]{}&*!|>\'"%@`.~<=+_\\/0123456789eEaxXoObBtTzZyYnN',
  'true',
  'No',
  'on',
  'null',
  'NULL',
  '.inf',
  '.nan',
  '0x',
  '0o',
  '1e',
  '---',
  '...',
  '<<',
  ': ',
  ' #',
  '\n\n',
  '  ',
  'abc',
  'Mi',
  '2024-01-01',
  'T10:00:00Z',
  '\u00a0',
  '\u00e9',
  '\u2028',
  '\u0085',
  '\ufeff',
  '\u0000',
  '\u007f',
  '\ud83d\ude00',
  '\u65e5',
];

/** A random string: 0–8 tokens, occasionally a tricky string from the table. */
function randomString(rand: () => number): string {
  if (rand() < 0.1) return pick(rand, TRICKY_STRINGS);
  let s = '';
  const n = Math.floor(rand() * 9);
  for (let i = 0; i < n; i++) s += pick(rand, TOKENS);
  return s;
}

/** A random map of 0–4 entries. */
function randomMap(rand: () => number, str: () => string): Record<string, string> {
  const out: Record<string, string> = {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) out[str()] = str();
  return out;
}

const NUMBERS: readonly number[] = [0, 1, -1, 8000, 0.5, -3.25, 1e21, 1.5e-7, 2 ** 53, 1e100, 7e-300];

/** A random JSON value up to depth 4; strings come from `str`, numbers from `nums`. */
function randomValue(rand: () => number, depth: number, str: () => string, nums = NUMBERS): unknown {
  const r = rand();
  if (depth >= 4 || r < 0.35) {
    const s = rand();
    if (s < 0.6) return str();
    if (s < 0.8) return pick(rand, nums);
    return s < 0.9 ? rand() < 0.5 : null;
  }
  const n = Math.floor(rand() * 4);
  if (r < 0.65) return Array.from({ length: n }, () => randomValue(rand, depth + 1, str, nums));
  const obj: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) obj[str()] = randomValue(rand, depth + 1, str, nums);
  return obj;
}
