/** Values under env / secretEnv, and credentials in command/args, are never printed in declaration errors: planted secrets must not appear. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../../src/cli/commands/validate.js';
import { captureIo } from '../gitops/cli-io.js';
import { tempDir } from '../helpers.js';

const PLANTED = 'hunter2-planted-secret';
const SERVICE = '{ name: api, image: "r.example.com/api:1", port: 8000, health: /healthz, memory: 128Mi, cpu: 100m';

const CASES: [string, string, RegExp][] = [
  ['a secretEnv entry given as a plain value', `${SERVICE}, secretEnv: { DB_PASSWORD: "${PLANTED}" } }`, /secretEnv\.DB_PASSWORD .*must be a map/],
  ['an env value given as a map', `${SERVICE}, env: { DSN: { url: "${PLANTED}" } } }`, /env\.DSN .*must be a string/],
  ['a credential-looking env value', `${SERVICE}, env: { SETTINGS: "postgres://app:${PLANTED}@db.internal/app" } }`, /env\.SETTINGS/],
  ['an env value in an environment override', `${SERVICE} }`, /environments\.production\.services\.api\.secretEnv\.TOKEN/],
  ['args: a value after --password', `${SERVICE}, args: [serve, --password, "${PLANTED}"] }`, /args\[2\] .*literal credential after "--password".*secretEnv/],
  ['command: --token=<value>', `${SERVICE}, command: [app, "--token=${PLANTED}"] }`, /command\[1\] .*literal credential after a credential-like flag/],
  ['args: a URL with a password', `${SERVICE}, args: ["--db", "postgres://app:${PLANTED}@db/app"] }`, /args\[1\] .*contains a credential/],
];

describe('declaration errors never print env / secretEnv values', () => {
  test.each(CASES)('%s', async (_name, service, expected) => {
    // GIVEN a declaration with a planted secret value in a malformed field
    const override = _name.includes('override') ? `{ services: { api: { secretEnv: { TOKEN: "${PLANTED}" } } } }` : '{}';
    const file = join(tempDir(), 'platform.yaml');
    writeFileSync(file, `environments: { production: ${override} }\nservices:\n  - ${service}\n`);
    const io = captureIo(tempDir(), {});
    // WHEN validated
    const code = await validate(['--file', file], io);
    // THEN exit 2, the field is named, and the secret is nowhere in the output
    expect(code).toBe(2);
    expect(io.err()).toMatch(expected);
    expect(io.out() + io.err()).not.toContain(PLANTED);
  });
});

describe('command and args that are fine', () => {
  test.each([
    ['a $(VAR) reference after --password', '[serve, --password, "$(DB_PASSWORD)"]'],
    ['a flag that only looks alike', '[serve, --passes, "3", --auth-mode, iam]'],
    ['a credential flag followed by another flag', '[serve, --token, --verbose]'],
  ])('%s', async (_name, args) => {
    // GIVEN args without a literal credential
    const file = join(tempDir(), 'platform.yaml');
    writeFileSync(
      file,
      `environments: { production: {} }\nservices:\n  - ${SERVICE}, args: ${args}, secretEnv: { DB_PASSWORD: { secret: db, key: password } } }\n`,
    );
    const io = captureIo(tempDir(), {});
    // WHEN validated THEN it passes
    expect(await validate(['--file', file], io)).toBe(0);
  });
});
