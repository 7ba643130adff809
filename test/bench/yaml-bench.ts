/**
 * Micro-benchmark: `yaml` stringify vs berth's `toYaml` vs `JSON.stringify` on 6000
 * Deployment/Service-like objects, one call per object. Prints the median of 5 runs.
 *
 *   npx tsc -p tsconfig.json && node lib/test/bench/yaml-bench.js
 */
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { toYaml } from '../../src/render/yaml.js';

const OBJECTS = 6000;
const RUNS = 5;

/** Sorts keys recursively, as cdk8s `toJson()` does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** A Deployment resembling berth's output for service `i`. */
function deployment(i: number): unknown {
  const name = `svc-${i}`;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/managed-by': 'berth' };
  const probe = { httpGet: { path: '/healthz', port: 8000 }, periodSeconds: 5, failureThreshold: 3 };
  const container = {
    name,
    image: `registry.example.com/${name}:1.4.${i % 10}`,
    args: ['--port', '8000', '--workers=4'],
    env: [
      { name: 'PORT', value: '8000' },
      { name: 'DEBUG', value: 'false' },
      { name: 'CONFIG', value: 'a: 1\nb: two\n' },
    ],
    ports: [{ containerPort: 8000, name: 'http', protocol: 'TCP' }],
    readinessProbe: probe,
    livenessProbe: probe,
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
  };
  return sortKeys({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'production', labels, annotations: { 'berth.dev/revision': String(i) } },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 }, type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: { containers: [container], securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, terminationGracePeriodSeconds: 30 },
      },
    },
  });
}

/** A Service resembling berth's output for service `i`. */
function service(i: number): unknown {
  const name = `svc-${i}`;
  return sortKeys({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'production', annotations: { 'cloud.google.com/neg': '{"ingress": true}' } },
    spec: { ports: [{ name: 'http', port: 80, targetPort: 8000 }], selector: { 'app.kubernetes.io/name': name }, type: 'ClusterIP' },
  });
}

/** Median wall time in ms of `RUNS` runs of `fn` over all objects (after one warm-up run). */
function median(objects: readonly unknown[], fn: (v: unknown) => string): number {
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r <= RUNS; r++) {
    const start = performance.now();
    for (const o of objects) sink += fn(o).length;
    if (r > 0) times.push(performance.now() - start);
  }
  if (sink < 0) console.log(sink);
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const objects = Array.from({ length: OBJECTS }, (_, i) => (i % 2 === 0 ? deployment(i) : service(i)));
const results: Array<[string, number]> = [
  ['yaml.stringify', median(objects, (v) => stringify(v))],
  ['toYaml', median(objects, toYaml)],
  ['JSON.stringify', median(objects, (v) => JSON.stringify(v))],
];
const base = results[0]?.[1] ?? 1;
console.log(`${OBJECTS} objects, median of ${RUNS} runs`);
for (const [name, ms] of results) {
  console.log(`${name.padEnd(15)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / base).toFixed(3)}x of yaml.stringify`);
}
