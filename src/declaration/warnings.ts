import { effectiveServices } from './effective.js';
import { showValue } from './errors.js';
import { readinessOf } from './probes.js';
import { longRequestWarnings } from './warnings-edge.js';
import type { PlatformDeclaration, ServiceDeclaration, ServiceOverride } from './types.js';

/** Something valid but probably unintended: reported, never fatal (exit code unchanged). */
export interface DeclarationWarning {
  /** Path of the field, e.g. `services[3].image`. */
  readonly path: string;
  /** Name of the service concerned. */
  readonly service?: string;
  /** The value warned about. */
  readonly value?: unknown;
  /** What to look at, and what to do about it. */
  readonly message: string;
}

/** Every warning of a valid declaration, in declaration order, each once. */
export function collectWarnings(platform: PlatformDeclaration): DeclarationWarning[] {
  const warnings: DeclarationWarning[] = [];
  platform.services.forEach((s, i) => imageWarning(s.image, `services[${i}].image`, s.name, warnings));
  for (const [env, decl] of Object.entries(platform.environments)) {
    for (const [name, override] of Object.entries<ServiceOverride>(decl.services ?? {})) {
      if (typeof override.image === 'string') imageWarning(override.image, `environments.${env}.services.${name}.image`, name, warnings);
    }
    if (decl.tls !== undefined && decl.tls.sslPolicy === undefined) {
      warnings.push({
        path: `environments.${env}.tls.sslPolicy`,
        message:
          "is not set: HTTPS uses GCP's default SSL policy, which still accepts TLS 1.0 and 1.1 (berth cannot create a policy); " +
          'create one once with `gcloud compute ssl-policies create berth-modern --profile MODERN --min-tls-version 1.2` and set tls: { sslPolicy: ' +
          'berth-modern }',
      });
    }
    for (const e of effectiveServices(platform, env)) {
      const at = e.overridden ? `environments.${env}.services.${e.service.name}` : `services[${e.index}]`;
      checkWarnings(e.service, at, warnings);
      const own = decl.services?.[e.service.name] as Record<string, unknown> | undefined;
      longRequestWarnings(
        e.service,
        (field) => (own?.[field] !== undefined ? `environments.${env}.services.${e.service.name}` : `services[${e.index}]`),
        warnings,
      );
    }
  }
  const seen = new Set<string>();
  return warnings.filter((w) => (seen.has(`${w.path}|${w.message}`) ? false : (seen.add(`${w.path}|${w.message}`), true)));
}

/** Warnings about a service as it runs in one environment; `at` is its path. */
function checkWarnings(s: ServiceDeclaration, at: string, warnings: DeclarationWarning[]): void {
  if (s.port === undefined) {
    for (const field of ['health', 'liveness'] as const) {
      if (s[field] !== undefined)
        warnings.push({
          path: `${at}.${field}`,
          service: s.name,
          value: s[field],
          message: 'is ignored: a worker (no port) gets no probes; remove it, or add "port"',
        });
    }
    return;
  }
  const readiness = readinessOf(s);
  if (s.host === undefined || !readiness || Object.keys(readiness.headers).length === 0) return;
  warnings.push({
    path: `${at}.health.headers`,
    service: s.name,
    value: Object.keys(readiness.headers),
    message:
      `are sent by the readiness probe but not by the load balancer's health check (a BackendConfig cannot set headers); ` +
      `make ${readiness.path} answer 200 without them, or the backend stays unhealthy`,
  });
}

/** The Docker Hub reference an image resolves to when it names no registry host (`redis:7.2`), else undefined. */
export function dockerHubReference(image: string): string | undefined {
  const slash = image.indexOf('/');
  const first = slash < 0 ? undefined : image.slice(0, slash);
  if (first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost')) return undefined;
  return `docker.io/${first === undefined ? 'library/' : ''}${image}`;
}

function imageWarning(image: string, path: string, service: string, warnings: DeclarationWarning[]): void {
  const resolved = dockerHubReference(image);
  if (resolved === undefined) return;
  warnings.push({
    path,
    service,
    value: image,
    message:
      `names no registry host, so it resolves to Docker Hub (${resolved}), which rate-limits anonymous pulls; ` +
      `write "${resolved}" to make that explicit, or mirror the image into your own registry (e.g. Artifact Registry)`,
  });
}

/** `<file>: warning: <path> (service "<name>"): <value>: <message>` */
export function formatWarning(w: DeclarationWarning, file?: string): string {
  const service = w.service ? ` (service "${w.service}")` : '';
  const value = w.value !== undefined ? ` ${showValue(w.value)}:` : '';
  return `${file ? `${file}: ` : ''}warning: ${w.path}${service}:${value} ${w.message}`;
}
