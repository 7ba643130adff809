import { cdk8s } from '../../src/constructs/cjs.js';
import { EnvironmentChart } from '../../src/constructs/environment-chart.js';
import { RenderCheckError } from '../../src/render/checks.js';
import { checkPodBearing } from '../../src/render/pod-checks.js';
import { podSpecOf, POD_BEARING_KINDS } from '../../src/render/pod-spec.js';
import { renderChart } from '../../src/render/render.js';
import type { KubeObject } from '../../src/render/types.js';
import { service } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A pod spec that meets Pod Security "restricted" and berth's rules. */
function goodPod(): Json {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'main',
        image: 'registry.example.com/job:1.0.0',
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } },
      },
    ],
  };
}

const template = (pod: Json) => ({ template: { spec: pod } });
/** An object of `kind` carrying `pod` where that kind keeps its pod spec. */
function objectOf(kind: string, pod: Json): KubeObject {
  const spec = kind === 'Pod' ? pod : kind === 'CronJob' ? { schedule: '0 3 * * *', jobTemplate: { spec: template(pod) } } : template(pod);
  return { apiVersion: 'v1', kind, metadata: { name: 'thing', namespace: 'production' }, spec };
}

describe('podSpecOf', () => {
  test.each([
    ['Pod', 'spec'],
    ['Deployment', 'spec.template.spec'],
    ['StatefulSet', 'spec.template.spec'],
    ['DaemonSet', 'spec.template.spec'],
    ['ReplicaSet', 'spec.template.spec'],
    ['Job', 'spec.template.spec'],
    ['CronJob', 'spec.jobTemplate.spec.template.spec'],
  ])('%s keeps its pod spec at %s', (kind, path) => {
    // GIVEN an object of the kind WHEN its pod spec is looked up THEN it is the pod at that path
    const pod = goodPod();
    expect(podSpecOf(objectOf(kind, pod))).toEqual({ spec: pod, path });
  });

  test('other kinds have none', () => {
    expect(podSpecOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });
});

describe('every pod-bearing kind is checked', () => {
  test.each(POD_BEARING_KINDS.map((k) => [k]))('a compliant %s passes', (kind) => {
    expect(checkPodBearing(objectOf(kind, goodPod()))).toEqual([]);
  });

  const cases: [string, (pod: Json) => void, string][] = [
    [
      'privileged container',
      (p) => {
        p.containers[0].securityContext.privileged = true;
      },
      'containers[0] ("main").securityContext.privileged must not be true',
    ],
    [
      'privilege escalation',
      (p) => {
        delete p.containers[0].securityContext.allowPrivilegeEscalation;
      },
      'containers[0] ("main").securityContext.allowPrivilegeEscalation must be false',
    ],
    [
      'root',
      (p) => {
        p.securityContext.runAsUser = 0;
      },
      'securityContext.runAsUser must not be 0 (root)',
    ],
    [
      'no runAsNonRoot anywhere',
      (p) => {
        delete p.securityContext.runAsNonRoot;
      },
      'containers[0] ("main").securityContext.runAsNonRoot must be true',
    ],
    [
      'no seccomp anywhere',
      (p) => {
        delete p.securityContext.seccompProfile;
      },
      'containers[0] ("main").securityContext.seccompProfile.type must be RuntimeDefault',
    ],
    [
      'capabilities kept',
      (p) => {
        delete p.containers[0].securityContext.capabilities;
      },
      'containers[0] ("main").securityContext.capabilities.drop must include ALL',
    ],
    [
      'capability added',
      (p) => {
        p.containers[0].securityContext.capabilities.add = ['SYS_ADMIN'];
      },
      'capabilities.add "SYS_ADMIN" is not allowed',
    ],
    [
      'hostNetwork',
      (p) => {
        p.hostNetwork = true;
      },
      '.hostNetwork must not be true',
    ],
    [
      'hostPID',
      (p) => {
        p.hostPID = true;
      },
      '.hostPID must not be true',
    ],
    [
      'hostIPC',
      (p) => {
        p.hostIPC = true;
      },
      '.hostIPC must not be true',
    ],
    [
      'hostPort',
      (p) => {
        p.containers[0].ports = [{ containerPort: 80, hostPort: 80 }];
      },
      'containers[0] ("main").ports[0].hostPort 80 is not allowed',
    ],
    [
      'hostPath volume',
      (p) => {
        p.volumes = [{ name: 'docker', hostPath: { path: '/var/run' } }];
      },
      'volumes[0] ("docker"): volume type hostPath is not allowed',
    ],
    [
      'API token mounted',
      (p) => {
        delete p.automountServiceAccountToken;
      },
      '.automountServiceAccountToken must be false',
    ],
    [
      'no memory limit',
      (p) => {
        delete p.containers[0].resources.limits;
      },
      'containers[0] ("main").resources needs a memory request and limit',
    ],
    [
      'init container without memory',
      (p) => {
        p.initContainers = [{ ...p.containers[0], name: 'migrate', resources: {} }];
      },
      'initContainers[0] ("migrate").resources needs a memory request and limit',
    ],
    [
      'privileged ephemeral container',
      (p) => {
        p.ephemeralContainers = [
          { ...p.containers[0], name: 'debug', resources: undefined, securityContext: { ...p.containers[0].securityContext, privileged: true } },
        ];
      },
      'ephemeralContainers[0] ("debug").securityContext.privileged must not be true',
    ],
  ];
  test.each(POD_BEARING_KINDS.flatMap((kind) => cases.map(([what, edit, message]) => [kind, what, edit, message] as const)))(
    '%s with %s is rejected',
    (kind, _what, edit, message) => {
      // GIVEN a compliant object of the kind, broken in one place
      const pod = goodPod();
      edit(pod);
      // WHEN checked THEN the problem names the object and the field, at that kind's pod-spec path
      const path = podSpecOf(objectOf(kind, pod))!.path;
      const problems = checkPodBearing(objectOf(kind, pod));
      expect(problems.some((p) => p.startsWith(`${kind} "thing": ${path}`) && p.includes(message))).toBe(true);
    },
  );
});

describe("objects added in TypeScript are checked like berth's own", () => {
  test('a CronJob without a security context is rejected, naming the object and the field', () => {
    // GIVEN berth's chart plus a CronJob added through cdk8s with no security context
    const chart = new EnvironmentChart(new cdk8s.App(), 'production', { environment: 'production', declaration: {}, services: [service()] });
    new cdk8s.ApiObject(chart, 'report', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'production' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'registry.example.com/report:1.0.0' }] } } },
        },
      },
    });
    // WHEN rendered THEN synth stops with the CronJob's field paths
    let error: unknown;
    try {
      renderChart('production', 'production', chart);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderCheckError);
    const message = (error as Error).message;
    expect(message).toContain('CronJob "report": spec.jobTemplate.spec.template.spec.containers[0] ("report").securityContext.runAsNonRoot must be true');
    expect(message).toContain('CronJob "report": spec.jobTemplate.spec.template.spec.containers[0] ("report").resources needs a memory request and limit');
    expect(message).toContain('CronJob "report": spec.jobTemplate.spec.template.spec.automountServiceAccountToken must be false');
    expect(message).not.toContain('Deployment "api"');
  });
});
