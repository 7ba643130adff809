/**
 * A tiny stand-in renderer for the gitops unit tests: the same file layout and labels as berth's
 * renderer (00-namespace.yaml, app-<service>.yaml, ingress.yaml, routes.md), far fewer fields.
 */
import { stringify } from 'yaml';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';

export interface FixtureService {
  readonly name: string;
  readonly image: string;
  readonly replicas?: number;
  readonly memory?: string;
  readonly cpu?: string;
  readonly host?: string;
}

export function environment(name: string, services: readonly FixtureService[]): RenderedEnvironment {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  const perService = services.map((s) => ({ service: s, objects: serviceObjects(name, s) }));
  const ingress = ingressFor(name, services);
  const files = [
    { path: '00-namespace.yaml', content: yamlStream([namespace]) },
    ...perService.map(({ service, objects }) => ({ path: `app-${service.name}.yaml`, content: yamlStream(objects) })),
    ...(ingress ? [{ path: 'ingress.yaml', content: yamlStream([ingress]) }] : []),
    { path: 'routes.md', content: `# Routes of ${name}\n\n${services.map((s) => `- ${s.host ?? '(internal)'} → ${s.name}\n`).join('')}` },
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  const objects = [namespace, ...perService.flatMap((p) => p.objects), ...(ingress ? [ingress] : [])];
  return { name, namespace: name, objects, files };
}

function labels(service: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'berth', 'app.kubernetes.io/name': service };
}

function serviceObjects(namespace: string, s: FixtureService): KubeObject[] {
  const metadata = { name: s.name, namespace, labels: labels(s.name) };
  const memory = s.memory ?? '256Mi';
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: { selector: { 'app.kubernetes.io/name': s.name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: s.replicas ?? 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': s.name } },
        template: {
          metadata: { labels: labels(s.name) },
          spec: {
            serviceAccountName: s.name,
            containers: [
              {
                name: s.name,
                image: s.image,
                ports: [{ containerPort: 8080 }],
                resources: { requests: { cpu: s.cpu ?? '100m', memory }, limits: { memory } },
              },
            ],
          },
        },
      },
    },
  ];
}

function ingressFor(namespace: string, services: readonly FixtureService[]): KubeObject | undefined {
  const routed = services.filter((s) => s.host !== undefined);
  if (routed.length === 0) return undefined;
  const rules = routed.map((s) => ({
    host: s.host,
    http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: s.name, port: { number: 80 } } } }] },
  }));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace }, spec: { rules } };
}

function yamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o, { sortMapEntries: true })).join('---\n');
}

/** The example of issue 5: four services in production. */
export const PRODUCTION: readonly FixtureService[] = [
  { name: 'api', image: 'europe-docker.pkg.dev/acme/apps/api:1.4.2', host: 'api.acme.example', replicas: 3 },
  { name: 'billing', image: 'europe-docker.pkg.dev/acme/apps/billing:2.0.1', memory: '512Mi' },
  { name: 'legacy-reports', image: 'europe-docker.pkg.dev/acme/apps/reports:0.9.0' },
  { name: 'web', image: 'europe-docker.pkg.dev/acme/apps/web:5.1.0', host: 'www.acme.example' },
];
