/**
 * The benchmark baseline's app (naive-cdk8s-plus.ts runs it): the same services built with cdk8s-plus the naive,
 * standard way. What a user writes with cdk8s-plus and nothing else: one App, one Chart per environment (namespace set,
 * resource-name hashes disabled), per service a `Deployment` + `exposeViaService`, and one shared `Ingress` with
 * `addHostDefaultBackend` for the public ones. Everything else is cdk8s-plus defaults.
 */
import { App, Chart, Size } from 'cdk8s';
import type * as Kplus27 from 'cdk8s-plus-27';

/** The cdk8s-plus module the app is built with: cdk8s-plus-27's API, which the newer lines keep for what is used here. */
export type Kplus = typeof Kplus27;

export interface ServiceDecl {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly host?: string;
  readonly health?: string;
  readonly memory?: string;
  readonly cpu?: string;
  readonly replicas?: number;
}

export interface PlatformDecl {
  readonly environments: Record<string, { readonly namespace: string }>;
  readonly services: readonly ServiceDecl[];
}

function memory(value: string): Size {
  const m = /^(\d+)(Mi|Gi)$/.exec(value);
  if (!m) throw new Error(`unsupported memory quantity: ${value}`);
  return m[2] === 'Gi' ? Size.gibibytes(Number(m[1])) : Size.mebibytes(Number(m[1]));
}

function cpu(kplus: Kplus, value: string): Kplus27.Cpu {
  const m = /^(\d+)m$/.exec(value);
  return m ? kplus.Cpu.millis(Number(m[1])) : kplus.Cpu.units(Number(value));
}

/** The app for `decl`, written to `outdir` by `app.synth()`. */
export function naiveApp(kplus: Kplus, decl: PlatformDecl, outdir: string): App {
  const app = new App({ outdir });
  for (const [envName, env] of Object.entries(decl.environments)) {
    const chart = new Chart(app, envName, { namespace: env.namespace, disableResourceNameHashes: true });
    let ingress: Kplus27.Ingress | undefined;
    for (const svc of decl.services) {
      const deployment = new kplus.Deployment(chart, svc.name, {
        replicas: svc.replicas,
        containers: [
          {
            image: svc.image,
            portNumber: svc.port,
            resources: {
              memory: svc.memory ? { request: memory(svc.memory), limit: memory(svc.memory) } : undefined,
              cpu: svc.cpu ? { request: cpu(kplus, svc.cpu) } : undefined,
            },
            readiness: svc.health ? kplus.Probe.fromHttpGet(svc.health, { port: svc.port }) : undefined,
          },
        ],
      });
      const service = deployment.exposeViaService({ ports: [{ port: 80, targetPort: svc.port }] });
      if (svc.host) {
        ingress ??= new kplus.Ingress(chart, 'ingress');
        ingress.addHostDefaultBackend(svc.host, kplus.IngressBackend.fromService(service));
      }
    }
  }
  return app;
}
