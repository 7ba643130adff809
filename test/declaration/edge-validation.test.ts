import { validatePlatform } from '../../src/declaration/validate.js';
import { DeclarationError } from '../../src/declaration/errors.js';
import { checkPlainEnvName, checkPlainEnvValue, isSecretLikeName } from '../../src/declaration/rules.js';
import { platform, service } from '../helpers.js';

function issuesOf(data: unknown): DeclarationError['issues'] {
  try {
    validatePlatform(data);
  } catch (e) {
    if (e instanceof DeclarationError) return e.issues;
    throw e;
  }
  return [];
}

describe('credential names', () => {
  test('short and long secret names are flagged', () => {
    for (const n of ['DB_PASS', 'SMTP_PWD', 'ENCRYPTION_KEY', 'API_TOKEN', 'JWT_SECRET', 'GCS_CREDENTIALS', 'DB_PASSWORD', 'STRIPE_API_KEY', 'PASS'])
      expect(isSecretLikeName(n)).toBe(true);
  });

  test('names that describe a secret, or a public key, are not', () => {
    for (const n of [
      'AWS_ACCESS_KEY_ID',
      'DB_PASSWORD_FILE',
      'OAUTH_TOKEN_URL',
      'SECRET_NAME',
      'JWT_PUBLIC_KEY',
      'STRIPE_PUBLISHABLE_KEY',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'PASSENGER_COUNT',
      'KEYCLOAK_REALM',
      'LOG_LEVEL',
    ]) {
      expect(isSecretLikeName(n)).toBe(false);
    }
  });

  test('a value made only of $(VAR) references is an alias, not a literal', () => {
    expect(checkPlainEnvName('DB_PASS', '$(DB_PASSWORD)')).toBeUndefined();
    expect(checkPlainEnvName('DB_PASS', 'pw$(DB_PASSWORD)')?.[0]).toMatch(/looks like a secret/);
    expect(checkPlainEnvName('DB_PASS', 'hunter2')?.[0]).toMatch(/looks like a secret/);
  });

  test('URL userinfo passwords are caught, references in them are not', () => {
    expect(checkPlainEnvValue('redis://:hunter2@redis:6379/0')?.[0]).toMatch(/contains a credential/);
    expect(checkPlainEnvValue('amqp://app:pw@rabbit:5672/vhost')?.[0]).toMatch(/contains a credential/);
    expect(checkPlainEnvValue('redis://:$(REDIS_PASSWORD)@redis:6379/0')).toBeUndefined();
    expect(checkPlainEnvValue('https://api.example.com:8443/v1')).toBeUndefined();
  });

  test('the rejected value is never printed', () => {
    // GIVEN passwords in a plain variable and in a URL
    const issues = issuesOf(platform([service({ env: { DB_PASS: 'hunter2', REDIS_URL: 'redis://:hunter3@redis:6379' } })]));
    // THEN both are reported, and neither password appears in the error
    expect(issues.map((i) => i.path)).toEqual(['services[0].env.DB_PASS', 'services[0].env.REDIS_URL']);
    expect(new DeclarationError(issues).message).not.toMatch(/hunter/);
  });
});

describe('a host is routed by one environment only', () => {
  test('the bug of the bundled example: billing inherits the production host in staging', () => {
    // GIVEN api and billing on api.example.com, and staging overriding api's host but not billing's
    const billing = service({ name: 'billing', paths: ['/billing'] });
    const p = platform([service(), billing], { production: {}, staging: { services: { api: { host: 'api.staging.example.com' } } } });
    // WHEN validated
    const issues = issuesOf(p);
    // THEN one issue names both environments, the service and both fixes
    expect(issues).toEqual([expect.objectContaining({ path: 'environments.staging.services.billing', service: 'billing', value: 'api.example.com' })]);
    expect(issues[0].message).toMatch(
      /routed in environment "staging" by service "billing" \(inherited from services\[1\]\) and in environment "production" by services "api", "billing"/,
    );
    expect(issues[0].fix).toMatch(/environments\.staging\.services\.billing\.host, e\.g\. "api\.staging\.example\.com".*enabled: false/);
  });

  test('overriding the host or disabling the service in the second environment fixes it', () => {
    const billing = service({ name: 'billing', paths: ['/billing'] });
    const envs = (b: object) => ({ production: {}, staging: { services: { api: { host: 'api.staging.example.com' }, billing: b } } });
    expect(issuesOf(platform([service(), billing], envs({ host: 'api.staging.example.com' })))).toEqual([]);
    expect(issuesOf(platform([service(), billing], envs({ enabled: false })))).toEqual([]);
  });

  test('extra hosts count too', () => {
    const p = platform([service({ hosts: ['www.example.com'] })], { production: {}, dev: { services: { api: { host: 'api.dev.example.com' } } } });
    expect(issuesOf(p)).toEqual([expect.objectContaining({ service: 'api', value: 'www.example.com' })]);
  });
});
