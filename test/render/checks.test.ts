import type { ApiObject } from 'cdk8s';
import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { renderChart } from '../../src/render/render.js';
import { find, service } from '../helpers.js';

const chartWith = (overrides: Parameters<typeof service>[0]) =>
  new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service(overrides)] });
const objectOf = (chart: EnvironmentChart, kind: string) => chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === kind)!;

describe('render checks on StatefulSets and pod volumes', () => {
  test('a public service with storage passes: its BackendConfig matches the StatefulSet\'s readiness probe', () => {
    const rendered = renderChart('production', 'production', chartWith({ storage: { path: '/data', size: '1Gi' } }));
    expect(find(rendered.objects, 'BackendConfig', 'api').spec.healthCheck.requestPath).toBe('/healthz');
  });

  test('a StatefulSet\'s pods are held to the restricted profile like a Deployment\'s', () => {
    // GIVEN a StatefulSet whose seccomp profile is removed through an escape hatch
    const chart = chartWith({ storage: { path: '/data', size: '1Gi' } });
    objectOf(chart, 'StatefulSet').addJsonPatch(cdk8s.JsonPatch.remove('/spec/template/spec/securityContext/seccompProfile'));
    // WHEN rendered THEN the check names the StatefulSet
    expect(() => renderChart('production', 'production', chart)).toThrow(/StatefulSet "api": pod needs securityContext\.seccompProfile\.type RuntimeDefault/);
  });

  test('a hostPath volume or a root user added through an escape hatch fails', () => {
    const chart = chartWith({});
    const deployment = objectOf(chart, 'Deployment');
    deployment.addJsonPatch(cdk8s.JsonPatch.add('/spec/template/spec/volumes/-', { name: 'host', hostPath: { path: '/var/run' } }));
    deployment.addJsonPatch(cdk8s.JsonPatch.replace('/spec/template/spec/securityContext/runAsUser', 0));
    const error = (() => {
      try {
        renderChart('production', 'production', chart);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toMatch(/volume "host" of type hostPath is not allowed by Pod Security "restricted"/);
    expect(error).toMatch(/pod runs as root \(runAsUser 0\)/);
  });
});
