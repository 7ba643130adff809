/**
 * The connectivity of a rendered platform, computed by cyclonus (`analyze --mode query-traffic`, the policy engine
 * of the upstream NetworkPolicy conformance work), and the connectivity the declaration intends.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { parseCaller } from '../../src/declaration/network.js';
import { effectiveServices, namespaceOf } from '../../src/declaration/effective.js';
import { effectiveJobs } from '../../src/declaration/jobs.js';
import { readinessOf } from '../../src/declaration/probes.js';
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';
import { tempDir } from '../helpers.js';
import { tool } from './tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One end of a connection: a pod (environment, name, labels) or an address outside the cluster. */
export interface Endpoint {
  readonly label: string;
  readonly ip: string;
  readonly env?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly podLabels?: Record<string, string>;
}

export interface Probe {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** What the declaration intends. */
  readonly expected: boolean;
}

/** The GKE load balancer (proxy and health checks) and a host on the internet. */
const LB: Endpoint = { label: 'lb 35.191.7.9', ip: '35.191.7.9' };
const LB_HEALTH: Endpoint = { label: 'lb 130.211.1.4', ip: '130.211.1.4' };
const INTERNET: Endpoint = { label: 'internet 203.0.113.80', ip: '203.0.113.80' };
/** A pod in a namespace no environment owns (another team's). */
const OUTSIDER: Endpoint = { label: 'outsider/tool', ip: '10.99.0.1', namespace: 'outsider', podLabels: { 'app.kubernetes.io/name': 'tool' } };
const KUBE_DNS: Endpoint = { label: 'kube-system/kube-dns', ip: '10.99.0.10', namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
const NODE_LOCAL_DNS: Endpoint = { label: 'node-local-dns', ip: '169.254.20.10' };

/** Every pod of the platform, with the labels its rendered pod template carries. */
export function podsOf(rendered: readonly RenderedEnvironment[]): Endpoint[] {
  let n = 1;
  return rendered.flatMap((env) =>
    env.objects.flatMap((o) => {
      const template = podTemplate(o);
      if (!template) return [];
      const labels = template.metadata.labels as Record<string, string>;
      const name = labels['app.kubernetes.io/name'];
      return [
        {
          label: `${env.name}/${name}`,
          ip: `10.1.${Math.floor(n / 250)}.${(n++ % 250) + 1}`,
          env: env.name,
          name,
          namespace: env.namespace,
          podLabels: labels,
        },
      ];
    }),
  );
}

function podTemplate(o: Json): Json | undefined {
  if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'Job') return o.spec.template;
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template;
  return undefined;
}

/** What the declaration says: who reaches every port of every service, and where a restricted environment may go. */
export function intendedProbes(platform: PlatformDeclaration, pods: readonly Endpoint[]): Probe[] {
  const probes: Probe[] = [];
  for (const env of Object.keys(platform.environments).sort()) {
    for (const { service } of effectiveServices(platform, env)) {
      const to = pods.find((p) => p.env === env && p.name === service.name)!;
      for (const { port, protocol } of portsOf(service)) {
        const lbAllowed = service.host !== undefined && (port === service.port || port === readinessOf(service)?.port);
        probes.push({ from: LB, to, port, protocol, expected: lbAllowed }, { from: LB_HEALTH, to, port, protocol, expected: lbAllowed });
        probes.push({ from: OUTSIDER, to, port, protocol, expected: false });
        for (const from of pods) probes.push({ from, to, port, protocol, expected: mayCall(from, env, service) });
      }
    }
  }
  return [...probes, ...egressProbes(platform, pods)];
}

function portsOf(s: ServiceDeclaration): { port: number; protocol: 'TCP' | 'UDP' }[] {
  if (s.port === undefined) return [];
  return [{ port: s.port, protocol: 'TCP' as const }, ...(s.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? ('TCP' as const) }))];
}

/** The service's own pods always; same environment: every pod unless `callers` narrows it; another environment: only a declared `env/name` caller. */
function mayCall(from: Endpoint, env: string, service: ServiceDeclaration): boolean {
  if (from.env === env && from.name === service.name) return true;
  if (service.callers === undefined) return from.env === env;
  return service.callers.some((c) => {
    const target = parseCaller(c, env);
    return target.environment === from.env && target.name === from.name;
  });
}

/** From every pod: DNS always; the internet unless the environment restricts egress (then only its CIDRs). */
function egressProbes(platform: PlatformDeclaration, pods: readonly Endpoint[]): Probe[] {
  return pods.flatMap((from) => {
    const egress = platform.environments[from.env!]?.egress;
    const internetOpen = egress === undefined || (egress.allow ?? []).some((c) => c === '0.0.0.0/0');
    return [
      { from, to: KUBE_DNS, port: 53, protocol: 'UDP' as const, expected: true },
      { from, to: KUBE_DNS, port: 53, protocol: 'TCP' as const, expected: true },
      { from, to: NODE_LOCAL_DNS, port: 53, protocol: 'UDP' as const, expected: true },
      { from, to: INTERNET, port: 443, protocol: 'TCP' as const, expected: internetOpen },
    ];
  });
}

/** Every NetworkPolicy of the rendering, as one YAML stream. */
export function policiesOf(rendered: readonly RenderedEnvironment[]): KubeObject[] {
  return rendered.flatMap((env) => env.objects.filter((o) => o.kind === 'NetworkPolicy'));
}

/** cyclonus's verdict for each probe, in order. */
export function analyze(policies: readonly KubeObject[], probes: readonly Probe[]): boolean[] {
  const dir = tempDir();
  // One file per policy: cyclonus reads only the first document of a YAML stream. js-yaml, not the renderer's
  // writer: the test's (mutated) objects come from another realm than that writer accepts.
  mkdirSync(join(dir, 'policies'));
  policies.forEach((p, i) => writeFileSync(join(dir, 'policies', `${String(i).padStart(4, '0')}.yaml`), yaml.dump(p)));
  writeFileSync(join(dir, 'traffic.json'), JSON.stringify(probes.map(traffic)));
  const out = execFileSync(
    tool('cyclonus'),
    ['analyze', '--mode', 'query-traffic', '--policy-path', join(dir, 'policies'), '--traffic-path', join(dir, 'traffic.json')],
    {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const verdicts = [...out.matchAll(/IS ALLOWED\? \|\s+(TRUE|FALSE)\s+\|/g)].map((m) => m[1] === 'TRUE');
  if (verdicts.length !== probes.length) throw new Error(`cyclonus answered ${verdicts.length} of ${probes.length} traffic queries:\n${out.slice(0, 2000)}`);
  return verdicts;
}

function traffic(p: Probe): Json {
  return { Source: end(p.from), Destination: end(p.to), Protocol: p.protocol, ResolvedPort: p.port, ResolvedPortName: '' };
}

function end(e: Endpoint): Json {
  if (e.namespace === undefined) return { IP: e.ip };
  return { IP: e.ip, Internal: { PodLabels: e.podLabels ?? {}, NamespaceLabels: { 'kubernetes.io/metadata.name': e.namespace }, Namespace: e.namespace } };
}

/** Probes where cyclonus and the declared intent disagree, one readable line each. */
export function mismatches(probes: readonly Probe[], verdicts: readonly boolean[]): string[] {
  return probes.flatMap((p, i) =>
    verdicts[i] === p.expected
      ? []
      : [
          `${p.from.label} -> ${p.to.label}:${p.port}/${p.protocol}: cyclonus says ${verdicts[i] ? 'allowed' : 'denied'}, ` +
            `the declaration says ${p.expected ? 'allowed' : 'denied'}`,
        ],
  );
}

/** Namespaces of the platform's environments (for reports). */
export function namespaces(platform: PlatformDeclaration): string[] {
  return Object.keys(platform.environments).map((e) => namespaceOf(platform, e));
}

/** Jobs count as pods (they are callers by name); exported for the report. */
export function jobCount(platform: PlatformDeclaration): number {
  return Object.keys(platform.environments).reduce((n, e) => n + effectiveJobs(platform, e).length, 0);
}
