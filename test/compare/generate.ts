/** A deterministic platform of `n` services with varied requests and replicas, for the packing e2e test and benchmark. */
import type { PlatformDeclaration, ServiceDeclaration } from '../../src/declaration/types.js';

const MEMORY = ['128Mi', '256Mi', '384Mi', '512Mi', '768Mi', '1Gi', '1536Mi', '2Gi', '3Gi'];
const CPU = ['50m', '100m', '250m', '500m', '100m', '750m', '1', '250m'];

export function variedPlatform(n: number, namespace = 'production'): PlatformDeclaration {
  const services: ServiceDeclaration[] = Array.from({ length: n }, (_, k) => ({
    name: `svc-${String(k + 1).padStart(4, '0')}`,
    image: `registry.example.com/svc-${k + 1}:1.0.0`,
    port: 8000,
    ...(k % 10 === 0 ? { host: `svc-${k + 1}.example.com` } : {}),
    health: '/healthz',
    memory: MEMORY[(k * 7) % MEMORY.length],
    cpu: CPU[(k * 5) % CPU.length],
    replicas: 1 + (k % 3),
  }));
  return { environments: { production: { namespace } }, services };
}
