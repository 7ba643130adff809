import type { ApiObject } from 'cdk8s';
import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { renderChart } from '../../src/render/render.js';
import { find, service } from '../helpers.js';

const chartWith = (overrides: Parameters<typeof service>[0]) =>
  new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service(overrides)] });
const objectOf = (chart: EnvironmentChart, kind: string) => chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === kind)!;

describe('render checks on StatefulSets and pod volumes', () => {
  test("a public service with storage passes: its BackendConfig matches the StatefulSet's readiness probe", () => {
    const rendered = renderChart('production', 'production', chartWith({ storage: { path: '/data', size: '1Gi' } }));
    expect(find(rendered.objects, 'BackendConfig', 'api').spec.healthCheck.requestPath).toBe('/healthz');
  });

  test("a StatefulSet's pods are held to the restricted profile like a Deployment's", () => {
    // GIVEN a StatefulSet whose container may escalate privileges, through an escape hatch
    const chart = chartWith({ storage: { path: '/data', size: '1Gi' } });
    objectOf(chart, 'StatefulSet').addJsonPatch(cdk8s.JsonPatch.replace('/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', true));
    // WHEN rendered THEN the check names the StatefulSet and the field
    expect(() => renderChart('production', 'production', chart)).toThrow(
      /StatefulSet "api": spec\.template\.spec\.containers\[0\] \("api"\)\.securityContext\.allowPrivilegeEscalation must be false/,
    );
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
    expect(error).toMatch(/volumes\[\d+\] \("host"\): volume type hostPath is not allowed/);
    expect(error).toMatch(/spec\.template\.spec\.securityContext\.runAsUser must not be 0 \(root\)/);
  });
});
