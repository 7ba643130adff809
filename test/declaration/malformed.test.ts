import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { synth } from '../../src/cli/commands/synth.js';
import { captureIo, snapshotDir, tempDir } from '../helpers.js';

const BASE_SERVICE = {
  name: 'api', image: 'registry.example.com/api:1.4.2', port: 8000, host: 'api.example.com',
  health: '/healthz', memory: '512Mi', cpu: '250m', replicas: 2,
};

/** A declaration with the base service changed by `patch` (undefined deletes a field). */
function doc(patch: Record<string, unknown> = {}, extra: { services?: unknown[]; environments?: unknown } = {}): string {
  const svc: Record<string, unknown> = { ...BASE_SERVICE, ...patch };
  for (const k of Object.keys(svc)) if (svc[k] === undefined) delete svc[k];
  return stringify({ environments: extra.environments ?? { production: { namespace: 'production' } }, services: [svc, ...(extra.services ?? [])] });
}

const other = (patch: Record<string, unknown>) => ({ ...BASE_SERVICE, name: 'web', host: 'web.example.com', ...patch });

const MIGRATE = { name: 'migrate', from: 'api', command: ['python', 'manage.py', 'migrate'], memory: '256Mi', cpu: '100m', beforeDeploy: true };

/** A declaration with the base service and `jobs` (each job a patch of MIGRATE; undefined deletes a field). */
function jobsDoc(jobs: Record<string, unknown>[], environments: unknown = { production: { namespace: 'production' } }): string {
  const list = jobs.map((patch) => {
    const job: Record<string, unknown> = { ...MIGRATE, ...patch };
    for (const k of Object.keys(job)) if (job[k] === undefined) delete job[k];
    return job;
  });
  return stringify({ environments, services: [BASE_SERVICE], jobs: list });
}

const JOB_CASES: [string, string, RegExp][] = [
  ['job with neither beforeDeploy nor schedule', jobsDoc([{ beforeDeploy: undefined }]), /jobs\[0\]\.beforeDeploy \(job "migrate"\): .*neither is "schedule", so the job would never run.*Fix: add "beforeDeploy: true"/],
  ['job with both beforeDeploy and schedule', jobsDoc([{ schedule: '0 3 * * *' }]), /jobs\[0\]\.schedule \(job "migrate"\): "0 3 \* \* \*": is set on a job that also runs beforeDeploy/],
  ['job from an undeclared service', jobsDoc([{ from: 'apii' }]), /jobs\[0\]\.from \(job "migrate"\): "apii": names a service that is not declared.*did you mean "api"/],
  ['job from a service disabled in the environment', jobsDoc([{}], { production: { services: { api: { enabled: false } } } }), /jobs\[0\]\.from .*not enabled in environment "production"/],
  ['job without image or from', jobsDoc([{ from: undefined }]), /jobs\[0\]\.image \(job "migrate"\): is required \(or "from"\)/],
  ['job image :latest', jobsDoc([{ image: 'registry.example.com/tools:latest' }]), /jobs\[0\]\.image .*":latest"/],
  ['cron with 6 fields', jobsDoc([{ beforeDeploy: undefined, schedule: '0 0 3 * * *' }]), /jobs\[0\]\.schedule .*has 6 fields, a cron schedule has 5/],
  ['cron value out of range', jobsDoc([{ beforeDeploy: undefined, schedule: '0 25 * * *' }]), /hour field "25" is out of range 0-23/],
  ['unknown time zone', jobsDoc([{ beforeDeploy: undefined, schedule: '@daily', timeZone: 'Europe/Pariss' }]), /jobs\[0\]\.timeZone .*"Europe\/Pariss": is not an IANA time zone name/],
  ['timeZone on a migration', jobsDoc([{ timeZone: 'Europe/Paris' }]), /jobs\[0\]\.timeZone .*only applies to a scheduled job/],
  ['bad concurrencyPolicy', jobsDoc([{ beforeDeploy: undefined, schedule: '@daily', concurrencyPolicy: 'Never' }]), /concurrencyPolicy .*"Never": is not a concurrency policy.*Forbid, Allow, Replace/],
  ['duplicate job name', jobsDoc([{}, {}]), /jobs\[1\]\.name \(job "migrate"\): "migrate": is already used by jobs\[0\]/],
  ['job named like a service', jobsDoc([{ name: 'api' }]), /jobs\[0\]\.name .*"api": is also the name of a service/],
  ['job name not an RFC 1035 label', jobsDoc([{ name: 'DB_Migrate' }]), /jobs\[0\]\.name .*must be an RFC 1035 label/],
  ['migration name too long for its hash', jobsDoc([{ name: `m${'x'.repeat(54)}` }]), /longer than 54 characters.*9-character hash/],
  ['job without memory', jobsDoc([{ memory: undefined }]), /jobs\[0\]\.memory \(job "migrate"\): is required/],
  ['unknown job field', jobsDoc([{ retries: 3 }]), /jobs\[0\]\.retries \(job "migrate"\): unknown field "retries"/],
  ['override of an unknown job', jobsDoc([{}], { production: { jobs: { migrat: { enabled: false } } } }), /environments\.production\.jobs\.migrat .*overrides a job that is not declared.*did you mean "migrate"/],
  ['bad value in a job override', jobsDoc([{}], { staging: { jobs: { migrate: { backoffLimit: -1 } } } }), /environments\.staging\.jobs\.migrate\.backoffLimit \(job "migrate"\): -1: must be an integer between 0 and 100/],
];

// [case, declaration text, expected message]
const CASES: [string, string, RegExp][] = [
  ['YAML syntax error', 'services: [\n  - name: api\n', /platform\.yaml:\d+: \(yaml\)/],
  ['duplicate YAML key', `${doc()}\nservices: []\n`, /duplicate key/],
  ['duplicate key inside a service', doc().replace('    port: 8000\n', '    port: 8000\n    port: 8001\n'), /platform\.yaml:\d+: .*duplicate key/],
  ['root is a list', '- a\n- b\n', /must be a map, got a list/],
  ['missing environments', stringify({ services: [BASE_SERVICE] }), /environments: is required/],
  ['missing services', stringify({ environments: { production: {} } }), /services: is required/],
  ['no environments', stringify({ environments: {}, services: [BASE_SERVICE] }), /declares no environment/],
  ['no services', stringify({ environments: { production: {} }, services: [] }), /declares no service/],
  ['unknown top-level key', `${doc()}servces: []\n`, /unknown field "servces".*did you mean "services"/],
  ['unknown service key with hint', doc({ memroy: '1Gi' }), /services\[0\]\.memroy \(service "api"\): unknown field "memroy".*did you mean "memory"/],
  ['unknown service key without hint', doc({ colour: 'blue' }), /unknown field "colour".*allowed fields/],
  ['missing image', doc({ image: undefined }), /services\[0\]\.image \(service "api"\): is required/],
  ['missing memory', doc({ memory: undefined }), /services\[0\]\.memory .*is required.*512Mi/],
  ['missing cpu', doc({ cpu: undefined }), /services\[0\]\.cpu .*is required/],
  ['missing name', doc({ name: undefined }), /services\[0\]\.name: is required/],
  ['uppercase name', doc({ name: 'Api' }), /services\[0\]\.name .*"Api": must be an RFC 1035 label/],
  ['name starting with a digit', doc({ name: '1api' }), /RFC 1035 label/],
  ['name too long', doc({ name: `a${'b'.repeat(63)}` }), /no more than 63 characters/],
  ['duplicate service name', doc({}, { services: [{ ...BASE_SERVICE, host: 'x.example.com' }] }), /services\[1\]\.name .*"api": is already used by services\[0\]/],
  ['image :latest', doc({ image: 'registry.example.com/api:latest' }), /image .*":latest".*pin a version tag/],
  ['image without tag', doc({ image: 'registry.example.com/api' }), /has no tag or digest/],
  ['image with uppercase', doc({ image: 'Registry.example.com/API:1.0' }), /not a valid image reference/],
  ['image with bad digest', doc({ image: 'registry.example.com/api@sha256:abc' }), /invalid digest/],
  ['port as string', doc({ port: '8000' }), /port .*"8000": must be an integer/],
  ['port out of range', doc({ port: 70000 }), /port .*70000: must be between 1 and 65535/],
  ['port zero', doc({ port: 0 }), /must be between 1 and 65535/],
  ['host with scheme', doc({ host: 'https://api.example.com' }), /host .*RFC 1123 subdomain/],
  ['host with port', doc({ host: 'api.example.com:8080' }), /host .*RFC 1123 subdomain/],
  ['host is an IP', doc({ host: '10.1.2.3' }), /not an IP address/],
  ['host uppercase', doc({ host: 'API.example.com' }), /RFC 1123 subdomain/],
  ['host single label', doc({ host: 'localhost' }), /at least one dot/],
  ['wildcard in the middle', doc({ host: 'a.*.example.com' }), /wildcard only as the whole first label/],
  ['host without port', doc({ port: undefined }), /port .*is required for a service with a host/],
  ['paths without host', doc({ host: undefined, paths: ['/x'] }), /paths .*only apply to public services/],
  ['path without slash', doc({ paths: ['api'] }), /paths\[0\] .*must start with "\/"/],
  ['path with dot segment', doc({ paths: ['/a/../b'] }), /not a valid HTTP path/],
  ['health without slash', doc({ health: 'healthz' }), /health .*must start with "\/"/],
  ['liveness equals health', doc({ liveness: '/healthz' }), /liveness .*must differ from the readiness path/],
  ['memory in GB', doc({ memory: '1GB' }), /memory .*"1GB": is not a Kubernetes quantity.*Ki, Mi, Gi/],
  ['memory in millibytes', doc({ memory: '512m' }), /milli-bytes/],
  ['memory too small', doc({ memory: '1Ki' }), /below 4Mi/],
  ['memory as number', doc({ memory: 512 }), /memory .*512: must be a string/],
  ['memoryLimit below memory', doc({ memoryLimit: '256Mi' }), /memoryLimit .*must be at least the request \(512Mi\)/],
  ['cpu in Mi', doc({ cpu: '250Mi' }), /cpu .*not a CPU quantity/],
  ['cpuLimit below cpu', doc({ cpuLimit: '100m' }), /cpuLimit .*at least the request \(250m\)/],
  ['negative replicas', doc({ replicas: -1 }), /replicas .*-1: must be an integer between 0 and 1000/],
  ['fractional replicas', doc({ replicas: 1.5 }), /replicas .*must be an integer, got a fraction/],
  ['autoscaling max <= min', doc({ autoscaling: { min: 3, max: 3 } }), /autoscaling\.max .*must be greater than min \(3\)/],
  ['autoscaling without max', doc({ autoscaling: { min: 2 } }), /autoscaling\.max .*is required/],
  ['autoscaling cpuPercent out of range', doc({ autoscaling: { min: 2, max: 4, cpuPercent: 150 } }), /cpuPercent .*between 10 and 100/],
  ['secret-looking plain env', doc({ env: { DB_PASSWORD: 'hunter2' } }), /env\.DB_PASSWORD .*looks like a secret.*secretEnv/],
  ['credential in a plain env value', doc({ env: { DATABASE_URL: 'postgres://app:s3cr3t@db:5432/app' } }), /env\.DATABASE_URL .*"\(value hidden\)": contains a credential/],
  ['invalid env name', doc({ env: { '1X': 'a' } }), /not a valid environment variable name/],
  ['env value not a string', doc({ env: { WORKERS: 3 } }), /env\.WORKERS .*must be a string/],
  ['secretEnv missing key', doc({ secretEnv: { DB: { secret: 'db' } } }), /secretEnv\.DB\.key .*is required/],
  ['secretEnv bad secret name', doc({ secretEnv: { DB: { secret: 'DB_Secret', key: 'url' } } }), /secretEnv\.DB\.secret .*not a valid Secret name/],
  ['env in both env and secretEnv', doc({ env: { DB: 'x' }, secretEnv: { DB: { secret: 'db', key: 'url' } } }), /is also set in env/],
  ['drainSeconds too small', doc({ drainSeconds: 1 }), /drainSeconds .*between 2 and 3600/],
  ['bad gcpServiceAccount', doc({ gcpServiceAccount: 'api@example.com' }), /not a Google service account email/],
  ['duplicate host+path', doc({}, { services: [other({ host: 'api.example.com' })] }), /routes host\+path "api\.example\.com\/" that service "api" routes too/],
  ['duplicate host+path via extra hosts', doc({ hosts: ['web.example.com'] }, { services: [other({})] }), /host\+path "web\.example\.com\/"/],
  ['reserved namespace', doc({}, { environments: { production: { namespace: 'kube-system' } } }), /namespace: .*reserved Kubernetes namespace/],
  ['invalid namespace', doc({}, { environments: { production: { namespace: 'Prod_1' } } }), /namespace: .*RFC 1123 label/],
  ['two environments share a namespace', doc({}, { environments: { production: { namespace: 'shared' }, staging: { namespace: 'shared' } } }), /also the namespace of environment "production"/],
  ['override of an unknown service', doc({}, { environments: { production: { services: { apii: { replicas: 1 } } } } }), /environments\.production\.services\.apii .*not declared.*did you mean "api"/],
  ['bad value in an override', doc({}, { environments: { staging: { services: { api: { memory: '1GB' } } } } }), /environments\.staging\.services\.api\.memory .*not a Kubernetes quantity/],
  ['override of name is unknown', doc({}, { environments: { staging: { services: { api: { name: 'x' } } } } }), /unknown field "name"/],
  ['override makes a duplicate route', doc({}, { services: [other({})], environments: { staging: { services: { web: { host: 'api.example.com' } } } } }), /environments\.staging .*routes host\+path/],
  ['wildcard host with managed TLS', doc({ host: '*.example.com' }, { environments: { production: { tls: { managed: true } } } }), /wildcard host.*preSharedCerts/],
  ['TLS without any public host', doc({ host: undefined }, { environments: { production: { tls: {} } } }), /tls: .*no service in this environment has a host/],
  ['TLS with no certificate', doc({}, { environments: { production: { tls: { managed: false } } } }), /declares TLS with no certificate/],
  ['bad static IP name', doc({}, { environments: { production: { staticIp: 'My IP' } } }), /staticIp: .*not a valid Google Cloud resource name/],
  ['too many certificates', doc({}, { environments: { production: { tls: { preSharedCerts: Array.from({ length: 15 }, (_, i) => `cert-${i}`) } } } }), /needs 16 certificates, over the 15/],
  ['URL map over 64 KB', stringify({
    environments: { production: {} },
    services: Array.from({ length: 700 }, (_, i) => ({ ...BASE_SERVICE, name: `s${i}`, host: `service-number-${i}.example.com` })),
  }), /estimated \d+ bytes of URL map, over the classic load balancer's 64 KB limit/],
  ...JOB_CASES,
];

describe('malformed declarations', () => {
  // GIVEN an output folder holding a previous rendering and a hand-written file
  const root = tempDir();
  const out = join(root, 'out');
  writeFileSync(join(root, 'good.yaml'), doc());
  beforeAll(async () => {
    expect(await synth(['--file', 'good.yaml', '--out', 'out', '--quiet'], captureIo(root))).toBe(0);
    writeFileSync(join(out, 'production', 'notes.txt'), 'hand-written');
  });

  test('there are at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  test.each(CASES)('%s', async (_name, text, expected) => {
    const before = snapshotDir(out);
    writeFileSync(join(root, 'platform.yaml'), text);
    const io = captureIo(root);
    // WHEN synth runs on the malformed declaration
    const code = await synth(['--file', 'platform.yaml', '--out', 'out'], io);
    // THEN it exits non-zero, names the file and the problem, and leaves the output untouched
    expect(code).toBe(2);
    expect(io.err()).toMatch(/platform\.yaml/);
    expect(io.err()).toMatch(expected);
    expect(io.err()).toMatch(/Fix: /);
    expect(io.out()).toBe('');
    expect(snapshotDir(out)).toEqual(before);
  });
});
