import type { JobDeclaration, PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, service } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MIGRATE: JobDeclaration = { name: 'migrate', from: 'api', command: ['python', 'manage.py', 'migrate'], memory: '256Mi', cpu: '100m', beforeDeploy: true };

function rendered(job: Partial<JobDeclaration> = {}, api: Partial<ServiceDeclaration> = {}, extra: ServiceDeclaration[] = []) {
  const p: PlatformDeclaration = {
    environments: { production: { namespace: 'production', layout: 'per-service' } },
    services: [service(api), ...extra],
    jobs: [{ ...MIGRATE, ...job }],
  };
  return env(renderPlatform(p), 'production');
}
const jobOf = (objects: readonly unknown[]): Json => kinds(objects as never, 'Job')[0];

describe('MigrationJob', () => {
  test('a Job named <job>-<hash> that runs once, is cleaned up after a day and has a deadline', () => {
    // GIVEN a migration with defaults WHEN rendered
    const job = jobOf(rendered().objects);
    // THEN its name carries an 8-hex-digit hash and the documented defaults apply
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    // AND declared values win
    expect(jobOf(rendered({ backoffLimit: 0, timeoutSeconds: 1200 }).objects).spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1200 });
  });

  test("the pod is the services' restricted pod without probes, ports, preStop or spreading", () => {
    const pod = jobOf(rendered().objects).spec.template.spec;
    const c = pod.containers[0];
    // THEN restricted Pod Security holds and memory request = limit
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources.requests.memory).toBe('256Mi');
    expect(c.resources.limits.memory).toBe('256Mi');
    expect(pod.automountServiceAccountToken).toBe(false);
    // AND nothing only a long-running service needs
    for (const field of ['readinessProbe', 'livenessProbe', 'startupProbe', 'ports', 'lifecycle']) expect(c[field]).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(pod.affinity).toBeUndefined();
    expect(c.command).toEqual(['python', 'manage.py', 'migrate']);
  });

  test('the hash changes with the image, the command and the env, and with nothing else', () => {
    // GIVEN the migration's name for a baseline
    const name = (r: ReturnType<typeof rendered>) => jobOf(r.objects).metadata.name as string;
    const base = name(rendered());
    // THEN what defines the Job changes its name…
    expect(name(rendered({}, { image: 'registry.example.com/api:1.5.0' }))).not.toBe(base);
    expect(name(rendered({ image: 'registry.example.com/tools:2.0.0' }))).not.toBe(base);
    expect(name(rendered({ command: ['python', 'manage.py', 'migrate', '--noinput'] }))).not.toBe(base);
    expect(name(rendered({ args: ['--verbosity', '2'] }))).not.toBe(base);
    expect(name(rendered({ env: { LOG_LEVEL: 'debug' } }))).not.toBe(base);
    expect(name(rendered({}, { env: { DJANGO_SETTINGS_MODULE: 'app.prod' } }))).not.toBe(base);
    expect(name(rendered({}, { secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } }))).not.toBe(base);
    expect(name(rendered({ memory: '512Mi' }))).not.toBe(base);
    // …and the same declaration, or changes to what the Job does not run, keep it
    expect(name(rendered())).toBe(base);
    expect(name(rendered({}, { replicas: 5, host: 'other.example.com', memory: '1Gi' }))).toBe(base);
    expect(name(rendered({}, {}, [service({ name: 'web', host: 'web.example.com', image: 'registry.example.com/web:9.9.9' })]))).toBe(base);
  });

  test('its own ServiceAccount (Workload Identity inherited) and Argo CD PreSync hooks, in job-<name>.yaml (layout: per-service)', () => {
    // GIVEN a migration from a service with a Google service account WHEN rendered
    const r = rendered({}, { gcpServiceAccount: 'api-sa@my-project.iam.gserviceaccount.com' });
    const job = jobOf(r.objects);
    const sa = find(r.objects, 'ServiceAccount', 'migrate');
    // THEN the pod runs as the job's ServiceAccount, annotated with the inherited Google service account
    expect(job.spec.template.spec.serviceAccountName).toBe('migrate');
    expect(sa.metadata.annotations['iam.gke.io/gcp-service-account']).toBe('api-sa@my-project.iam.gserviceaccount.com');
    expect(sa.automountServiceAccountToken).toBe(false);
    // AND both are PreSync hooks for Argo CD (the ServiceAccount first) and labelled as running before the deploy
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    expect(sa.metadata.annotations['argocd.argoproj.io/hook-weight']).toBe('-1');
    for (const o of [job, sa]) expect(o.metadata.labels).toMatchObject({ 'berth.dev/phase': 'before-deploy', 'berth.dev/job': 'migrate' });
    // AND they render to their own file, not ingress.yaml nor the service's
    const file = r.files.find((f) => f.path === 'job-migrate.yaml')!;
    expect(file.content).toContain(`name: ${job.metadata.name}\n`);
    expect(file.content).toContain('kind: ServiceAccount\n');
    expect(r.files.find((f) => f.path === 'app-api.yaml')!.content).not.toContain('migrate');
    expect(r.files.find((f) => f.path === 'ingress.yaml')!.content).not.toContain('kind: Job');
  });
});
