/**
 * The dated, sourced price table berth ships (on-demand, Linux, USD, list). From /work notes "ECS comparison" §9;
 * tags: P = vendor page, S = third-party source, E = berth's own estimate. S and E are labelled in the report.
 * Override with `berth compare --prices prices.json` (see prices-file.ts): every key below must be given.
 */

export type SourceTag = 'P' | 'S' | 'E';

export interface PriceInfo {
  readonly value: number;
  readonly unit: string;
  readonly region: string;
  readonly source: string;
  readonly date: string;
  readonly tag: SourceTag;
}

export const PRICE_KEYS = [
  'gke.clusterHour',
  'gke.freeCreditMonth',
  'autopilot.vcpuHour',
  'autopilot.gibHour',
  'gce.e2-standard-2',
  'gce.e2-standard-4',
  'gce.e2-standard-8',
  'gce.n2-standard-4',
  'gce.pdBalancedGbMonth',
  'gcp.forwardingRuleHour',
  'gcp.lbDataGib',
  'ecs.controlPlaneHour',
  'fargate.vcpuHour',
  'fargate.gbHour',
  'ec2.t3.medium',
  'ec2.m5.large',
  'ec2.m6i.large',
  'ec2.m5.xlarge',
  'aws.albHour',
  'aws.albLcuHour',
  'aws.ebsGp3GbMonth',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];
export type PriceTable = Readonly<Record<PriceKey, PriceInfo>>;

const CYCLENERD = 'https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/fd66b26/pricing.yml';
const GKE_PRICING = 'https://cloud.google.com/kubernetes-engine/pricing';
const LB_PRICING = 'https://cloud.google.com/load-balancing/pricing';
const FARGATE = 'https://www.vantage.sh/blog/fargate-pricing (rechecked 2026-06-17: https://www.factualminds.com/blog/amazon-fargate-ecs-task-pricing-2026/)';
const M5 = 'https://github.com/ctaminian/aws-cost-estimator/blob/HEAD/pricing.py';

const p = (value: number, unit: string, region: string, tag: SourceTag, source: string, date: string): PriceInfo => ({
  value,
  unit,
  region,
  tag,
  source,
  date,
});

/** Date of the table as a whole: the most recent source consulted. */
export const DEFAULT_PRICES_DATE = '2026-07-30';

export const DEFAULT_PRICES: PriceTable = {
  'gke.clusterHour': p(0.1, 'USD/cluster-hour', 'all', 'P', GKE_PRICING, '2026-07-30'),
  'gke.freeCreditMonth': p(74.4, 'USD/month credit (one zonal Standard or one Autopilot cluster)', 'all', 'P', GKE_PRICING, '2026-07-30'),
  'autopilot.vcpuHour': p(
    0.0445,
    'USD/vCPU-hour',
    'us-central1',
    'S',
    'https://toolstac.com/tool/gke-enterprise/enterprise-transition-guide (undated)',
    'undated',
  ),
  'autopilot.gibHour': p(
    0.0049225,
    'USD/GiB-hour',
    'us-central1',
    'S',
    'https://toolstac.com/tool/gke-enterprise/enterprise-transition-guide (undated)',
    'undated',
  ),
  'gce.e2-standard-2': p(0.06701, 'USD/node-hour', 'us-central1', 'S', CYCLENERD, '2026-07-30'),
  'gce.e2-standard-4': p(0.13402, 'USD/node-hour', 'us-central1', 'S', CYCLENERD, '2026-07-30'),
  'gce.e2-standard-8': p(
    0.26804,
    'USD/node-hour',
    'us-central1',
    'E',
    `2 × e2-standard-4 (e2 is priced linearly per vCPU and GiB), ${CYCLENERD}`,
    '2026-07-30',
  ),
  'gce.n2-standard-4': p(0.19424, 'USD/node-hour', 'us-central1', 'S', `${CYCLENERD} (no sustained-use discount applied)`, '2026-07-30'),
  'gce.pdBalancedGbMonth': p(0.1, 'USD/GB-month', 'us-central1', 'S', CYCLENERD, '2026-07-30'),
  'gcp.forwardingRuleHour': p(0.025, 'USD/rule-hour (first 5 rules)', 'all', 'P', LB_PRICING, '2026-07-30'),
  'gcp.lbDataGib': p(0.008, 'USD/GiB processed', 'us-central1', 'P', LB_PRICING, '2026-07-30'),
  'ecs.controlPlaneHour': p(
    0,
    'USD/cluster-hour',
    'all',
    'S',
    'https://spot.io/resources/aws-pricing/aws-ecs-pricing-3-pricing-models-and-5-cost-saving-tips/',
    'undated',
  ),
  'fargate.vcpuHour': p(0.04048, 'USD/vCPU-hour (x86)', 'us-east-1', 'S', FARGATE, '2026-06-17'),
  'fargate.gbHour': p(0.004445, 'USD/GB-hour (x86)', 'us-east-1', 'S', FARGATE, '2026-06-17'),
  'ec2.t3.medium': p(0.0416, 'USD/instance-hour', 'us-east-1', 'S', 'https://hacecuentas.com/en/costo-servidor-cloud-aws-ec2-mensual', '2026-04-17'),
  'ec2.m5.large': p(0.096, 'USD/instance-hour', 'us-east-1', 'S', `${M5} (verify)`, 'undated'),
  'ec2.m6i.large': p(0.096, 'USD/instance-hour', 'us-east-1', 'E', 'assumed equal to m5.large; verify', 'undated'),
  'ec2.m5.xlarge': p(0.192, 'USD/instance-hour', 'us-east-1', 'E', `2 × m5.large (${M5})`, 'undated'),
  'aws.albHour': p(0.0225, 'USD/ALB-hour', 'us-east-1', 'S', 'https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/', '2026-05-08'),
  'aws.albLcuHour': p(0.008, 'USD/LCU-hour', 'us-east-1', 'S', 'https://cloud-horizons.com/blog/alb-the-line-item-nobody-watches/', '2026-05-08'),
  'aws.ebsGp3GbMonth': p(
    0.08,
    'USD/GB-month',
    'us-east-1',
    'S',
    'https://menuvis1-blip.github.io/autonomous-researcher/aws/architecture/storage/2026/02/24/amazon-ebs.html',
    '2026-02-24',
  ),
};

/** The numbers alone, as a prices file holds them. */
export function priceValues(table: PriceTable): Record<PriceKey, number> {
  return Object.fromEntries(PRICE_KEYS.map((k) => [k, table[k].value])) as Record<PriceKey, number>;
}
