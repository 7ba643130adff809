/**
 * The shared part of an environment's stack: parameters (existing VPC and subnets, secret prefix, certificate),
 * the cluster with its Service Connect namespace, EC2 capacity (launch type ec2), the log group, one security
 * group for every task and the environment's ONE Application Load Balancer.
 */
import { Aws, CfnParameter, Duration, Fn, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { EcsLaunch } from './types.js';

export interface Infra {
  readonly stack: Stack;
  readonly launch: EcsLaunch;
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
  readonly capacityProvider?: ecs.AsgCapacityProvider;
  readonly taskSecurityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  /** The Secrets Manager secret named `<SecretNamePrefix><name>` (one construct per name). */
  readonly secret: (name: string) => secretsmanager.ISecret;
  /** The listener that carries the routes (HTTPS with TLS, else HTTP); undefined without public services. */
  readonly listener?: elbv2.ApplicationListener;
}

export interface InfraProps {
  readonly launch: EcsLaunch;
  /** Cloud Map namespace of Service Connect (the Kubernetes namespace). */
  readonly namespace: string;
  /** The environment has public routes (an ALB is created). */
  readonly publicRoutes: boolean;
  readonly tls: boolean;
  /** ALB idle timeout (the largest `timeoutSeconds` of the public services). */
  readonly idleTimeoutSeconds: number;
  readonly envName: string;
}

export function buildInfra(stack: Stack, props: InfraProps): Infra {
  const vpc = importedVpc(stack);
  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    defaultCloudMapNamespace: { name: props.namespace, useForServiceConnect: true, type: servicediscovery.NamespaceType.HTTP },
  });
  const taskSecurityGroup = new ec2.SecurityGroup(stack, 'TaskSecurityGroup', {
    vpc,
    description: `berth ${props.envName}: every task`,
    allowAllOutbound: true,
  });
  taskSecurityGroup.connections.allowInternally(ec2.Port.allTcp(), "Service Connect between the environment's services");
  const logGroup = new logs.LogGroup(stack, 'Logs', {
    logGroupName: `/berth/${props.envName}`,
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const secret = secretLookup(stack, props.envName);
  const capacityProvider = props.launch === 'ec2' ? ec2Capacity(stack, cluster, vpc, taskSecurityGroup) : undefined;
  const listener = props.publicRoutes ? loadBalancer(stack, vpc, taskSecurityGroup, props) : undefined;
  return { stack, launch: props.launch, vpc, cluster, capacityProvider, taskSecurityGroup, logGroup, secret, listener };
}

/** Secrets by partial ARN (the name without Secrets Manager's random suffix); ECS resolves them at task start. */
function secretLookup(stack: Stack, envName: string): (name: string) => secretsmanager.ISecret {
  const made = new Map<string, secretsmanager.ISecret>();
  let arnPrefix: string | undefined;
  return (name) => {
    arnPrefix ??= `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${
      new CfnParameter(stack, 'SecretNamePrefix', {
        type: 'String',
        default: `${envName}/`,
        description: 'Secrets Manager name prefix: secretEnv { secret: S, key: K } reads JSON key K of the secret named <prefix>S',
      }).valueAsString
    }`;
    const known = made.get(name);
    if (known) return known;
    const secret = secretsmanager.Secret.fromSecretPartialArn(stack, `Secret-${name}`, `${arnPrefix}${name}`);
    made.set(name, secret);
    return secret;
  };
}

/** An existing VPC, given as parameters (berth never creates networks: NAT gateways and routing are the account's design). */
function importedVpc(stack: Stack): ec2.IVpc {
  const vpcId = new CfnParameter(stack, 'VpcId', { type: 'AWS::EC2::VPC::Id', description: 'The VPC the environment runs in' });
  const publicSubnets = new CfnParameter(stack, 'PublicSubnetIds', {
    type: 'List<AWS::EC2::Subnet::Id>',
    description: 'Subnets of the load balancer (two or more AZs)',
  });
  const privateSubnets = new CfnParameter(stack, 'PrivateSubnetIds', {
    type: 'List<AWS::EC2::Subnet::Id>',
    description: 'Subnets of the tasks or instances (with a route to the internet for image pulls)',
  });
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: vpcId.valueAsString,
    availabilityZones: Fn.getAzs(),
    publicSubnetIds: publicSubnets.valueAsList,
    privateSubnetIds: privateSubnets.valueAsList,
  });
}

/** EC2 capacity: an Auto Scaling group of ECS-optimized instances behind a managed-scaling capacity provider. */
function ec2Capacity(stack: Stack, cluster: ecs.Cluster, vpc: ec2.IVpc, securityGroup: ec2.SecurityGroup): ecs.AsgCapacityProvider {
  const instanceType = new CfnParameter(stack, 'InstanceType', {
    type: 'String',
    default: 'm6i.large',
    description: 'EC2 instance type of the container instances',
  });
  const maxSize = new CfnParameter(stack, 'MaxInstances', { type: 'Number', default: 10, minValue: 1, description: 'Upper bound of the Auto Scaling group' });
  const launchTemplate = new ec2.LaunchTemplate(stack, 'InstanceTemplate', {
    instanceType: new ec2.InstanceType(instanceType.valueAsString),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    userData: ec2.UserData.forLinux(),
    securityGroup,
    role: new iam.Role(stack, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role')],
    }),
    requireImdsv2: true,
  });
  const group = new autoscaling.AutoScalingGroup(stack, 'Instances', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate,
    minCapacity: 0,
    maxCapacity: maxSize.valueAsNumber,
  });
  const provider = new ecs.AsgCapacityProvider(stack, 'Capacity', {
    autoScalingGroup: group,
    enableManagedTerminationProtection: false,
    enableManagedDraining: true,
    targetCapacityPercent: 100,
  });
  cluster.addAsgCapacityProvider(provider);
  return provider;
}

function loadBalancer(stack: Stack, vpc: ec2.IVpc, tasks: ec2.SecurityGroup, props: InfraProps): elbv2.ApplicationListener {
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    idleTimeout: Duration.seconds(props.idleTimeoutSeconds),
    dropInvalidHeaderFields: true,
  });
  tasks.connections.allowFrom(alb, ec2.Port.allTcp(), 'the load balancer reaches every task port (EC2: dynamic host ports)');
  const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'no route' });
  if (!props.tls) return alb.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: true, defaultAction: notFound });
  const certificate = new CfnParameter(stack, 'CertificateArn', {
    type: 'String',
    allowedPattern: '^arn:aws[a-z-]*:acm:.+',
    description: 'ACM certificate covering every public host of the environment',
  });
  alb.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: true,
    defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
  });
  return alb.addListener('Https', {
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    open: true,
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    certificates: [elbv2.ListenerCertificate.fromArn(certificate.valueAsString)],
    defaultAction: notFound,
  });
}
