/**
 * Benchmark baseline: the same services built with cdk8s-plus-27 the naive, standard way.
 *
 *   node lib/test/bench/naive-cdk8s-plus.js <platform.yaml> <outdir>
 *
 * What a user writes with cdk8s-plus-27 and nothing else: one App (outdir = <outdir>), one Chart per
 * environment (namespace set, resource-name hashes disabled), per service a `Deployment` +
 * `exposeViaService`, and one shared `Ingress` with `addHostDefaultBackend` for the public ones.
 * Everything else is cdk8s-plus defaults. `app.synth()` (validations, resolution, YAML) writes
 * `<outdir>/<environment>.k8s.yaml`, cdk8s's default layout (one file per chart).
 */
import { readFileSync } from 'node:fs';
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';

interface ServiceDecl {
  name: string;
  image: string;
  port: number;
  host?: string;
  health?: string;
  memory?: string;
  cpu?: string;
  replicas?: number;
}

interface PlatformDecl {
  environments: Record<string, { namespace: string }>;
  services: ServiceDecl[];
}

function memory(value: string): Size {
  const m = /^(\d+)(Mi|Gi)$/.exec(value);
  if (!m) throw new Error(`unsupported memory quantity: ${value}`);
  return m[2] === 'Gi' ? Size.gibibytes(Number(m[1])) : Size.mebibytes(Number(m[1]));
}

function cpu(value: string): kplus.Cpu {
  const m = /^(\d+)m$/.exec(value);
  return m ? kplus.Cpu.millis(Number(m[1])) : kplus.Cpu.units(Number(value));
}

function main(argv: string[]): void {
  const [file, outdir] = argv;
  if (!file || !outdir) {
    console.error('usage: naive-cdk8s-plus <platform.yaml> <outdir>');
    process.exit(2);
  }
  const decl = parse(readFileSync(file, 'utf8')) as PlatformDecl;

  const app = new App({ outdir });
  for (const [envName, env] of Object.entries(decl.environments)) {
    const chart = new Chart(app, envName, { namespace: env.namespace, disableResourceNameHashes: true });
    let ingress: kplus.Ingress | undefined;

    for (const svc of decl.services) {
      const deployment = new kplus.Deployment(chart, svc.name, {
        replicas: svc.replicas,
        containers: [
          {
            image: svc.image,
            portNumber: svc.port,
            resources: {
              memory: svc.memory ? { request: memory(svc.memory), limit: memory(svc.memory) } : undefined,
              cpu: svc.cpu ? { request: cpu(svc.cpu) } : undefined,
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
  app.synth();
}

main(process.argv.slice(2));
