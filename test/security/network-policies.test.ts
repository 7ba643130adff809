/**
 * The NetworkPolicies of every example platform, evaluated by a real policy engine (cyclonus, built by .ci/run),
 * against the intent of the declaration: public services reachable from GKE's load balancer ranges on their serving
 * and health-check ports only, internal ports only from callers (or the environment's pods when none are declared),
 * nothing from other environments or namespaces unless declared, DNS always, the internet unless egress is restricted.
 */
import { loadPlatformFile } from '../../src/declaration/load.js';
import { renderPlatform } from '../../src/render/render.js';
import type { KubeObject, RenderedEnvironment } from '../../src/render/types.js';
import { analyze, intendedProbes, mismatches, podsOf, policiesOf, type Probe } from './connectivity.js';
import { PLATFORM_FILES } from './tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Case {
  readonly rendered: RenderedEnvironment[];
  readonly probes: Probe[];
}

function caseOf(file: string): Case {
  const platform = loadPlatformFile(file);
  const rendered = renderPlatform(platform);
  return { rendered, probes: intendedProbes(platform, podsOf(rendered)) };
}

const policy = (rendered: readonly RenderedEnvironment[], env: string, name: string): Json =>
  rendered.find((e) => e.name === env)!.objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name) as Json;

/** The policies with one of them changed by `mutate` (a deep copy; the rendering is untouched). */
function mutated(rendered: readonly RenderedEnvironment[], env: string, name: string, mutate: (p: Json) => void): KubeObject[] {
  return policiesOf(rendered).map((o) => {
    const copy = structuredClone(o) as Json;
    if (o.metadata.namespace === rendered.find((e) => e.name === env)!.namespace && o.metadata.name === name) mutate(copy);
    return copy as KubeObject;
  });
}

describe('NetworkPolicies, analyzed by cyclonus', () => {
  test.each(PLATFORM_FILES)('%s: every verdict matches the declared intent', (file) => {
    // GIVEN the platform rendered, with a pod per service and job, the LB ranges, an outsider and the DNS servers
    const { rendered, probes } = caseOf(file);
    // WHEN cyclonus evaluates every connection
    const verdicts = analyze(policiesOf(rendered), probes);
    // THEN it agrees with the declaration on each one, and both outcomes occur
    expect(mismatches(probes, verdicts)).toEqual([]);
    const allowed = verdicts.filter(Boolean).length;
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(probes.length);
    process.stdout.write(`cyclonus ${file}: ${probes.length} connections, ${allowed} allowed, ${probes.length - allowed} denied, 0 mismatches\n`);
  });

  describe('negative controls: a wrong policy makes the comparison fail', () => {
    const platform = caseOf('charts/platform.yaml');
    const check = (policies: KubeObject[]): string[] => mismatches(platform.probes, analyze(policies, platform.probes));

    test('pricing opened to every pod of staging', () => {
      // GIVEN staging's allow-pricing with its callers replaced by every pod of the namespace
      const policies = mutated(platform.rendered, 'staging', 'allow-pricing', (p) => {
        p.spec.ingress[0].from = [{ podSelector: {} }];
      });
      // WHEN analyzed  THEN web and mailer reaching pricing, and dev/api losing its declared access, are reported
      const found = check(policies);
      expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^staging\/web -> staging\/pricing:9000\/TCP: cyclonus says allowed/)]));
      expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^dev\/api -> staging\/pricing:9000\/TCP: cyclonus says denied/)]));
    });

    test('the load balancer rule dropped from a public service', () => {
      // GIVEN production's allow-web without its first rule (the LB ranges)
      expect(policy(platform.rendered, 'production', 'allow-web').spec.ingress[0].from[0].ipBlock.cidr).toBe('35.191.0.0/16');
      const policies = mutated(platform.rendered, 'production', 'allow-web', (p) => {
        p.spec.ingress.shift();
      });
      // WHEN analyzed  THEN the LB's access to web is reported missing
      expect(check(policies)).toEqual(expect.arrayContaining([expect.stringMatching(/^lb 35\.191\.7\.9 -> production\/web:3000\/TCP: cyclonus says denied/)]));
    });

    test('the egress restriction lifted, and DNS dropped', () => {
      // GIVEN the gRPC shop, whose production restricts egress
      const shop = caseOf('charts/examples/grpc-shop.yaml');
      const open = mutated(shop.rendered, 'production', 'allow-egress', (p) => {
        p.spec.egress = [{}];
      });
      const noDns = mutated(shop.rendered, 'production', 'allow-egress', (p) => {
        p.spec.egress.splice(0, 2);
      });
      // WHEN analyzed  THEN the internet reached from production, and DNS lost, are reported
      const found = [...mismatches(shop.probes, analyze(open, shop.probes)), ...mismatches(shop.probes, analyze(noDns, shop.probes))];
      expect(found).toEqual(
        expect.arrayContaining([expect.stringMatching(/^production\/frontend -> internet 203\.0\.113\.80:443\/TCP: cyclonus says allowed/)]),
      );
      expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^production\/cartservice -> kube-system\/kube-dns:53\/UDP: cyclonus says denied/)]));
    });
  });
});
