import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { synth } from '../../src/cli/commands/synth.js';
import { captureIo, service, snapshotDir, tempDir } from '../helpers.js';

const BASE_SERVICE = service();

/** A declaration with the base service changed by `patch` (undefined deletes a field). */
function doc(patch: Record<string, unknown> = {}, extra: { services?: unknown[]; environments?: unknown } = {}): string {
  const svc: Record<string, unknown> = { ...BASE_SERVICE, ...patch };
  for (const k of Object.keys(svc)) if (svc[k] === undefined) delete svc[k];
  return stringify({ environments: extra.environments ?? { production: { namespace: 'production' } }, services: [svc, ...(extra.services ?? [])] });
}

const SIDECAR = { name: 'log-shipper', image: 'registry.example.com/shipper:2.1.0', memory: '64Mi' };
const INSTANCE = 'acme-prod:europe-west1:main-db';
const GSA = 'api-runner@acme-prod.iam.gserviceaccount.com';
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
  [
    'job with neither beforeDeploy nor schedule',
    jobsDoc([{ beforeDeploy: undefined }]),
    /jobs\[0\]\.beforeDeploy \(job "migrate"\): .*neither is "schedule", so the job would never run.*Fix: add "beforeDeploy: true"/,
  ],
  [
    'job with both beforeDeploy and schedule',
    jobsDoc([{ schedule: '0 3 * * *' }]),
    /jobs\[0\]\.schedule \(job "migrate"\): "0 3 \* \* \*": is set on a job that also runs beforeDeploy/,
  ],
  [
    'job from an undeclared service',
    jobsDoc([{ from: 'apii' }]),
    /jobs\[0\]\.from \(job "migrate"\): "apii": names a service that is not declared.*did you mean "api"/,
  ],
  [
    'job from a service disabled in the environment',
    jobsDoc([{}], { production: { services: { api: { enabled: false } } } }),
    /jobs\[0\]\.from .*not enabled in environment "production"/,
  ],
  ['job without image or from', jobsDoc([{ from: undefined }]), /jobs\[0\]\.image \(job "migrate"\): is required \(or "from"\)/],
  ['job image :latest', jobsDoc([{ image: 'registry.example.com/tools:latest' }]), /jobs\[0\]\.image .*":latest"/],
  ['cron with 6 fields', jobsDoc([{ beforeDeploy: undefined, schedule: '0 0 3 * * *' }]), /jobs\[0\]\.schedule .*has 6 fields, a cron schedule has 5/],
  ['cron value out of range', jobsDoc([{ beforeDeploy: undefined, schedule: '0 25 * * *' }]), /hour field "25" is out of range 0-23/],
  [
    'unknown time zone',
    jobsDoc([{ beforeDeploy: undefined, schedule: '@daily', timeZone: 'Europe/Pariss' }]),
    /jobs\[0\]\.timeZone .*"Europe\/Pariss": is not an IANA time zone name/,
  ],
  ['timeZone on a migration', jobsDoc([{ timeZone: 'Europe/Paris' }]), /jobs\[0\]\.timeZone .*only applies to a scheduled job/],
  [
    'bad concurrencyPolicy',
    jobsDoc([{ beforeDeploy: undefined, schedule: '@daily', concurrencyPolicy: 'Never' }]),
    /concurrencyPolicy .*"Never": is not a concurrency policy.*Forbid, Allow, Replace/,
  ],
  ['duplicate job name', jobsDoc([{}, {}]), /jobs\[1\]\.name \(job "migrate"\): "migrate": is already used by jobs\[0\]/],
  ['job named like a service', jobsDoc([{ name: 'api' }]), /jobs\[0\]\.name .*"api": is also the name of a service/],
  ['job name not an RFC 1035 label', jobsDoc([{ name: 'DB_Migrate' }]), /jobs\[0\]\.name .*must be an RFC 1035 label/],
  ['migration name too long for its hash', jobsDoc([{ name: `m${'x'.repeat(54)}` }]), /longer than 54 characters.*9-character hash/],
  ['job without memory', jobsDoc([{ memory: undefined }]), /jobs\[0\]\.memory \(job "migrate"\): is required/],
  ['unknown job field', jobsDoc([{ retries: 3 }]), /jobs\[0\]\.retries \(job "migrate"\): unknown field "retries"/],
  [
    'override of an unknown job',
    jobsDoc([{}], { production: { jobs: { migrat: { enabled: false } } } }),
    /environments\.production\.jobs\.migrat .*overrides a job that is not declared.*did you mean "migrate"/,
  ],
  [
    'bad value in a job override',
    jobsDoc([{}], { staging: { jobs: { migrate: { backoffLimit: -1 } } } }),
    /environments\.staging\.jobs\.migrate\.backoffLimit \(job "migrate"\): -1: must be an integer between 0 and 100/,
  ],
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
  [
    'duplicate service name',
    doc({}, { services: [{ ...BASE_SERVICE, host: 'x.example.com' }] }),
    /services\[1\]\.name .*"api": is already used by services\[0\]/,
  ],
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
  [
    'credential in a plain env value',
    doc({ env: { DATABASE_URL: 'postgres://app:s3cr3t@db:5432/app' } }),
    /env\.DATABASE_URL .*"\(value hidden\)": contains a credential/,
  ],
  ['invalid env name', doc({ env: { '1X': 'a' } }), /not a valid environment variable name/],
  ['env value not a string', doc({ env: { WORKERS: 3 } }), /env\.WORKERS .*must be a string/],
  ['secretEnv missing key', doc({ secretEnv: { DB: { secret: 'db' } } }), /secretEnv\.DB\.key .*is required/],
  ['secretEnv bad secret name', doc({ secretEnv: { DB: { secret: 'DB_Secret', key: 'url' } } }), /secretEnv\.DB\.secret .*not a valid Secret name/],
  ['env in both env and secretEnv', doc({ env: { DB: 'x' }, secretEnv: { DB: { secret: 'db', key: 'url' } } }), /is also set in env/],
  ['drainSeconds too small', doc({ drainSeconds: 1 }), /drainSeconds .*between 2 and 3600/],
  ['bad gcpServiceAccount', doc({ gcpServiceAccount: 'api@example.com' }), /not a Google service account email/],
  [
    'duplicate sidecar names',
    doc({ sidecars: [SIDECAR, SIDECAR] }),
    /services\[0\]\.sidecars\[1\]\.name .*"log-shipper": is already the name of sidecars\[0\]/,
  ],
  [
    'sidecar named like the service',
    doc({ sidecars: [{ ...SIDECAR, name: 'api' }] }),
    /sidecars\[0\]\.name .*"api": is the name of the service, which names the app container/,
  ],
  [
    'sidecar name not an RFC 1123 label',
    doc({ sidecars: [{ ...SIDECAR, name: 'Log_Shipper' }] }),
    /sidecars\[0\]\.name .*"Log_Shipper": must be an RFC 1123 label/,
  ],
  [
    'sidecar image :latest',
    doc({ sidecars: [{ ...SIDECAR, image: 'registry.example.com/shipper:latest' }] }),
    /sidecars\[0\]\.image .*":latest".*pin a version tag/,
  ],
  ['sidecar image without tag', doc({ sidecars: [{ ...SIDECAR, image: 'fluent/fluent-bit' }] }), /sidecars\[0\]\.image .*has no tag or digest/],
  ['sidecar without memory', doc({ sidecars: [{ name: 'log-shipper', image: SIDECAR.image }] }), /sidecars\[0\]\.memory .*is required.*512Mi/],
  ['sidecar memory in MB', doc({ sidecars: [{ ...SIDECAR, memory: '64MB' }] }), /sidecars\[0\]\.memory .*"64MB": is not a Kubernetes quantity/],
  ['sidecar port = the app port', doc({ sidecars: [{ ...SIDECAR, port: 8000 }] }), /sidecars\[0\]\.port .*8000: is already used by the app/],
  ['sidecar unknown field', doc({ sidecars: [{ ...SIDECAR, health: '/x' }] }), /sidecars\[0\]\.health .*unknown field "health"/],
  ['secret-looking sidecar env', doc({ sidecars: [{ ...SIDECAR, env: { SHIPPER_TOKEN: 'abc' } }] }), /sidecars\[0\]\.env\.SHIPPER_TOKEN .*looks like a secret/],
  [
    'cloudSql without gcpServiceAccount',
    doc({ cloudSql: { instances: [INSTANCE] } }),
    /cloudSql .*needs "gcpServiceAccount".*Workload Identity.*Fix: add gcpServiceAccount: .*roles\/cloudsql\.client/,
  ],
  [
    'cloudSql bad instance name',
    doc({ cloudSql: { instances: ['main-db'] }, gcpServiceAccount: GSA }),
    /cloudSql\.instances\[0\] .*"main-db": is not an instance connection name.*project:region:instance/,
  ],
  [
    'cloudSql instance with a port',
    doc({ cloudSql: { instances: [`${INSTANCE}?port=5432`] }, gcpServiceAccount: GSA }),
    /cloudSql\.instances\[0\] .*berth sets the proxy's ports/,
  ],
  ['cloudSql without instances', doc({ cloudSql: { privateIp: true }, gcpServiceAccount: GSA }), /cloudSql\.instances .*is required/],
  ['cloudSql empty instances', doc({ cloudSql: { instances: [] }, gcpServiceAccount: GSA }), /cloudSql\.instances .*lists no instance/],
  [
    'cloudSql privateIp not a boolean',
    doc({ cloudSql: { instances: [INSTANCE], privateIp: 'yes' }, gcpServiceAccount: GSA }),
    /cloudSql\.privateIp .*"yes": is read differently by YAML 1\.1 tools.*Fix: write true or false/,
  ],
  [
    'cloudSql proxy port = the app port',
    doc({ port: 5432, cloudSql: { instances: [INSTANCE] }, gcpServiceAccount: GSA }),
    /cloudSql .*listen on 5432 .*which the app already uses.*Fix: move the app to another port/,
  ],
  ['duplicate host+path', doc({}, { services: [other({ host: 'api.example.com' })] }), /routes "api\.example\.com\/", which service "api" routes too/],
  [
    'duplicate host+path via extra hosts',
    doc({ hosts: ['web.example.com'] }, { services: [other({})] }),
    /routes "web\.example\.com\/", which service "api" routes too/,
  ],
  ['reserved namespace', doc({}, { environments: { production: { namespace: 'kube-system' } } }), /namespace: .*reserved Kubernetes namespace/],
  ['invalid namespace', doc({}, { environments: { production: { namespace: 'Prod_1' } } }), /namespace: .*RFC 1123 label/],
  [
    'two environments share a namespace',
    doc({}, { environments: { production: { namespace: 'shared' }, staging: { namespace: 'shared' } } }),
    /also the namespace of environment "production"/,
  ],
  [
    'override of an unknown service',
    doc({}, { environments: { production: { services: { apii: { replicas: 1 } } } } }),
    /environments\.production\.services\.apii .*not declared.*did you mean "api"/,
  ],
  [
    'bad value in an override',
    doc({}, { environments: { staging: { services: { api: { memory: '1GB' } } } } }),
    /environments\.staging\.services\.api\.memory .*not a Kubernetes quantity/,
  ],
  ['override of name is unknown', doc({}, { environments: { staging: { services: { api: { name: 'x' } } } } }), /unknown field "name"/],
  [
    'override makes a duplicate route',
    doc({}, { services: [other({})], environments: { staging: { services: { web: { host: 'api.example.com' } } } } }),
    /environments\.staging .*routes "api\.example\.com\/", which service "api" routes too/,
  ],
  [
    'wildcard host with managed TLS',
    doc({ host: '*.example.com' }, { environments: { production: { tls: { managed: true } } } }),
    /wildcard host.*preSharedCerts/,
  ],
  ['TLS without any public host', doc({ host: undefined }, { environments: { production: { tls: {} } } }), /tls: .*no service in this environment has a host/],
  ['TLS with no certificate', doc({}, { environments: { production: { tls: { managed: false } } } }), /declares TLS with no certificate/],
  ['bad static IP name', doc({}, { environments: { production: { staticIp: 'My IP' } } }), /staticIp: .*not a valid Google Cloud resource name/],
  [
    'too many certificates',
    doc({}, { environments: { production: { tls: { preSharedCerts: Array.from({ length: 15 }, (_, i) => `cert-${i}`) } } } }),
    /needs 16 certificates, over the 15/,
  ],
  // Pod-level fields (issue 8)
  [
    'replicas next to autoscaling',
    doc({ autoscaling: { min: 2, max: 4 } }),
    /services\[0\]\.replicas .*2: cannot be combined with autoscaling.*Fix: remove replicas/,
  ],
  [
    'override replicas next to inherited autoscaling',
    doc({ replicas: undefined, autoscaling: { min: 2, max: 4 } }, { environments: { production: {}, staging: { services: { api: { replicas: 1 } } } } }),
    /environments\.staging\.services\.api\.replicas .*inherits autoscaling.*Fix: add "autoscaling: null"/,
  ],
  [
    'singleton with autoscaling',
    doc({ singleton: true, replicas: undefined, autoscaling: { min: 2, max: 4 } }),
    /autoscaling .*cannot be combined with singleton/,
  ],
  ['singleton with replicas 3', doc({ singleton: true, replicas: 3 }), /replicas .*3: must be 0 or 1 for a singleton/],
  [
    'unknown $(VAR) reference',
    doc({ env: { URL: 'http://$(DB_HOST):5432' } }),
    /env\.URL .*"\(value hidden\)": refers to "DB_HOST", which is not an env or secretEnv entry.*\$\$\(DB_HOST\)/,
  ],
  ['env reference cycle', doc({ env: { A: '$(B)', B: '$(A)' } }), /env\.B .*refers to "A", which refers back to "B"/],
  [
    'literal password next to a reference',
    doc({ env: { DATABASE_URL: 'postgres://app:pw$(DB_PASSWORD)@db/app' }, secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } }),
    /env\.DATABASE_URL .*contains a credential/,
  ],
  [
    'URL password from a plain variable',
    doc({ env: { DB_LOGIN: 'x', DATABASE_URL: 'postgres://app:$(DB_LOGIN)@db/app' } }),
    /builds a URL password from the plain variable "DB_LOGIN".*move DB_LOGIN to secretEnv/,
  ],
  [
    'override deletes an undeclared env key',
    doc({ env: { LOG_LEVEL: 'info' } }, { environments: { production: {}, staging: { services: { api: { env: { LOG_LEVL: null } } } } } }),
    /env\.LOG_LEVL .*deletes a variable the service does not declare.*did you mean "LOG_LEVEL"/,
  ],
  ['null env value in a base service', doc({ env: { LOG_LEVEL: null } }), /env\.LOG_LEVEL .*must be a string, got nothing/],
  [
    'mount with two sources',
    doc({ mounts: [{ path: '/data', emptyDir: '1Gi', configMap: 'cfg' }] }),
    /mounts\[0\] .*needs exactly one of emptyDir, secret or configMap \(got emptyDir and configMap\)/,
  ],
  ['mount without a source', doc({ mounts: [{ path: '/data' }] }), /mounts\[0\] .*\(got none\)/],
  ['mount at /tmp', doc({ mounts: [{ path: '/tmp', emptyDir: '1Gi' }] }), /mounts\[0\]\.path .*"\/tmp": is already an emptyDir berth mounts/],
  ['relative mount path', doc({ mounts: [{ path: 'data', emptyDir: '1Gi' }] }), /mounts\[0\]\.path .*must be an absolute path/],
  ['mount path with ..', doc({ mounts: [{ path: '/data/../etc', emptyDir: '1Gi' }] }), /not a normalized absolute path/],
  [
    'duplicate mount path',
    doc({
      mounts: [
        { path: '/etc/app', configMap: 'a' },
        { path: '/etc/app', secret: 'b' },
      ],
    }),
    /mounts\[1\]\.path .*is also mounted by mounts\[0\]/,
  ],
  ['emptyDir size in GB', doc({ mounts: [{ path: '/cache', emptyDir: '1GB' }] }), /mounts\[0\]\.emptyDir .*"1GB": is not a size/],
  ['invalid ConfigMap name', doc({ mounts: [{ path: '/etc/app', configMap: 'App_Config' }] }), /mounts\[0\]\.configMap .*not a valid ConfigMap name/],
  ['storage without size', doc({ storage: { path: '/data' } }), /storage\.size .*is required/],
  [
    'storage at the same path as a mount',
    doc({ storage: { path: '/data', size: '10Gi' }, mounts: [{ path: '/data', emptyDir: '1Gi' }] }),
    /mounts\[0\]\.path .*is also mounted by storage\.path/,
  ],
  ['storage class invalid', doc({ storage: { path: '/data', size: '10Gi', class: 'SSD' } }), /storage\.class .*not a valid StorageClass name/],
  ['storage on a long service name', doc({ name: `a${'b'.repeat(55)}`, storage: { path: '/data', size: '10Gi' } }), /storage .*at most 52 characters/],
  ['runAsUser 0', doc({ runAsUser: 0 }), /runAsUser .*0: must not be 0 or negative.*non-root/],
  ['negative fsGroup', doc({ fsGroup: -5 }), /fsGroup .*-5: must not be 0 or negative/],
  [
    'reserved pod annotation',
    doc({ podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/api': 'unconfined' } }),
    /podAnnotations\..* is reserved/,
  ],
  ['invalid pod annotation key', doc({ podAnnotations: { 'my annotation': 'x' } }), /podAnnotations\.my annotation .*not a valid annotation key/],
  [
    'nodeSelector value not a label value',
    doc({ nodeSelector: { 'cloud.google.com/gke-spot': 'yes please' } }),
    /nodeSelector\.cloud\.google\.com\/gke-spot .*not a valid label value/,
  ],
  [
    'nodeSelector value as boolean',
    doc({ nodeSelector: { 'cloud.google.com/gke-spot': true } }),
    /nodeSelector\.cloud\.google\.com\/gke-spot .*must be a string/,
  ],
  [
    'toleration with a bad operator',
    doc({ tolerations: [{ key: 'cloud.google.com/gke-spot', operator: 'equals' }] }),
    /tolerations\[0\]\.operator .*must be one of Equal, Exists/,
  ],
  [
    'toleration Exists with a value',
    doc({ tolerations: [{ key: 'dedicated', operator: 'Exists', value: 'db' }] }),
    /tolerations\[0\]\.value .*must be empty with operator Exists/,
  ],
  ['toleration without key', doc({ tolerations: [{ effect: 'NoSchedule' }] }), /tolerations\[0\]\.key .*is required/],
  ['singleton as a string', doc({ singleton: 'maybe' }), /singleton .*must be true or false/],
  [
    'singleton as a YAML 1.1 boolean word',
    doc({ singleton: 'yes' }),
    /services\[0\]\.singleton \(service "api"\): "yes": is read differently by YAML 1\.1 tools: text in YAML 1\.2, which berth reads, but true in YAML 1\.1\. Fix: write true or false/,
  ],
  [
    'port in YAML 1.1 binary',
    doc({ port: '0b1111101000000' }),
    /:\d+: services\[0\]\.port \(service "api"\): "0b1111101000000": .*but the number 8000 in YAML 1\.1\. Fix: quote it .* or write a plain decimal/,
  ],
  [
    'URL map over 64 KB',
    stringify({
      environments: { production: {} },
      services: Array.from({ length: 700 }, (_, i) => ({ ...BASE_SERVICE, name: `s${i}`, host: `service-number-${i}.example.com` })),
    }),
    /estimated \d+ bytes of URL map, over the classic load balancer's 64 KB limit/,
  ],
  // protocols, health checks and ports
  ['unknown protocol', doc({ protocol: 'websocket' }), /protocol .*"websocket": must be one of http, http2, grpc, tcp/],
  [
    'public tcp service',
    doc({ protocol: 'tcp', health: undefined }),
    /host .*is set on a tcp service.*only carries HTTP, HTTP\/2 and gRPC.*Fix: remove "host"/,
  ],
  [
    'tcp service made public by an override',
    doc({ protocol: 'tcp', host: undefined, health: undefined }, { environments: { production: { services: { api: { host: 'api.example.com' } } } } }),
    /environments\.production\.services\.api\.host .*tcp service/,
  ],
  [
    'public http2 without backendTls',
    doc({ protocol: 'http2' }),
    /backendTls .*must be true for a public http2 service: GKE's load balancer speaks HTTP\/2 to backends only over TLS \("HTTP\/2 with SSL".*Fix: serve TLS on port 8000/,
  ],
  [
    'public grpc without backendTls',
    doc({ protocol: 'grpc', health: { path: '/healthz' } }),
    /backendTls .*public grpc service.*kubelet's gRPC probe cannot speak TLS/,
  ],
  [
    'public grpc over TLS without a health path',
    doc({ protocol: 'grpc', backendTls: true, health: undefined }),
    /health .*is omitted, so a grpc service gets a gRPC check, but the load balancer health-checks a public service with an HTTP request to a path/,
  ],
  [
    'internal gRPC check on a TLS port',
    doc({ protocol: 'grpc', backendTls: true, host: undefined, health: undefined }),
    /health .*gRPC check on the TLS port \(backendTls\).*cannot speak TLS/,
  ],
  [
    'backendTls on a tcp service',
    doc({ protocol: 'tcp', backendTls: true, host: undefined, health: undefined }),
    /backendTls .*only applies to http, http2 and grpc services/,
  ],
  [
    'http service without health',
    doc({ health: undefined }),
    /health .*is required for an http service with a port: berth does not guess a path.*Fix: declare the path/,
  ],
  ['health is a list', doc({ health: ['/healthz'] }), /health .*must be a string or a map, got a list.*\{ grpc: true \}/],
  ['two health kinds', doc({ health: { path: '/healthz', tcp: true } }), /health .*declares path and tcp, but a check has exactly one kind/],
  ['health object without a kind', doc({ health: { periodSeconds: 10 } }), /health .*declares no check.*exactly one of path, grpc or tcp/],
  ['unknown field in a health object', doc({ health: { path: '/healthz', timeout: 3 } }), /health\.timeout .*unknown field "timeout"/],
  ['grpc: false', doc({ protocol: 'grpc', host: undefined, health: { grpc: false } }), /health\.grpc .*false: declares no check/],
  ['bad gRPC service name', doc({ protocol: 'grpc', host: undefined, health: { grpc: 'cart service' } }), /health\.grpc .*not a gRPC service name/],
  [
    'headers on a grpc health check',
    doc({ protocol: 'grpc', host: undefined, health: { grpc: true, headers: { Host: 'cart' } } }),
    /health\.headers .*only apply to an HTTP path check/,
  ],
  ['bad header name', doc({ health: { path: '/healthz', headers: { 'X Bad': '1' } } }), /health\.headers\.X Bad .*not an HTTP header name/],
  [
    'health on a port the service does not have',
    doc({ host: undefined, health: { path: '/healthz', port: 9999 } }),
    /health\.port .*9999: is not a TCP port of this service/,
  ],
  [
    'public health on another port',
    doc({ ports: [{ name: 'admin', port: 9090 }], health: { path: '/healthz', port: 9090 } }),
    /health\.port .*must be the main port for a public service/,
  ],
  [
    'liveness equals readiness in object form',
    doc({ health: { path: '/healthz' }, liveness: { path: '/healthz', periodSeconds: 20 } }),
    /liveness .*must differ from the readiness path/,
  ],
  [
    'tcp liveness equals tcp readiness',
    doc({ protocol: 'tcp', host: undefined, health: undefined, liveness: { tcp: true } }),
    /liveness .*must differ from the readiness check/,
  ],
  ['periodSeconds zero', doc({ health: { path: '/healthz', periodSeconds: 0 } }), /health\.periodSeconds .*between 1 and 300/],
  ['startupSeconds zero', doc({ startupSeconds: 0 }), /startupSeconds .*0: must be an integer between 1 and 3600/],
  ['servicePort out of range', doc({ servicePort: 70000 }), /servicePort .*70000: must be between 1 and 65535/],
  ['protocol on a worker', doc({ host: undefined, port: undefined, protocol: 'grpc' }), /protocol .*only applies to a service with a port.*a worker/],
  ['port name with capitals and "_"', doc({ ports: [{ name: 'Metrics_Port', port: 9090 }] }), /ports\[0\]\.name .*"Metrics_Port": is not an IANA service name/],
  ['port name over 15 characters', doc({ ports: [{ name: 'prometheus-metrics', port: 9090 }] }), /ports\[0\]\.name .*must be 1 to 15 characters/],
  ['port name of digits only', doc({ ports: [{ name: '9090', port: 9090 }] }), /ports\[0\]\.name .*at least one letter/],
  [
    'duplicate extra port names',
    doc({
      ports: [
        { name: 'metrics', port: 9090 },
        { name: 'metrics', port: 9091 },
      ],
    }),
    /ports\[1\]\.name .*is already the name of ports\[0\]/,
  ],
  [
    'duplicate extra port numbers',
    doc({
      ports: [
        { name: 'metrics', port: 9090 },
        { name: 'admin', port: 9090 },
      ],
    }),
    /ports\[1\]\.port .*9090: is already declared by ports\[0\] \(TCP\)/,
  ],
  ['extra port named like the main port', doc({ ports: [{ name: 'http', port: 9090 }] }), /ports\[0\]\.name .*is the name of the main port \(protocol http\)/],
  ['extra port is the main port', doc({ ports: [{ name: 'metrics', port: 8000 }] }), /ports\[0\]\.port .*8000: is the main port/],
  [
    'extra port is the servicePort',
    doc({ servicePort: 80, ports: [{ name: 'metrics', port: 80 }] }),
    /ports\[0\]\.port .*already the Service port of the main port/,
  ],
  ['extra port out of range', doc({ ports: [{ name: 'metrics', port: 0 }] }), /ports\[0\]\.port .*between 1 and 65535/],
  [
    'extra port protocol in lowercase',
    doc({ ports: [{ name: 'dns', port: 53, protocol: 'udp' }] }),
    /ports\[0\]\.protocol .*"udp": must be TCP or UDP.*capitals: UDP/,
  ],
  ['extra port without a port', doc({ ports: [{ name: 'metrics' }] }), /ports\[0\]\.port .*is required/],
  ...JOB_CASES,
  // production knobs (pod)
  [
    'pull secret not a Secret name',
    doc({ imagePullSecrets: ['GHCR_Pull'] }),
    /services\[0\]\.imagePullSecrets\[0\] \(service "api"\): "GHCR_Pull": is not a valid Secret name/,
  ],
  [
    'pull secret listed twice',
    doc({ imagePullSecrets: ['ghcr-pull', 'ghcr-pull'] }),
    /imagePullSecrets\[1\] .*"ghcr-pull": is already listed at imagePullSecrets\[0\]/,
  ],
  [
    'environment pull secret not a Secret name',
    doc({}, { environments: { production: { imagePullSecrets: ['bad name'] } } }),
    /environments\.production\.imagePullSecrets\[0\]: "bad name": is not a valid Secret name/,
  ],
  ['pull secrets not a list', doc({ imagePullSecrets: 'ghcr-pull' }), /imagePullSecrets .*must be a list, got a string/],
  ['scratch in GB', doc({ scratch: '2GB' }), /services\[0\]\.scratch .*"2GB": is not a size/],
  ['writable path inside /tmp', doc({ writable: { '/tmp/uploads': '1Gi' } }), /writable\.\/tmp\/uploads .*is inside \/tmp.*Fix: size \/tmp with scratch/],
  ['writable path relative', doc({ writable: { 'tmp/pids': '16Mi' } }), /writable\.tmp\/pids .*must be an absolute path/],
  [
    'writable path also a mount',
    doc({ writable: { '/cache': '1Gi' }, mounts: [{ path: '/cache', emptyDir: '1Gi' }] }),
    /writable\.\/cache .*is also mounted by mounts\[0\]/,
  ],
  [
    'writable path is the storage path',
    doc({ writable: { '/data': '1Gi' }, storage: { path: '/data', size: '10Gi' } }),
    /writable\.\/data .*is also mounted by storage\.path/,
  ],
  [
    'rollout both zero',
    doc({ rollout: { maxSurge: 0, maxUnavailable: '0%' } }),
    /rollout .*has maxSurge 0 and maxUnavailable "0%": a rollout could never replace a pod/,
  ],
  ['rollout percentage over 100', doc({ rollout: { maxSurge: '125%' } }), /rollout\.maxSurge .*"125%": must be a percentage between 0% and 100%/],
  ['rollout on a singleton', doc({ replicas: 1, singleton: true, rollout: { maxSurge: 1 } }), /rollout .*does not apply to a singleton.*Recreate/],
  ['rollout as a fraction', doc({ rollout: { maxSurge: 0.5 } }), /rollout\.maxSurge .*must be an integer or a string, got a fraction/],
  ['disruption other than never', doc({ disruption: 'sometimes' }), /disruption .*"sometimes": is not a disruption setting.*Fix: write disruption: never/],
  [
    'drain sleep longer than the drain budget',
    doc({ drainSeconds: 30, drainSleepSeconds: 45 }),
    /drainSleepSeconds .*45: is longer than drainSeconds \(30\).*grace period/,
  ],
  [
    'drain sleep on a worker',
    doc({ host: undefined, port: undefined, health: undefined, drainSleepSeconds: 5 }),
    /drainSleepSeconds .*only applies to a service with a port/,
  ],
  ['empty preStop', doc({ preStop: [] }), /preStop .*\[\]: is an empty command/],
  [
    'init step named like a sidecar',
    doc({ init: [{ name: 'log-shipper', image: 'registry.example.com/wait:1.0.0', memory: '32Mi' }], sidecars: [SIDECAR] }),
    /init\[0\]\.name .*"log-shipper": is already the name of sidecars\[0\]/,
  ],
  ['init step without memory', doc({ init: [{ name: 'wait', image: 'registry.example.com/wait:1.0.0' }] }), /init\[0\]\.memory .*is required/],
  ['init step image :latest', doc({ init: [{ name: 'wait', image: 'registry.example.com/wait:latest', memory: '32Mi' }] }), /init\[0\]\.image .*":latest"/],
  // production knobs (environment)
  [
    'quota too small for the services',
    doc({}, { environments: { dev: { quota: { cpu: '500m' } } } }),
    /environments\.dev\.quota\.cpu: "500m": is less than the 750m of CPU requests .*api 2\+1 surge.*Fix: raise quota\.cpu to at least 750m/,
  ],
  [
    'quota memory in GB',
    doc({}, { environments: { dev: { quota: { memory: '8GB' } } } }),
    /environments\.dev\.quota\.memory: "8GB": is not a Kubernetes quantity/,
  ],
  ['quota with no limit', doc({}, { environments: { dev: { quota: {} } } }), /environments\.dev\.quota: \{\}: declares no limit/],
  ['quota pods as text', doc({}, { environments: { dev: { quota: { pods: 'ten' } } } }), /environments\.dev\.quota\.pods: "ten": must be an integer/],
  ['unknown priority', doc({ priority: 'urgent' }), /services\[0\]\.priority \(service "api"\): "urgent": must be one of high, normal, low/],
  [
    'unknown defaultPriority',
    doc({}, { environments: { production: { defaultPriority: 'critical' } } }),
    /environments\.production\.defaultPriority: "critical": must be one of high, normal, low/,
  ],
  [
    'unknown layout',
    doc({}, { environments: { production: { layout: 'single' } } }),
    /environments\.production\.layout: "single": must be one of per-service, single-file.*Fix: write e\.g\. "per-service"/s,
  ],
  [
    'route outside the service paths',
    doc({ paths: ['/api'], routes: [{ path: '/cable', timeoutSeconds: 3600 }] }),
    /routes\[0\]\.path \(service "api"\): "\/cable": is not one of the service's paths \(\/api\)/,
  ],
  ['route on an internal service', doc({ host: undefined, routes: [{ path: '/cable' }] }), /services\[0\]\.routes .*only apply to a public service/],
  [
    'route timeout out of range',
    doc({ routes: [{ path: '/cable', timeoutSeconds: 0 }] }),
    /routes\[0\]\.timeoutSeconds .*0: must be an integer between 1 and 86400/,
  ],
  ['route without a path', doc({ routes: [{ timeoutSeconds: 900 }] }), /routes\[0\]\.path \(service "api"\): is required/],
  [
    'route Service name taken',
    doc({ routes: [{ path: '/cable' }] }, { services: [other({ name: 'api-r1', host: undefined })] }),
    /needs a Service named "api-r1", which service "api-r1" already uses/,
  ],
  [
    'memoryPercent out of range',
    doc({ replicas: undefined, autoscaling: { min: 2, max: 4, memoryPercent: 150 } }),
    /autoscaling\.memoryPercent .*150: must be an integer between 10 and 100/,
  ],
  [
    'external metric with "/"',
    doc({
      replicas: undefined,
      autoscaling: { min: 1, max: 4, external: { metric: 'pubsub.googleapis.com/subscription/num_undelivered_messages', targetAverageValue: '100' } },
    }),
    /autoscaling\.external\.metric .*writes "\/" as "\|"/,
  ],
  [
    'external metric without a target',
    doc({ replicas: undefined, autoscaling: { min: 1, max: 4, external: { metric: 'pubsub.googleapis.com|subscription|num_undelivered_messages' } } }),
    /autoscaling\.external .*needs exactly one of targetAverageValue \(per pod\) or targetValue \(in total\), got none/,
  ],
  [
    'external selector key invalid',
    doc({
      replicas: undefined,
      autoscaling: { min: 1, max: 4, external: { metric: 'custom.googleapis.com|queue', selector: { 'bad key!': 'x' }, targetValue: '10' } },
    }),
    /autoscaling\.external\.selector\.bad key! .*is not a valid label key/,
  ],
  // network policy
  [
    'caller not declared',
    doc({ callers: ['webb'] }, { services: [other({})] }),
    /services\[0\]\.callers\[0\] \(service "api"\): "webb": names no service or job of environment "production".*did you mean "web"/,
  ],
  [
    'caller is the service itself',
    doc({ callers: ['api'] }),
    /services\[0\]\.callers\[0\] \(service "api"\): "api": names the service itself.*own pods always reach each other/,
  ],
  [
    'caller listed twice',
    doc({ callers: ['web', 'web'] }, { services: [other({})] }),
    /services\[0\]\.callers\[1\] .*"web": is listed twice.*remove the duplicate/,
  ],
  [
    'caller in an undeclared environment',
    doc({ callers: ['stagin/web'] }, { services: [other({})], environments: { production: {}, staging: {} } }),
    /callers\[0\] .*"stagin\/web": names environment "stagin", which is not declared.*did you mean "staging\/web"/,
  ],
  [
    'caller disabled in its environment',
    doc({ callers: ['staging/web'] }, { services: [other({})], environments: { production: {}, staging: { services: { web: { enabled: false } } } } }),
    /callers\[0\] .*"staging\/web": names "web", which does not run in environment "staging"/,
  ],
  [
    'caller with a bad form',
    doc({ callers: ['staging/web/v2'] }, { services: [other({})] }),
    /callers\[0\] .*"staging\/web\/v2": is not a caller name.*"environment\/service"/,
  ],
  [
    'callers on a worker',
    doc({ host: undefined, port: undefined, health: undefined, callers: ['web'] }, { services: [other({})] }),
    /services\[0\]\.callers .*is set on a worker \(no port\), which nothing can call/,
  ],
  ['callers is a string', doc({ callers: 'web' }, { services: [other({})] }), /services\[0\]\.callers .*must be a list, got a string/],
  [
    'egress CIDR without a prefix',
    doc({}, { environments: { production: { egress: { allow: ['10.20.0.0'] } } } }),
    /environments\.production\.egress\.allow\[0\]: "10\.20\.0\.0": is not a CIDR.*"10\.20\.0\.0\/16"/,
  ],
  [
    'egress CIDR octet out of range',
    doc({}, { environments: { production: { egress: { allow: ['10.300.0.0/16'] } } } }),
    /egress\.allow\[0\]: "10\.300\.0\.0\/16": is not a CIDR/,
  ],
  [
    'egress CIDR listed twice',
    doc({}, { environments: { production: { egress: { allow: ['10.20.0.0/16', '10.20.0.0/16'] } } } }),
    /egress\.allow\[1\]: "10\.20\.0\.0\/16": is listed twice/,
  ],
  [
    'egress with networkPolicy: false',
    doc({}, { environments: { production: { networkPolicy: false, egress: { allow: [] } } } }),
    /environments\.production\.egress: .*restricts egress, but networkPolicy: false renders no NetworkPolicy/,
  ],
  [
    'unknown egress field',
    doc({}, { environments: { production: { egress: { deny: ['10.0.0.0/8'] } } } }),
    /environments\.production\.egress\.deny: unknown field "deny".*allowed fields: allow/,
  ],
  // routing and validation (issue 12)
  [
    '/api and /api/ on two services',
    doc({ paths: ['/api'] }, { services: [other({ host: 'api.example.com', paths: ['/api/'] })] }),
    /environments\.production \(service "web"\): "api\.example\.com\/api\/": routes "api\.example\.com\/api\/" \(GKE routes it exactly like "api\.example\.com\/api": a Prefix path matches with and without its trailing slash\), which service "api" routes too.*Fix: give service "web" or "api" a different host or path/,
  ],
  [
    'a base host inherited by a second environment',
    doc({}, { environments: { production: {}, staging: { services: { api: { replicas: 1 } } } } }),
    /environments\.staging\.services\.api \(service "api"\): "api\.example\.com": is routed in environment "staging" by service "api" \(inherited from services\[0\]\) and in environment "production" by service "api".*Fix: give service "api" its own host in environment "staging" \(environments\.staging\.services\.api\.host, e\.g\. "api\.staging\.example\.com"\), or leave it out there with "enabled: false"/,
  ],
  [
    'a host re-declared in a second environment',
    doc(
      {},
      {
        services: [other({})],
        environments: { production: {}, dev: { services: { api: { host: 'api.dev.example.com' }, web: { host: 'api.example.com' } } } },
      },
    ),
    /environments\.dev\.services\.web\.host \(service "web"\): "api\.example\.com": is routed in environment "dev" by service "web" and in environment "production" by service "api"/,
  ],
  [
    'duplicate paths',
    doc({ paths: ['/v1', '/v1'] }),
    /services\[0\]\.paths\[1\] \(service "api"\): "\/v1": is already listed at paths\[0\].*Fix: list every path once/,
  ],
  [
    'paths equal but for a trailing slash',
    doc({ paths: ['/v1', '/v1/'] }),
    /services\[0\]\.paths\[1\] .*"\/v1\/": is the same route as paths\[0\] \("\/v1"\): GKE matches a Prefix path with and without its trailing slash/,
  ],
  [
    'duplicate hosts',
    doc({ hosts: ['www.example.com', 'www.example.com'] }),
    /services\[0\]\.hosts\[1\] .*"www\.example\.com": is already listed at hosts\[0\]/,
  ],
  [
    'main host repeated in hosts',
    doc({ hosts: ['api.example.com'] }),
    /services\[0\]\.hosts\[0\] .*"api\.example\.com": is already the service's main "host".*Fix: remove it from hosts/,
  ],
  [
    'duplicate paths in an override',
    doc({}, { environments: { production: { services: { api: { paths: ['/a', '/a'] } } } } }),
    /environments\.production\.services\.api\.paths\[1\] \(service "api"\): "\/a": is already listed at paths\[0\]/,
  ],
  [
    'duplicate preSharedCerts',
    doc({}, { environments: { production: { tls: { managed: false, preSharedCerts: ['acme-wildcard', 'acme-wildcard'] } } } }),
    /environments\.production\.tls\.preSharedCerts\[1\]: "acme-wildcard": is already listed at preSharedCerts\[0\]/,
  ],
  [
    'duplicate tolerations',
    doc({
      tolerations: [
        { key: 'cloud.google.com/gke-spot', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'cloud.google.com/gke-spot', operator: 'Exists', effect: 'NoSchedule' },
      ],
    }),
    /services\[0\]\.tolerations\[1\] .*is the same toleration as tolerations\[0\]/,
  ],
  [
    'routes equal but for a trailing slash',
    doc({ routes: [{ path: '/up', timeoutSeconds: 60 }, { path: '/up/' }], drainSeconds: 60 }),
    /routes\[1\]\.path .*"\/up\/": is already declared by routes\[0\] \("\/up": GKE matches a Prefix path/,
  ],
  [
    'DB_PASS in plain env',
    doc({ env: { DB_PASS: 'hunter2' } }),
    /env\.DB_PASS \(service "api"\): "DB_PASS": looks like a secret.*Fix: move it to secretEnv: \{ DB_PASS: /,
  ],
  [
    'REDIS_URL with a userinfo password',
    doc({ env: { REDIS_URL: 'redis://:hunter2@redis:6379/0' } }),
    /env\.REDIS_URL .*"\(value hidden\)": contains a credential/,
  ],
  ['API_TOKEN in plain env', doc({ env: { API_TOKEN: 'abc123' } }), /env\.API_TOKEN .*looks like a secret/],
  ['SMTP_PWD in plain env', doc({ env: { SMTP_PWD: 'x' } }), /env\.SMTP_PWD .*looks like a secret/],
  ['ENCRYPTION_KEY in plain env', doc({ env: { ENCRYPTION_KEY: 'x' } }), /env\.ENCRYPTION_KEY .*looks like a secret/],
  [
    'GCS_CREDENTIALS in a sidecar env',
    doc({ sidecars: [{ ...SIDECAR, env: { GCS_CREDENTIALS: '{}' } }] }),
    /sidecars\[0\]\.env\.GCS_CREDENTIALS .*looks like a secret/,
  ],
  // load balancer features
  ['bad Cloud Armor policy name', doc({ loadBalancer: { securityPolicy: 'Edge_Policy' } }), /services\[0\]\.loadBalancer\.securityPolicy.*Cloud Armor/],
  [
    'bad environment policy name',
    doc({}, { environments: { production: { loadBalancer: { securityPolicy: '9edge' } } } }),
    /environments\.production\.loadBalancer\.securityPolicy/,
  ],
  ['bad response header name', doc({ loadBalancer: { responseHeaders: { 'X Frame': 'DENY' } } }), /loadBalancer\.responseHeaders.*RFC 7230 token/],
  ['bad request header name', doc({ loadBalancer: { requestHeaders: { 'X-A:b': '1' } } }), /loadBalancer\.requestHeaders.*RFC 7230 token/],
  ['header value with a line break', doc({ loadBalancer: { responseHeaders: { 'X-A': 'a\r\nSet-Cookie: x' } } }), /responseHeaders\.X-A.*line break/],
  ['IAP without a secret', doc({ loadBalancer: { iap: {} } }), /loadBalancer\.iap\.secret.*OAuth client/],
  [
    'internal with managed certificates',
    doc({}, { environments: { production: { ingress: 'internal', tls: { managed: true } } } }),
    /tls\.managed.*internal load balancer.*Fix: .*preSharedCerts/s,
  ],
  ['sample rate above 1', doc({ loadBalancer: { logging: { sampleRate: 1.5 } } }), /loadBalancer\.logging\.sampleRate.*between 0 and 1/],
  ['sample rate as text', doc({ loadBalancer: { logging: { sampleRate: 'half' } } }), /sampleRate.*must be a number/],
  ['cookie TTL over 14 days', doc({ loadBalancer: { sessionAffinity: { type: 'GENERATED_COOKIE', cookieTtlSeconds: 2000000 } } }), /cookieTtlSeconds.*14 days/],
  ['unknown affinity type', doc({ loadBalancer: { sessionAffinity: { type: 'COOKIE' } } }), /sessionAffinity\.type.*CLIENT_IP or GENERATED_COOKIE/],
  ['unknown CDN cache mode', doc({ loadBalancer: { cdn: { cacheMode: 'ALL' } } }), /cdn\.cacheMode.*CACHE_ALL_STATIC/],
  [
    'Cloud CDN on an internal environment',
    doc({ loadBalancer: { cdn: {} } }, { environments: { production: { ingress: 'internal' } } }),
    /Cloud CDN is not supported by the internal load balancer/,
  ],
  ['unknown ingress kind', doc({}, { environments: { production: { ingress: 'private' } } }), /environments\.production\.ingress.*external.*internal/],
  // certificates
  [
    'certificate entry with two sources',
    doc({}, { environments: { production: { tls: { certificates: { 'api.example.com': { preShared: 'api-cert', secret: 'api-tls' } } } } } }),
    /tls\.certificates\.api\.example\.com: .*must name exactly one certificate source.*Fix: set exactly one of "managed: true"/,
  ],
  [
    'certificate entry with managed: false only',
    doc({}, { environments: { production: { tls: { certificates: { 'api.example.com': { managed: false } } } } } }),
    /tls\.certificates\.api\.example\.com: .*must name exactly one certificate source/,
  ],
  [
    'wildcard host asks for a managed certificate',
    doc({ host: '*.app.example.com' }, { environments: { production: { tls: { certificates: { '*.app.example.com': { managed: true } } } } } }),
    /tls\.certificates\.\*\.app\.example\.com\.managed: "\*\.app\.example\.com": is a wildcard host.*"preShared: <name>".*"secret: <name>"/,
  ],
  [
    'bad pre-shared certificate name',
    doc({}, { environments: { production: { tls: { certificates: { 'api.example.com': { preShared: 'Wildcard_Cert' } } } } } }),
    /certificates\.api\.example\.com\.preShared: "Wildcard_Cert": is not a valid Google Cloud resource name/,
  ],
  [
    'bad TLS Secret name',
    doc({}, { environments: { production: { tls: { certificates: { 'api.example.com': { secret: 'API_TLS' } } } } } }),
    /certificates\.api\.example\.com\.secret: "API_TLS": is not a valid Secret name/,
  ],
  [
    'certificate for a host nobody routes',
    doc({}, { environments: { production: { tls: { certificates: { 'api.exmple.com': { secret: 'api-tls' } } } } } }),
    /certificates\.api\.exmple\.com: "api\.exmple\.com": names a host that no service of this environment routes.*did you mean "api\.example\.com"/,
  ],
  [
    'unknown certificate source',
    doc({}, { environments: { production: { tls: { certificates: { 'api.example.com': { acm: 'arn:aws:acm:x' } } } } } }),
    /certificates\.api\.example\.com\.acm: unknown field "acm"/,
  ],
  [
    'host left without a certificate',
    doc({}, { services: [other({})], environments: { production: { tls: { managed: false, certificates: { 'web.example.com': { secret: 'web-tls' } } } } } }),
    /tls \(service "api"\): "api\.example\.com": has no certificate: managed is false/,
  ],
  [
    '16 TLS Secrets',
    doc(
      { host: 'h0.example.com', hosts: Array.from({ length: 15 }, (_, i) => `h${i + 1}.example.com`) },
      {
        environments: {
          production: { tls: { certificates: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`h${i}.example.com`, { secret: `h${i}-tls` }])) } },
        },
      },
    ),
    /needs 16 certificates, over the 15 .*16 TLS Secrets.*Fix: serve several hosts from one certificate/,
  ],
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
