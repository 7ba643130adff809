import * as plus27 from 'cdk8s-plus-27';
import * as plus34 from 'cdk8s-plus-34';
import { type Kplus, naiveApp, type PlatformDecl } from './naive-app.js';

const decl: PlatformDecl = {
  environments: { bench: { namespace: 'bench-ns' } },
  services: [
    { name: 'web', image: 'registry.example.com/web:1.0.0', port: 8000, host: 'web.example.com', health: '/healthz', memory: '256Mi', cpu: '100m' },
    { name: 'api', image: 'registry.example.com/api:1.0.0', port: 9000, memory: '1Gi', cpu: '1' },
  ],
};

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

const objectsOf = (kplus: Kplus): Obj[] => naiveApp(kplus, decl, '/nonexistent').charts.flatMap((c) => c.toJson() as Obj[]);

describe.each([
  ['cdk8s-plus-27', plus27],
  ['cdk8s-plus-34', plus34 as unknown as Kplus],
])('the naive baseline app on %s', (_line, kplus) => {
  test('builds a Deployment and a Service per service and one Ingress for the public host, in the namespace', () => {
    // GIVEN two services, one public WHEN the app is built with this cdk8s-plus line
    const objects = objectsOf(kplus);
    // THEN each service has its Deployment (image, port, memory limit, readiness on the health path) and Service
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Deployment', 'Ingress', 'Service', 'Service']);
    expect(objects.every((o) => o.metadata.namespace === 'bench-ns')).toBe(true);
    const web = objects.find((o) => o.kind === 'Deployment' && o.metadata.name.includes('web')) as Obj;
    const container = (web.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
    expect(container).toMatchObject({
      image: 'registry.example.com/web:1.0.0',
      ports: [expect.objectContaining({ containerPort: 8000 })],
      resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
      readinessProbe: { httpGet: { path: '/healthz', port: 8000 } },
    });
    // AND the Ingress routes the public host only
    const ingress = objects.find((o) => o.kind === 'Ingress') as Obj;
    expect((ingress.spec as { rules: { host: string }[] }).rules.map((r) => r.host)).toEqual(['web.example.com']);
  });
});
