import { renderPlatform } from '../../src/render/render.js';
import { env, find, kinds, platform, service } from '../helpers.js';

const LB_FROM = [{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }];

describe('NetworkPolicies', () => {
  test('default-deny, the LB ranges to a public service, every pod of the namespace to an internal one, open egress', () => {
    // GIVEN a public web, an internal pricing service with a metrics port, and a worker
    const rendered = renderPlatform(
      platform(
        [
          service({ name: 'web' }),
          service({ name: 'pricing', host: undefined, port: 9000, ports: [{ name: 'metrics', port: 9090 }] }),
          service({ name: 'mailer', host: undefined, port: undefined, health: undefined }),
        ],
        { production: { namespace: 'production', layout: 'per-service' } },
      ),
    );
    const production = env(rendered, 'production');
    // WHEN rendered  THEN the policies are in network-policies.yaml (layout: per-service), labelled as berth's
    expect(production.files.map((f) => f.path)).toContain('network-policies.yaml');
    expect(kinds(production.objects, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['allow-egress', 'allow-pricing', 'allow-web', 'default-deny']);
    for (const p of kinds(production.objects, 'NetworkPolicy'))
      expect(p.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'berth', 'app.kubernetes.io/component': 'network-policy' });
    expect(find(production.objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // AND web takes the LB on its port and the namespace's pods; pricing only the namespace's pods, on both ports
    expect(find(production.objects, 'NetworkPolicy', 'allow-web').spec.ingress).toEqual([
      { from: LB_FROM, ports: [{ port: 8000, protocol: 'TCP' }] },
      { from: [{ podSelector: {} }], ports: [{ port: 8000, protocol: 'TCP' }] },
    ]);
    expect(find(production.objects, 'NetworkPolicy', 'allow-pricing').spec.ingress).toEqual([
      {
        from: [{ podSelector: {} }],
        ports: [
          { port: 9000, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
      },
    ]);
    // AND the worker gets no allow policy (default-deny covers it); egress stays open
    expect(find(production.objects, 'NetworkPolicy', 'allow-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
  });

  test('callers narrow a service to its own pods and the named ones, across environments by namespace', () => {
    // GIVEN pricing called by api and by staging's api; staging in namespace "stg"
    const rendered = renderPlatform(
      platform([service({ name: 'api' }), service({ name: 'pricing', host: undefined, port: 9000, callers: ['api'] })], {
        production: { services: { pricing: { callers: ['api', 'staging/api'] } } },
        staging: { namespace: 'stg', services: { api: { host: 'api.stg.example.com' } } },
      }),
    );
    // WHEN rendered  THEN production's allow-pricing names exactly those pods
    expect(find(env(rendered, 'production').objects, 'NetworkPolicy', 'allow-pricing').spec.ingress).toEqual([
      {
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'pricing' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'stg' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } },
        ],
        ports: [{ port: 9000, protocol: 'TCP' }],
      },
    ]);
  });

  test('egress restricted: DNS (kube-dns and NodeLocal DNSCache), the metadata server, the namespace, called peers, the CIDRs', () => {
    // GIVEN production restricting egress to a database subnet, and staging's pricing callable from production's api
    const rendered = renderPlatform(
      platform([service({ name: 'api' }), service({ name: 'pricing', host: undefined, port: 9000 })], {
        production: { egress: { allow: ['10.20.0.0/16'] } },
        staging: { services: { pricing: { callers: ['production/api'] }, api: { host: 'api.staging.example.com' } } },
      }),
    );
    // WHEN rendered  THEN production's allow-egress lists exactly those destinations
    const egress = find(env(rendered, 'production').objects, 'NetworkPolicy', 'allow-egress').spec.egress;
    const dns = [
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ];
    expect(egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: dns,
      },
      { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: dns },
      { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '169.254.169.252/32' } }], ports: [{ port: 988, protocol: 'TCP' }] },
      { to: [{ podSelector: {} }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'staging' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'pricing' } },
          },
        ],
        ports: [{ port: 9000, protocol: 'TCP' }],
      },
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] },
    ]);
    // AND staging, not restricted, keeps open egress
    expect(find(env(rendered, 'staging').objects, 'NetworkPolicy', 'allow-egress').spec.egress).toEqual([{}]);
  });

  test('networkPolicy: false renders none', () => {
    // GIVEN an environment that opts out  WHEN rendered  THEN it has no NetworkPolicy and no network-policies.yaml
    const production = env(renderPlatform(platform([service()], { production: { networkPolicy: false, layout: 'per-service' } })), 'production');
    expect(kinds(production.objects, 'NetworkPolicy')).toEqual([]);
    expect(production.files.map((f) => f.path)).not.toContain('network-policies.yaml');
  });
});
