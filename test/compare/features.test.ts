import { describe, expect, it } from '@jest/globals';
import type { EcsMappingEntry } from '../../src/compare/ecs-input.js';
import { compareFeatures } from '../../src/compare/features.js';
import { renderPlatform } from '../../src/render/render.js';
import { platform, service } from '../helpers.js';

const [env] = renderPlatform(
  platform(
    [service({ name: 'web', host: 'web.example.com', secretEnv: { TOKEN: { secret: 'web', key: 'token' } } }), service({ name: 'queue', host: undefined })],
    { production: { namespace: 'production', tls: { managed: true } } },
  ),
  { environments: ['production'] },
);

// Per-service entries shaped like the ECS renderer's (`<service>: <field>`) and environment-wide ones.
const mapping: EcsMappingEntry[] = [
  { feature: 'route web.example.com/', gke: 'Ingress rule → web:8000', ecs: 'listener rule priority 10', status: 'mapped' },
  { feature: 'web: secretEnv TOKEN', gke: 'secretKeyRef web/token', ecs: 'secrets valueFrom', status: 'mapped' },
  { feature: 'web: liveness', gke: 'liveness /livez', ecs: 'not emitted', status: 'unsupported' },
  { feature: 'web: readiness', gke: 'readiness /healthz', ecs: 'target group health check /healthz', status: 'mapped' },
  { feature: 'web: memory / memoryLimit / cpu', gke: 'requests 512Mi', ecs: 'memoryReservation 512', status: 'mapped' },
  { feature: 'queue: memory / memoryLimit / cpu', gke: 'requests 512Mi', ecs: 'memoryReservation 512', status: 'mapped' },
  { feature: 'TLS', gke: 'ManagedCertificate', ecs: 'HTTPS listener, ACM parameter', status: 'partial' },
];

describe('features point by point', () => {
  const rows = compareFeatures(env.objects, mapping);
  const row = (f: string) => rows.find((r) => r.feature === f)!;

  it('describes the GKE side from the rendered objects', () => {
    // GIVEN one public service with a secret and TLS, one internal service
    // THEN the rows say what the objects do
    expect(row('Shared load balancer + host routing').gke).toBe('1 Ingress (one load balancer), 1 host, 1 route');
    expect(row('Secrets by reference').gke).toBe('1 secretKeyRef (values never in manifests)');
    expect(row('TLS').gke).toMatch(/^Google-managed certificate/);
    expect(row('Internal services').gke).toBe('1 ClusterIP Service reached by cluster DNS only');
    expect(row('Jobs and cron')).toMatchObject({ gkeStatus: 'absent', ecsStatus: 'absent' });
  });

  it('puts each ECS entry beside the matching GKE feature, with the worst status and counts', () => {
    expect(row('Shared load balancer + host routing')).toMatchObject({ ecs: 'listener rule priority 10', ecsStatus: 'mapped' });
    expect(row('Health check = readiness')).toMatchObject({ ecs: 'target group health check /healthz', ecsStatus: 'mapped' });
    expect(row('Liveness and start-up probes')).toMatchObject({ ecs: 'not emitted', ecsStatus: 'unsupported' });
    expect(row('TLS').ecsStatus).toBe('partial');
  });

  it('groups the remaining entries by field, one row per group', () => {
    expect(row('memory (2 entries)')).toMatchObject({ gke: 'requests 512Mi', ecsStatus: 'mapped' });
    expect(rows.length).toBe(13);
  });
});
