import type { EnvVar } from './k8s-types.js';
import { plainEnvOrder } from '../declaration/env-refs.js';
import type { ServiceDeclaration } from '../declaration/types.js';

/**
 * The container's env list. Kubernetes expands `$(NAME)` only to variables listed EARLIER, so Secret
 * references come first (declared order), then plain values in declared order with every variable after
 * the plain variables it references. Declared key order is deterministic (YAML and object literals keep it).
 */
export function envVars(s: Pick<ServiceDeclaration, 'env' | 'secretEnv'>): EnvVar[] | undefined {
  const secret: EnvVar[] = Object.entries(s.secretEnv ?? {}).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } }));
  const env = s.env ?? {};
  const plain: EnvVar[] = plainEnvOrder(env).map((name) => ({ name, value: env[name] }));
  const all = [...secret, ...plain];
  return all.length > 0 ? all : undefined;
}
