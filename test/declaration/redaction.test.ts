/** Values under env / secretEnv are never printed in declaration errors: planted secrets must not appear. */
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
