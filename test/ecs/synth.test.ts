import { resolve } from 'node:path';
import { loadPlatformFile } from '../../src/declaration/load.js';
import type { PlatformDeclaration } from '../../src/declaration/types.js';
import { EcsInputError } from '../../src/ecs/errors.js';
import { synthEcs } from '../../src/ecs/synth.js';
import { packageRoot } from '../../src/cli/platform-file.js';
import { platform, service } from '../helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = packageRoot();
const example = (f: string): PlatformDeclaration => loadPlatformFile(resolve(root, f));
const resources = (t: object, type: string): Json[] => Object.values<Json>((t as Json).Resources).filter((r) => r.Type === type);
const taskOf = (t: object, family: string): Json => resources(t, 'AWS::ECS::TaskDefinition').find((r) => r.Properties.Family === family)!.Properties;
const serviceOf = (t: object, name: string): Json => resources(t, 'AWS::ECS::Service').find((r) => r.Properties.ServiceName === name)!.Properties;

describe('synthEcs', () => {
  const shopEc2 = synthEcs(example('charts/examples/grpc-shop.yaml'), 'production', { launch: 'ec2' });
  const companyFargate = synthEcs(example('charts/examples/python-company.yaml'), 'production', { launch: 'fargate' });
  const acmeEc2 = synthEcs(example('charts/platform.yaml'), 'production', { launch: 'ec2' });

  it('maps memory request, limit and CPU to the container; EC2 uses bridge and dynamic host ports', () => {
    // GIVEN billing (512Mi request, 768Mi limit, 200m) WHEN synthesized for EC2 THEN reservation/limit/units and hostPort 0
    const task = taskOf(acmeEc2.template, 'production-billing');
    const app = task.ContainerDefinitions[0];
    expect(task.NetworkMode).toBe('bridge');
    expect(app).toMatchObject({ Name: 'billing', MemoryReservation: 512, Memory: 768, Cpu: 205, ReadonlyRootFilesystem: true, User: '10001:10001' });
    expect(app.PortMappings).toEqual([expect.objectContaining({ ContainerPort: 8080, HostPort: 0, Name: 'http', AppProtocol: 'http' })]);
    // AND at request = limit only the hard limit (ECS wants memory > memoryReservation; placement then reserves memory)
    const [api] = taskOf(acmeEc2.template, 'production-api').ContainerDefinitions;
    expect(api.Memory).toBe(512);
    expect(api.MemoryReservation).toBeUndefined();
    expect(acmeEc2.tasks.find((t) => t.service === 'billing')).toEqual({
      service: 'billing',
      cpuUnits: 205,
      memoryReservationMiB: 512,
      memoryLimitMiB: 768,
      desiredCount: 2,
    });
  });

  it('sizes Fargate tasks from the summed limits (sidecars included) and reports the waste', () => {
    // GIVEN web: app 512Mi/250m + Cloud SQL proxy 128Mi/100m WHEN Fargate THEN 512 CPU / 1024 MiB
    const task = taskOf(companyFargate.template, 'production-web');
    expect(task).toMatchObject({ NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], Cpu: '512', Memory: '1024' });
    expect(companyFargate.tasks.find((t) => t.service === 'web')!.fargate).toEqual({ cpu: 512, memoryMiB: 1024, wasteCpu: 153, wasteMemoryMiB: 384 });
  });

  it('puts every route on ONE load balancer with deterministic priorities, the most specific path first', () => {
    // GIVEN api.acme.example.com/ → api (its /v1/uploads route too) and /billing → billing
    // WHEN synthesized THEN the specific paths get lower priorities than the host's catch-all
    expect(resources(acmeEc2.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toHaveLength(1);
    const rules = resources(acmeEc2.template, 'AWS::ElasticLoadBalancingV2::ListenerRule').map((r) => r.Properties);
    const summary = rules.map((r) => [r.Priority, ...r.Conditions.map((c: Json) => (c.HostHeaderConfig ?? c.PathPatternConfig).Values.join(' '))]);
    expect(summary).toEqual([
      [10, 'acme.example.com'],
      [20, 'api.acme.example.com', '/v1/uploads /v1/uploads/*'],
      [30, 'api.acme.example.com', '/billing /billing/*'],
      [40, 'api.acme.example.com'],
      [50, 'auth.acme.example.com'],
      [60, 'www.acme.example.com'],
    ]);
  });

  it('checks target groups on the readiness path, drains for the drain budget and rolls back failed deployments', () => {
    const groups = resources(acmeEc2.template, 'AWS::ElasticLoadBalancingV2::TargetGroup').map((r) => r.Properties);
    const billing = groups.find((g) => g.HealthCheckPath === '/ready')!;
    expect(billing).toMatchObject({ Port: 8080, TargetType: 'instance', HealthCheckPort: 'traffic-port', Matcher: { HttpCode: '200-399' } });
    expect(billing.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '60' });
    expect(serviceOf(acmeEc2.template, 'billing').DeploymentConfiguration).toMatchObject({
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
  });

  it('gives a public gRPC service a GRPC target group checked with the gRPC health protocol', () => {
    // GIVEN a public grpc service with backendTls in an environment with TLS
    const p = platform([service({ name: 'greeter', protocol: 'grpc', backendTls: true, health: undefined, port: 50051 })], { production: { tls: {} } });
    const t = synthEcs(p, 'production', { launch: 'fargate' }).template;
    const [group] = resources(t, 'AWS::ElasticLoadBalancingV2::TargetGroup').map((r) => r.Properties);
    expect(group).toMatchObject({
      ProtocolVersion: 'GRPC',
      Protocol: 'HTTPS',
      TargetType: 'ip',
      HealthCheckPath: '/grpc.health.v1.Health/Check',
      Matcher: { GrpcCode: '0' },
    });
  });

  it('does not route a public gRPC service when the environment has no HTTPS listener, and says so', () => {
    // GIVEN a public grpc service in an environment without tls WHEN synthesized THEN no target group, an unsupported entry
    const p = platform([service({ name: 'greeter', protocol: 'grpc', backendTls: true, health: undefined, port: 50051 })]);
    const r = synthEcs(p, 'production', { launch: 'ec2' });
    expect(resources(r.template, 'AWS::ElasticLoadBalancingV2::TargetGroup')).toEqual([]);
    expect(r.mapping).toContainEqual(expect.objectContaining({ feature: 'greeter: host', status: 'unsupported' }));
  });

  it('assigns the same priorities whatever the declaration order', () => {
    // GIVEN the same services declared in two orders WHEN synthesized THEN identical rules
    const a = service({ name: 'a', host: 'x.example.com', paths: ['/a'] });
    const b = service({ name: 'b', host: 'x.example.com', paths: ['/', '/b/c'] });
    const rules = (services: (typeof a)[]): unknown[] =>
      resources(synthEcs(platform(services), 'production', { launch: 'fargate' }).template, 'AWS::ElasticLoadBalancingV2::ListenerRule').map((r) => [
        r.Properties.Priority,
        JSON.stringify(r.Properties.Conditions),
      ]);
    expect(rules([a, b])).toEqual(rules([b, a]));
    expect(rules([a, b]).map((r) => (r as [number, string])[1].match(/\/[a-z/]*\*/)?.[0] ?? '/')).toEqual(['/b/c/*', '/a/*', '/']);
  });

  it('puts internal services on Service Connect under their Kubernetes name and Service port; workers are clients only', () => {
    const email = serviceOf(shopEc2.template, 'emailservice').ServiceConnectConfiguration;
    expect(email).toMatchObject({
      Enabled: true,
      Services: [{ PortName: 'grpc', DiscoveryName: 'emailservice', ClientAliases: [{ DnsName: 'emailservice', Port: 5000 }] }],
    });
    const worker = serviceOf(shopEc2.template, 'loadgenerator');
    expect(worker.ServiceConnectConfiguration.Enabled).toBe(true);
    expect(worker.ServiceConnectConfiguration.Services).toBeUndefined();
    expect(worker.LoadBalancers).toBeUndefined();
  });

  it('reads secretEnv from Secrets Manager by reference, never by value', () => {
    const [app] = taskOf(acmeEc2.template, 'production-api').ContainerDefinitions;
    expect(app.Secrets).toEqual([
      {
        Name: 'DATABASE_URL',
        ValueFrom: {
          'Fn::Join': [
            '',
            [
              expect.stringContaining('arn:'),
              { Ref: 'AWS::Partition' },
              ':secretsmanager:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':secret:',
              { Ref: 'SecretNamePrefix' },
              'api-database:url::',
            ],
          ],
        },
      },
    ]);
  });

  it('runs the Cloud SQL proxy as a container the app depends on', () => {
    const [app, proxy] = taskOf(companyFargate.template, 'production-web').ContainerDefinitions;
    expect(proxy).toMatchObject({ Name: 'cloud-sql-proxy', Essential: true, Memory: 128 });
    expect(app.DependsOn).toEqual([{ ContainerName: 'cloud-sql-proxy', Condition: 'START' }]);
  });

  it('runs cron jobs from EventBridge Scheduler and lists migrations as unsupported', () => {
    const [schedule] = resources(companyFargate.template, 'AWS::Scheduler::Schedule').map((r) => r.Properties);
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(30 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      Target: { EcsParameters: { LaunchType: 'FARGATE', TaskCount: 1 } },
    });
    expect(companyFargate.mapping).toContainEqual(expect.objectContaining({ feature: 'job migrate: beforeDeploy', status: 'unsupported' }));
    expect(companyFargate.mappingMarkdown).toMatch(/\| job migrate: beforeDeploy \|.*\| unsupported \|/);
  });

  it('redirects HTTP to an HTTPS listener with the certificate parameter when the environment has TLS', () => {
    const listeners = resources(acmeEc2.template, 'AWS::ElasticLoadBalancingV2::Listener').map((r) => r.Properties);
    expect(listeners.find((l) => l.Port === 80)!.DefaultActions[0]).toMatchObject({ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443' } });
    expect(listeners.find((l) => l.Port === 443)).toMatchObject({ Protocol: 'HTTPS', Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }] });
    const staging = synthEcs(example('charts/platform.yaml'), 'staging', { launch: 'ec2' }).template;
    expect(resources(staging, 'AWS::ElasticLoadBalancingV2::Listener').map((r) => r.Properties.Port)).toEqual([80]);
  });

  it('refuses a service larger than the largest Fargate task', () => {
    // GIVEN a 20-core service WHEN synthesized for Fargate THEN a clear input error (EC2 still works)
    const p = platform([service({ cpu: '20' })]);
    expect(() => synthEcs(p, 'production', { launch: 'fargate' })).toThrow(EcsInputError);
    expect(() => synthEcs(p, 'production', { launch: 'fargate' })).toThrow(/service "api" needs 20480 CPU units .* use --launch ec2/);
    expect(synthEcs(p, 'production', { launch: 'ec2' }).tasks[0].cpuUnits).toBe(20480);
  });

  it('is deterministic and free of CDK metadata', () => {
    const again = synthEcs(example('charts/examples/grpc-shop.yaml'), 'production', { launch: 'ec2' });
    expect(again.templateJson).toBe(shopEc2.templateJson);
    expect(shopEc2.templateJson).not.toMatch(/aws:cdk:path|CDKMetadata|BootstrapVersion|aws:asset/);
  });
});
