import { DeclarationError } from '../../src/declaration/errors.js';
import type { ServiceDeclaration } from '../../src/declaration/types.js';
import { checkInstanceName } from '../../src/declaration/validate-sidecars.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { platform, service } from '../helpers.js';

const GSA = 'api-runner@acme-prod.iam.gserviceaccount.com';
const SHIPPER = { name: 'log-shipper', image: 'registry.example.com/shipper:2.1.0', memory: '64Mi' };

/** The issues of a declaration with one service, as `path: message` lines ([] when valid). */
function problems(overrides: Partial<ServiceDeclaration>, environments?: Parameters<typeof platform>[1]): string[] {
  try {
    validatePlatform(platform([service(overrides)], environments));
    return [];
  } catch (e) {
    if (!(e instanceof DeclarationError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe('sidecar validation', () => {
  test('a service with sidecars and the Cloud SQL proxy, declared right, is valid', () => {
    expect(
      problems({
        sidecars: [SHIPPER, { ...SHIPPER, name: 'metrics', port: 9100, cpu: '20m' }],
        cloudSql: { instances: ['acme-prod:europe-west1:main-db'], privateIp: true },
        gcpServiceAccount: GSA,
      }),
    ).toEqual([]);
  });

  test('instance connection names: project:region:instance, domain-scoped projects too', () => {
    // GIVEN real connection-name forms THEN they pass
    for (const ok of ['acme-prod:europe-west1:main-db', 'my-project-123:us-central1:db', 'example.com:acme-prod:northamerica-northeast1:pg16']) {
      expect(checkInstanceName(ok)).toBeUndefined();
    }
    // AND the usual mistakes fail with a message that says what is wrong
    expect(checkInstanceName('main-db')?.[0]).toMatch(/it has 1 part, expected project:region:instance/);
    expect(checkInstanceName('acme-prod:main-db')?.[0]).toMatch(/it has 2 parts/);
    expect(checkInstanceName('acme-prod:europe-west1:main-db?port=5432')?.[0]).toMatch(/berth sets the proxy's ports/);
    expect(checkInstanceName('Acme-Prod:europe-west1:main-db')?.[0]).toMatch(/not an instance connection name/);
    expect(checkInstanceName('acme-prod:europe:main-db')?.[0]).toMatch(/region like "europe-west1"/);
    expect(checkInstanceName('acme-prod:europe-west1:1db')).toBeDefined();
    expect(checkInstanceName('a:acme-prod:europe-west1:db')).toBeDefined();
  });

  test('ports: the app, sidecars and the proxy share one network namespace', () => {
    expect(problems({ port: 9801, cloudSql: { instances: ['acme-prod:europe-west1:main-db'] }, gcpServiceAccount: GSA })).toEqual([
      'services[0].cloudSql: makes the Cloud SQL Auth Proxy listen on 9801 (its health checks), which the app already uses; ' +
        'the containers of a pod share one network',
    ]);
    expect(problems({ port: 5433, cloudSql: { instances: ['acme-prod:europe-west1:a', 'acme-prod:europe-west1:b'] }, gcpServiceAccount: GSA })[0]).toMatch(
      /listen on 5433 \(instance acme-prod:europe-west1:b\)/,
    );
    expect(problems({ sidecars: [{ ...SHIPPER, port: 8000 }] })).toEqual([
      'services[0].sidecars[0].port: is already used by the app; the containers of a pod share one network',
    ]);
    expect(
      problems({
        sidecars: [
          { ...SHIPPER, port: 9100 },
          { ...SHIPPER, name: 'b', port: 9100 },
        ],
      })[0],
    ).toMatch(/sidecars\[1\]\.port: is already used by sidecar "log-shipper"/);
  });

  test('cloud-sql-proxy is reserved when cloudSql is set, free otherwise', () => {
    const named = { ...SHIPPER, name: 'cloud-sql-proxy' };
    expect(problems({ sidecars: [named], cloudSql: { instances: ['acme-prod:europe-west1:db'] }, gcpServiceAccount: GSA })[0]).toMatch(
      /sidecars\[0\]\.name: is the name of the Cloud SQL Auth Proxy/,
    );
    expect(problems({ sidecars: [named] })).toEqual([]);
  });

  test("sidecar env follows the service's env rules, and a credential is never echoed", () => {
    const found = problems({
      sidecars: [{ ...SHIPPER, env: { API_TOKEN: 'x', URL: 'https://u:hunter2@h/' }, secretEnv: { K: { secret: 'Bad_Name', key: 'k' } } }],
    });
    expect(found).toEqual([
      'services[0].sidecars[0].env.API_TOKEN: looks like a secret, and plain env values are written into the manifests',
      'services[0].sidecars[0].env.URL: contains a credential (a key, a token or a URL with a password), and plain env values are written into the manifests',
      'services[0].sidecars[0].secretEnv.K.secret: is not a valid Secret name (DNS-1123 subdomain)',
    ]);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  test('an environment that drops gcpServiceAccount but keeps cloudSql is refused there', () => {
    const found = problems(
      { cloudSql: { instances: ['acme-prod:europe-west1:db'] }, gcpServiceAccount: GSA },
      { production: {}, staging: { services: { api: { gcpServiceAccount: null } } } },
    );
    expect(found).toEqual([expect.stringMatching(/^environments\.staging\.services\.api\.cloudSql: needs "gcpServiceAccount"/)]);
  });

  test('an override replaces the sidecar list and is validated like the base', () => {
    expect(
      problems({ sidecars: [SHIPPER] }, { production: { services: { api: { sidecars: [{ ...SHIPPER, image: 'registry.example.com/shipper:latest' }] } } } }),
    ).toEqual([expect.stringMatching(/^environments\.production\.services\.api\.sidecars\[0\]\.image: uses ":latest"/)]);
  });
});
