import { Construct } from 'constructs';
import type { QuotaDeclaration } from '../declaration/types.js';
import { kube, qty } from './kube.js';
import { environmentLabels } from './labels.js';

export interface EnvironmentQuotaProps {
  readonly namespace: string;
  readonly environment: string;
  /** The environment's declared budget. */
  readonly quota: QuotaDeclaration;
}

/**
 * Defaults for containers that declare no resources (objects users add by hand, `kubectl run`): under a
 * memory or CPU quota the API server refuses pods without requests, so the LimitRange fills them in. Memory
 * request = limit (no overcommit, as berth's own containers); no CPU limit (throttling), as berth's own.
 */
export const LIMIT_RANGE_DEFAULTS = { cpuRequest: '100m', memory: '256Mi' };

/** Names of the ResourceQuota and the LimitRange (deploy's quota errors name the former). */
export const QUOTA_NAME = 'berth-quota';
export const LIMIT_RANGE_NAME = 'berth-defaults';

/**
 * An environment's budget on a shared cluster: a ResourceQuota on the sum of CPU requests (`requests.cpu`),
 * of memory requests and limits (`requests.memory`, `limits.memory`, both the declared memory) and on the
 * number of pods; and a LimitRange giving containers without resources the defaults above.
 */
export class EnvironmentQuota extends Construct {
  constructor(scope: Construct, id: string, props: EnvironmentQuotaProps) {
    super(scope, id);
    const metadata = { namespace: props.namespace, labels: environmentLabels(props.environment) };
    const q = props.quota;
    const hard: Record<string, ReturnType<typeof qty>> = {};
    if (q.cpu !== undefined) hard['requests.cpu'] = qty(q.cpu);
    if (q.memory !== undefined) Object.assign(hard, { 'requests.memory': qty(q.memory), 'limits.memory': qty(q.memory) });
    if (q.pods !== undefined) hard.pods = qty(String(q.pods));
    kube(this, 'ResourceQuota', 'ResourceQuota', { ...metadata, name: QUOTA_NAME }, { spec: { hard } });
    kube(
      this,
      'LimitRange',
      'LimitRange',
      { ...metadata, name: LIMIT_RANGE_NAME },
      {
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: { cpu: qty(LIMIT_RANGE_DEFAULTS.cpuRequest), memory: qty(LIMIT_RANGE_DEFAULTS.memory) },
              default: { memory: qty(LIMIT_RANGE_DEFAULTS.memory) },
            },
          ],
        },
      },
    );
  }
}
