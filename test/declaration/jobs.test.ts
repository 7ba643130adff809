import { checkCron, checkTimeZone } from '../../src/declaration/cron.js';
import { DeclarationError } from '../../src/declaration/errors.js';
import { INHERITED_KEYS, effectiveJobs, resolvedJobs } from '../../src/declaration/jobs.js';
import type { JobDeclaration, PlatformDeclaration } from '../../src/declaration/types.js';
import { validatePlatform } from '../../src/declaration/validate.js';
import { service } from '../helpers.js';

const WEB = service({
  name: 'web',
  image: 'registry.example.com/web:1.0.0',
  env: { DJANGO_SETTINGS_MODULE: 'app.settings', LOG_LEVEL: 'info' },
  secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } },
  gcpServiceAccount: 'web-sa@my-project.iam.gserviceaccount.com',
});
const MIGRATE: JobDeclaration = { name: 'migrate', from: 'web', command: ['python', 'manage.py', 'migrate'], memory: '256Mi', cpu: '100m', beforeDeploy: true };

function platform(jobs: JobDeclaration[], environments: PlatformDeclaration['environments'] = { production: {} }): PlatformDeclaration {
  return { environments, services: [WEB], jobs };
}

function problems(p: unknown): string {
  try {
    validatePlatform(structuredClone(p));
  } catch (e) {
    if (e instanceof DeclarationError) return e.message;
    throw e;
  }
  return '';
}

describe('jobs: inheritance from a service', () => {
  test("`from` gives the service's image, env, secretEnv and Google service account; own env entries merge on top", () => {
    // GIVEN a migration from web that sets one env entry of its own
    const p = platform([{ ...MIGRATE, env: { LOG_LEVEL: 'debug' } }]);
    // WHEN resolved for production
    const [job] = resolvedJobs(validatePlatform(p), 'production');
    // THEN it runs web's image and identity, with web's env and its own LOG_LEVEL
    expect(job).toMatchObject({ image: 'registry.example.com/web:1.0.0', gcpServiceAccount: WEB.gcpServiceAccount });
    expect(job.env).toEqual({ DJANGO_SETTINGS_MODULE: 'app.settings', LOG_LEVEL: 'debug' });
    expect(job.secretEnv).toEqual(WEB.secretEnv);
  });

  test("a job's own image wins over the inherited one", () => {
    const [job] = resolvedJobs(validatePlatform(platform([{ ...MIGRATE, image: 'registry.example.com/tools:3.0.0' }])), 'production');
    expect(job.image).toBe('registry.example.com/tools:3.0.0');
  });

  test('inheritance is generic over a list of keys that includes the fields services are growing (cloudSql, mounts)', () => {
    // GIVEN a service object carrying keys berth's services gain on other branches
    expect(INHERITED_KEYS).toEqual(expect.arrayContaining(['image', 'env', 'secretEnv', 'gcpServiceAccount', 'cloudSql', 'mounts']));
    const extras = { cloudSql: { instances: ['p:r:i'] }, mounts: [{ path: '/data', emptyDir: '1Gi' }] };
    const p = { environments: { production: {} }, services: [{ ...WEB, ...extras }], jobs: [MIGRATE] } as unknown as PlatformDeclaration;
    // WHEN resolved (validation is not asked here: those fields are not part of this branch's schema)
    const [e] = effectiveJobs(p, 'production');
    const job = resolvedJobs(p, 'production')[0] as unknown as Record<string, unknown>;
    // THEN the job gets them as they are
    expect(e.from?.name).toBe('web');
    expect(job.cloudSql).toEqual(extras.cloudSql);
    expect(job.mounts).toEqual(extras.mounts);
  });

  test('the service as it runs in the environment (its override) is what the job inherits', () => {
    const p = platform([MIGRATE], {
      production: {},
      staging: { services: { web: { image: 'registry.example.com/web:1.1.0-rc1', host: 'staging.example.com' } } },
    });
    expect(resolvedJobs(validatePlatform(p), 'staging')[0].image).toBe('registry.example.com/web:1.1.0-rc1');
    expect(resolvedJobs(p, 'production')[0].image).toBe('registry.example.com/web:1.0.0');
  });
});

describe('jobs: environment overrides', () => {
  test('a field is overridden, null drops it, enabled: false leaves the job out', () => {
    // GIVEN a nightly job overridden in staging and disabled in dev
    const nightly: JobDeclaration = {
      name: 'nightly',
      image: 'registry.example.com/report:2.0.0',
      schedule: '0 3 * * *',
      timeZone: 'Europe/Paris',
      memory: '128Mi',
      cpu: '50m',
    };
    const p = validatePlatform(
      platform([nightly], {
        production: {},
        staging: { jobs: { nightly: { schedule: '0 4 * * 1-5', timeZone: null } }, services: { web: { host: 'staging.example.com' } } },
        dev: { jobs: { nightly: { enabled: false } }, services: { web: { host: 'dev.example.com' } } },
      }),
    );
    // THEN each environment runs its own version
    expect(resolvedJobs(p, 'production')[0]).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Europe/Paris' });
    const staging = resolvedJobs(p, 'staging')[0];
    expect(staging.schedule).toBe('0 4 * * 1-5');
    expect(staging.timeZone).toBeUndefined();
    expect(resolvedJobs(p, 'dev')).toEqual([]);
    expect(effectiveJobs(p, 'staging')[0].overridden).toBe(true);
  });

  test('jobs are optional: a platform without them has none', () => {
    expect(resolvedJobs(validatePlatform({ environments: { production: {} }, services: [WEB] }), 'production')).toEqual([]);
  });

  test('a job whose service is disabled in an environment is valid when the job is disabled there too', () => {
    const p = platform([MIGRATE], { production: {}, dev: { services: { web: { enabled: false } }, jobs: { migrate: { enabled: false } } } });
    expect(problems(p)).toBe('');
  });
});

describe('jobs: validation', () => {
  test("a service disabled in one environment cannot be a job's `from` there", () => {
    const p = platform([MIGRATE], { production: {}, dev: { services: { web: { enabled: false } } } });
    expect(problems(p)).toMatch(/jobs\[0\]\.from \(job "migrate"\): "web": names service "web", which is not enabled in environment "dev"\. Fix: /);
  });

  test('an override can turn a migration into an invalid job (both kinds): reported at the override', () => {
    const p = platform([MIGRATE], { production: { jobs: { migrate: { schedule: '@daily' } } } });
    expect(problems(p)).toMatch(/environments\.production\.jobs\.migrate\.schedule \(job "migrate"\): "@daily": is set on a job that also runs beforeDeploy/);
  });

  test("env rules are the services' (secret-looking names are refused), reported for the job", () => {
    expect(problems(platform([{ ...MIGRATE, env: { API_TOKEN: 'x' } }]))).toMatch(/jobs\[0\]\.env\.API_TOKEN \(job "migrate"\): .*looks like a secret/);
  });

  test('every problem of several jobs is reported at once', () => {
    const text = problems(
      platform([
        { ...MIGRATE, name: 'Migrate' },
        { ...MIGRATE, name: 'web', timeoutSeconds: 0 },
      ]),
    );
    expect(text).toMatch(/jobs\[0\]\.name .*RFC 1035 label/);
    expect(text).toMatch(/jobs\[1\]\.name .*is also the name of a service/);
    expect(text).toMatch(/jobs\[1\]\.timeoutSeconds .*between 1 and 604800/);
  });
});

describe('cron schedules and time zones', () => {
  test.each([
    '* * * * *',
    '*/15 * * * *',
    '0 3 * * 1-5',
    '30 2 1,15 * *',
    '0 0 1 JAN *',
    '0 9 * * MON-FRI',
    '0 0 ? * *',
    '5 4 * 6-8/2 SUN',
    '@hourly',
    '@daily',
    '@weekly',
    '@monthly',
    '@yearly',
    '@annually',
    '@midnight',
  ])('accepts %s', (s) => {
    expect(checkCron(s)).toBeUndefined();
  });

  test.each([
    ['0 3 * *', /has 4 fields/],
    ['0 3 * * * *', /has 6 fields/],
    ['60 * * * *', /minute field "60" is out of range 0-59/],
    ['0 24 * * *', /hour field "24" is out of range/],
    ['0 0 0 * *', /day of month field "0" is out of range 1-31/],
    ['0 0 * 13 *', /month field "13"/],
    ['0 0 * * 7', /day of week field "7" is out of range 0-6/],
    ['*/0 * * * *', /invalid step/],
    ['0 5-2 * * *', /ends before it starts/],
    ['0 0 * FOO *', /must hold numbers 1-12 or names JAN-DEC/],
    ['@every 5m', /not a known cron macro/],
    ['TZ=Europe/Paris 0 3 * * *', /sets a time zone inside the schedule/],
    ['a,b * * * *', /must hold numbers/],
  ])('rejects %s', (s, message) => {
    const res = checkCron(s);
    expect(res?.[0]).toMatch(message);
    expect(res?.[1]).toBeTruthy();
  });

  test('time zones: IANA names only, spelt as in the database', () => {
    for (const zone of ['Europe/Paris', 'America/New_York', 'Etc/UTC', 'UTC', 'Asia/Kolkata']) expect(checkTimeZone(zone)).toBeUndefined();
    expect(checkTimeZone('Mars/Olympus')?.[0]).toMatch(/not an IANA time zone name/);
    expect(checkTimeZone('+01:00')?.[0]).toMatch(/not an IANA time zone name/);
    expect(checkTimeZone('europe/paris')).toEqual(['is not spelt as in the IANA database (names are case-sensitive)', 'write "Europe/Paris"']);
  });
});
