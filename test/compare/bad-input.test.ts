/** `berth compare` refuses bad input with exit 2 and a clear message, and writes nothing. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parsePrices } from '../../src/compare/prices-file.js';
import { DEFAULT_PRICES, priceValues } from '../../src/compare/prices.js';
import { compare } from '../../src/cli/commands/compare.js';
import { captureIo, snapshotDir, tempDir } from '../helpers.js';

const PLATFORM = `environments:
  production: { namespace: production }
  dev:
    namespace: dev
    services: { api: { enabled: false } }
services:
  - { name: api, image: registry.example.com/api:1.0.0, port: 8000, host: api.example.com, health: /healthz, memory: 256Mi, cpu: 100m }
`;

function workspace(prices?: unknown): string {
  const dir = tempDir('berth-compare-cli-');
  writeFileSync(join(dir, 'platform.yaml'), PLATFORM);
  if (prices !== undefined) writeFileSync(join(dir, 'prices.json'), typeof prices === 'string' ? prices : JSON.stringify(prices));
  return dir;
}

const full = priceValues(DEFAULT_PRICES);
const without = (key: string): Record<string, number> => Object.fromEntries(Object.entries(full).filter(([k]) => k !== key));

const CASES: [string, string[], unknown, RegExp][] = [
  ['unknown environment', ['--env', 'staging'], undefined, /environments: "staging": is not a declared environment\. Fix: use one of: dev, production/],
  ['environment with no services', ['--env', 'dev'], undefined, /environments\.dev: "dev": runs no services.*Fix: enable a service in "dev"/],
  ['missing --env', [], undefined, /compare needs --env NAME/],
  [
    'prices file missing a price',
    ['--env', 'production', '--prices', 'prices.json'],
    { prices: without('aws.albHour') },
    /prices\.json: prices\.aws\.albHour: is missing\. Fix: add "aws\.albHour"/,
  ],
  [
    'negative price',
    ['--env', 'production', '--prices', 'prices.json'],
    { prices: { ...full, 'gce.e2-standard-4': -1 } },
    /prices\.gce\.e2-standard-4: -1: must be a number ≥ 0/,
  ],
  [
    'price as text',
    ['--env', 'production', '--prices', 'prices.json'],
    { prices: { ...full, 'fargate.gbHour': 'cheap' } },
    /prices\.fargate\.gbHour: "cheap": must be a number ≥ 0/,
  ],
  ['prices file not JSON', ['--env', 'production', '--prices', 'prices.json'], '{ nope', /prices\.json: \(file\): is not valid JSON/],
  ['prices file absent', ['--env', 'production', '--prices', 'nowhere.json'], undefined, /nowhere\.json: \(file\): cannot be read \(ENOENT\)/],
  ['unknown flag', ['--env', 'production', '--launch', 'ec2'], undefined, /unknown flag --launch/],
];

describe('berth compare: bad input', () => {
  it.each(CASES)('%s → exit 2, nothing written', async (_name, args, prices, message) => {
    // GIVEN a workspace with a declaration (and maybe a prices file)
    const dir = workspace(prices);
    const before = snapshotDir(dir);
    const io = captureIo(dir);
    // WHEN compare runs
    const code = await compare([...args, '--file', 'platform.yaml'], io);
    // THEN exit 2, the message names the problem and its fix, and nothing changed on disk
    expect(io.err()).toMatch(message);
    expect(code).toBe(2);
    expect(snapshotDir(dir)).toEqual(before);
    expect(existsSync(join(dir, 'compare'))).toBe(false);
  });

  it('accepts the prices object of a data.json as a prices file', () => {
    // GIVEN the default values written as a prices file with one change
    const text = JSON.stringify({ date: '2026-08-01', source: 'quote #12', prices: { ...full, 'ec2.t3.medium': 0.05 } });
    // WHEN parsed
    const table = parsePrices(text, 'p.json');
    // THEN the value, date and source are those of the file
    expect(table['ec2.t3.medium']).toMatchObject({ value: 0.05, date: '2026-08-01', source: 'quote #12' });
    expect(table['gce.e2-standard-4'].value).toBe(0.13402);
  });

  it('names an unknown key', () => {
    expect(() => parsePrices(JSON.stringify({ prices: { ...full, 'gce.e2-micro': 0.01 } }), 'p.json')).toThrow(
      /prices\.gce\.e2-micro: 0\.01: is not a price berth uses/,
    );
  });
});
