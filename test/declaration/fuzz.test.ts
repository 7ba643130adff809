/**
 * Property-based tests (fast-check): generated and mutated declarations fed to the loader (YAML text) and the
 * validator (objects, as the TypeScript path passes them). Whatever the input: no crash (only DeclarationError),
 * no stack trace in a message, every rejection names a path. A fixed number of cases runs in CI, with a fixed seed
 * per run printed so a failure can be replayed.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { DeclarationError } from '../../src/declaration/errors.js';
import { loadPlatformText } from '../../src/declaration/load.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { renderPlatform } from '../../src/render/render.js';
import { RenderCheckError } from '../../src/render/checks.js';

/** Cases per property (CI runs exactly these; BERTH_FUZZ_RUNS raises it locally). */
const RUNS = Number(process.env.BERTH_FUZZ_RUNS ?? 500);
const SEED = Number(process.env.BERTH_FUZZ_SEED ?? 20261130);
const SEEDS = ['charts/platform.yaml', 'charts/examples/grpc-shop.yaml', 'charts/examples/python-company.yaml'].map((f) => readFileSync(f, 'utf8'));

type Json = unknown;
let cases = 0;
let rejected = 0;

/** Runs one input through `load`; an accepted declaration is rendered too. Fails on anything but a clean rejection. */
function expectCleanOutcome(load: () => unknown): void {
  cases++;
  try {
    const platform = load();
    renderPlatform(platform as never);
  } catch (e) {
    if (e instanceof RenderCheckError) return;
    if (!(e instanceof DeclarationError)) throw new Error(`crash, not a DeclarationError: ${(e as Error)?.stack ?? String(e)}`);
    rejected++;
    expect(e.message).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(e.message).not.toMatch(/(TypeError|RangeError|ReferenceError|SyntaxError):/);
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(issue.path).toMatch(/\S/);
      expect(issue.fix).toMatch(/\S/);
    }
  }
}

/** Any JSON-like value, including the awkward ones (huge numbers, fractions, empty and deep structures, odd keys). */
const anyValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('', '0', 'true', '~', '*', '512Mi', '-1', '/', '../x', 'a'.repeat(300), 'staging/api', '0.0.0.0/0', '__proto__', 'constructor'),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('name', 'port', 'callers', 'egress', 'allow', 'services', 'networkPolicy', '__proto__')), tie('v'), {
      maxKeys: 4,
    }),
  ),
})).v;

type Step = { readonly at: number; readonly op: 'set' | 'delete' | 'add'; readonly key: string; readonly value: Json };
const step = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<'set' | 'delete' | 'add'>('set', 'delete', 'add'),
  key: fc.string({ maxLength: 12 }),
  value: anyValue,
});

/** Every container (object or array) of a value, depth first. */
function containers(value: Json, out: object[] = []): object[] {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const v of Object.values(value)) containers(v, out);
  }
  return out;
}

/** Applies mutation steps to a copy of a declaration: replace, delete or add a field somewhere in it. */
function mutate(base: Json, steps: readonly Step[]): Json {
  const copy = structuredClone(base);
  for (const s of steps) {
    const all = containers(copy);
    const target = all[s.at % all.length] as Record<string, Json>;
    const keys = Object.keys(target);
    const key = s.op === 'add' || keys.length === 0 ? s.key : keys[s.at % keys.length];
    if (s.op === 'delete') delete target[key];
    else target[key] = s.value;
  }
  return copy;
}

/** A plausible declaration built from field names berth knows, with any values. */
const generated = fc.record(
  {
    environments: fc.dictionary(
      fc.constantFrom('production', 'staging', 'dev', 'Bad_Env', ''),
      fc.record(
        {
          namespace: fc.option(fc.string(), { nil: undefined }),
          networkPolicy: fc.option(fc.boolean(), { nil: undefined }),
          egress: fc.option(
            fc.record({
              allow: fc.array(
                fc.oneof(
                  fc.ipV4().map((ip) => `${ip}/24`),
                  fc.string(),
                ),
              ),
            }),
            { nil: undefined },
          ),
        },
        { requiredKeys: [] },
      ),
      { maxKeys: 3 },
    ),
    services: fc.array(
      fc.record(
        {
          name: fc.constantFrom('web', 'api', 'worker', 'Api', ''),
          image: fc.constantFrom('registry.example.com/a:1.0', 'x', 'a:latest'),
          port: fc.option(fc.integer({ min: -1, max: 70000 }), { nil: undefined }),
          host: fc.option(fc.domain(), { nil: undefined }),
          memory: fc.constantFrom('512Mi', '1GB', '-1'),
          cpu: fc.constantFrom('100m', 'lots'),
          health: fc.constantFrom('/healthz', 'healthz'),
          callers: fc.option(fc.array(fc.oneof(fc.constantFrom('web', 'api', 'worker', 'staging/api', 'nope/api', 'dev/'), fc.string())), { nil: undefined }),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
);

describe('fuzzing the loader and the validator', () => {
  afterAll(() => {
    process.stdout.write(`fuzz: ${cases} declarations (${RUNS} cases per property, seed ${SEED}), ${rejected} rejected with a DeclarationError, 0 crashes\n`);
  });

  test('mutated example platforms, as YAML text through the loader', () => {
    const bases = SEEDS.map((t) => yaml.load(t));
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.array(step, { minLength: 1, maxLength: 4 }), (i, steps) => {
        const text = yaml.dump(mutate(bases[i], steps), { skipInvalid: true });
        expectCleanOutcome(() => loadPlatformText(text, 'fuzz.yaml'));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('mutated example platforms, as objects through the validator (the TypeScript path)', () => {
    const bases = SEEDS.map((t) => yaml.load(t));
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.array(step, { minLength: 1, maxLength: 4 }), (i, steps) => {
        const data = mutate(bases[i], steps);
        expectCleanOutcome(() => validatePlatform(data));
      }),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  });

  test('generated declarations, as YAML and as objects', () => {
    fc.assert(
      fc.property(generated, (data) => {
        expectCleanOutcome(() => loadPlatformText(yaml.dump(data, { skipInvalid: true }), 'fuzz.yaml'));
        expectCleanOutcome(() => validatePlatform(structuredClone(data)));
      }),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  });

  test('example texts cut, spliced and garbled', () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }), (i, a, b, insert) => {
        const text = SEEDS[i];
        const [from, to] = [a % text.length, b % text.length].sort((x, y) => x - y);
        expectCleanOutcome(() => loadPlatformText(text.slice(0, from) + insert + text.slice(to), 'fuzz.yaml'));
      }),
      { numRuns: RUNS, seed: SEED + 3 },
    );
  });

  test('anything at all as the whole document', () => {
    fc.assert(
      fc.property(anyValue, (data) => {
        expectCleanOutcome(() => validatePlatform(data));
      }),
      { numRuns: RUNS, seed: SEED + 4 },
    );
  });
});
