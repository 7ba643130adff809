import type { ApiObject } from 'cdk8s';
import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { renderChart } from '../../src/render/render.js';
import { service } from '../helpers.js';

const SHIPPER = { name: 'log-shipper', image: 'registry.example.com/shipper:2.1.0', memory: '64Mi' };

const deploymentOf = (chart: EnvironmentChart): ApiObject =>
  chart.node.findAll().find((c): c is ApiObject => c instanceof cdk8s.ApiObject && c.kind === 'Deployment')!;

const chartWith = (sidecars = [SHIPPER]) =>
  new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service({ sidecars })] });

describe('render checks on init containers and native sidecars', () => {
  test('the rendered sidecars pass', () => {
    expect(() => renderChart('production', 'production', chartWith())).not.toThrow();
  });

  test('a sidecar added through an escape hatch without a security context or memory is caught', () => {
    // GIVEN a chart whose Deployment gets an extra native sidecar through a JSON patch
    const chart = chartWith();
    deploymentOf(chart).addJsonPatch(
      cdk8s.JsonPatch.add('/spec/template/spec/initContainers/-', { name: 'debug', image: 'busybox:1.36', restartPolicy: 'Always' }),
    );
    // WHEN rendered THEN every missing guarantee is named, for that container
    const render = () => renderChart('production', 'production', chart);
    expect(render).toThrow(/Deployment "api": spec\.template\.spec\.initContainers\[1\] \("debug"\)\.securityContext\.capabilities\.drop must include ALL/);
    expect(render).toThrow(/\("debug"\)\.securityContext\.allowPrivilegeEscalation must be false/);
    expect(render).toThrow(/\("debug"\)\.securityContext\.readOnlyRootFilesystem must be true/);
    expect(render).toThrow(/\("debug"\)\.resources needs a memory request and limit/);
    expect(render).not.toThrow(/"log-shipper"/);
  });

  test('a berth sidecar loosened by a patch (privilege escalation, no memory limit) is caught', () => {
    const chart = chartWith();
    deploymentOf(chart).addJsonPatch(
      cdk8s.JsonPatch.replace('/spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation', true),
      cdk8s.JsonPatch.remove('/spec/template/spec/initContainers/0/resources/limits/memory'),
    );
    const render = () => renderChart('production', 'production', chart);
    expect(render).toThrow(/\("log-shipper"\)\.securityContext\.allowPrivilegeEscalation must be false/);
    expect(render).toThrow(/\("log-shipper"\)\.resources needs a memory request and limit/);
  });

  test('a plain (run-to-completion) init container is held to the same rules', () => {
    const chart = chartWith();
    deploymentOf(chart).addJsonPatch(
      cdk8s.JsonPatch.add('/spec/template/spec/initContainers/-', {
        name: 'migrate',
        image: 'registry.example.com/api:1.4.2',
        securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['CAP_ALL'] } },
        resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } },
      }),
    );
    expect(() => renderChart('production', 'production', chart)).toThrow(
      /initContainers\[1\] \("migrate"\)\.securityContext\.capabilities\.drop must include ALL/,
    );
  });
});
