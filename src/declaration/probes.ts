import type { HealthCheckDeclaration, HealthDeclaration, ServiceDeclaration, ServiceProtocol } from './types.js';

/*
 * The protocol fields of a service resolved once, here: protocol, port names, the Service port, the
 * readiness/liveness/startup checks and what the load balancer speaks. Validation, the constructs and
 * the routes summary all read these functions, so a default lives in exactly one place.
 */

/** `protocol` when omitted. */
export const DEFAULT_PROTOCOL: ServiceProtocol = 'http';
export const PROTOCOLS: readonly ServiceProtocol[] = ['http', 'http2', 'grpc', 'tcp'];
/** Readiness: checked every 5 s, unready after 2 failures (the NEG readiness gate follows it). */
export const READINESS_TIMING = { periodSeconds: 5, failureThreshold: 2 } as const;
/** Liveness: slower and more tolerant than readiness, so a busy pod is taken out of rotation before it is restarted. */
export const LIVENESS_TIMING = { periodSeconds: 10, failureThreshold: 3 } as const;
/** Every probe's timeout. */
export const PROBE_TIMEOUT_SECONDS = 2;
/** The startup probe checks every 5 s; `startupSeconds` sets how many failures it tolerates. */
export const STARTUP_PERIOD_SECONDS = 5;

/** The main port's name in the pod and on the Service (the key of `cloud.google.com/app-protocols`). */
const MAIN_PORT_NAMES: Readonly<Record<ServiceProtocol, string>> = { http: 'http', http2: 'http2', grpc: 'grpc', tcp: 'tcp' };

/**
 * The Service port's `appProtocol`: `http`; `kubernetes.io/h2c` for cleartext HTTP/2 (the Kubernetes-defined
 * value); `grpc` (what meshes and Gateway implementations read); `https` for any port serving TLS
 * (`backendTls`: HTTP/1.1 or h2 negotiated by ALPN); none for `tcp` (opaque TCP is the default meaning).
 */
const APP_PROTOCOLS: Readonly<Record<ServiceProtocol, string | undefined>> = { http: 'http', http2: 'kubernetes.io/h2c', grpc: 'grpc', tcp: undefined };

export type CheckKind = 'path' | 'grpc' | 'tcp';
export const CHECK_KINDS: readonly CheckKind[] = ['path', 'grpc', 'tcp'];

/** A health check with every default applied. */
export interface ResolvedCheck {
  readonly kind: CheckKind;
  /** HTTP path (`path` checks). */
  readonly path?: string;
  /** Checked gRPC service (`grpc` checks naming one). */
  readonly grpcService?: string;
  /** Container port number checked. */
  readonly port: number;
  /** That port's name, when the service declares it (always, after validation). */
  readonly portName?: string;
  /** `HTTPS` for a `path` check on a port serving TLS (`backendTls`). */
  readonly scheme: 'HTTP' | 'HTTPS';
  readonly headers: Readonly<Record<string, string>>;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

/** An extra port with its default protocol. */
export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

export function protocolOf(s: ServiceDeclaration): ServiceProtocol {
  return s.protocol ?? DEFAULT_PROTOCOL;
}

export function mainPortName(s: Pick<ServiceDeclaration, 'protocol'>): string {
  return MAIN_PORT_NAMES[s.protocol ?? DEFAULT_PROTOCOL] ?? MAIN_PORT_NAMES[DEFAULT_PROTOCOL];
}

/** The Service port of the main port (`servicePort`, default `port`); undefined for a worker. */
export function servicePortOf(s: ServiceDeclaration): number | undefined {
  return s.port === undefined ? undefined : (s.servicePort ?? s.port);
}

export function extraPortsOf(s: ServiceDeclaration): ResolvedPort[] {
  return (s.ports ?? []).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' }));
}

export function appProtocolOf(s: ServiceDeclaration): string | undefined {
  return s.backendTls === true ? 'https' : APP_PROTOCOLS[protocolOf(s)];
}

/** What the GKE load balancer speaks to a public service's main port: HTTP/2 for http2 and grpc (always over TLS). */
export function loadBalancerProtocolOf(s: ServiceDeclaration): 'HTTP' | 'HTTPS' | 'HTTP2' {
  const protocol = protocolOf(s);
  if (protocol === 'http2' || protocol === 'grpc') return 'HTTP2';
  return s.backendTls === true ? 'HTTPS' : 'HTTP';
}

/** The single kind of a check in object form (the first one, if validation has not run), or undefined. */
export function checkKindOf(h: HealthCheckDeclaration): CheckKind | undefined {
  return CHECK_KINDS.find((k) => h[k] !== undefined && (h[k] as unknown) !== false);
}

/** The check a grpc/tcp service gets when `health` is omitted; http/http2 have none (they must declare one). */
export function defaultHealthOf(s: ServiceDeclaration): HealthCheckDeclaration | undefined {
  const protocol = protocolOf(s);
  if (protocol === 'grpc') return { grpc: true };
  if (protocol === 'tcp') return { tcp: true };
  return undefined;
}

/** The readiness check (also the load balancer's health check), or undefined for a worker or an undeclared one. */
export function readinessOf(s: ServiceDeclaration): ResolvedCheck | undefined {
  if (s.port === undefined) return undefined;
  const declared = s.health ?? defaultHealthOf(s);
  return declared === undefined ? undefined : resolveCheck(s, declared, READINESS_TIMING);
}

export function livenessOf(s: ServiceDeclaration): ResolvedCheck | undefined {
  return s.port === undefined || s.liveness === undefined ? undefined : resolveCheck(s, s.liveness, LIVENESS_TIMING);
}

/** The startup probe: the readiness check, tolerating failures for at least `startupSeconds`. */
export function startupOf(s: ServiceDeclaration): ResolvedCheck | undefined {
  const readiness = readinessOf(s);
  if (readiness === undefined || s.startupSeconds === undefined) return undefined;
  return { ...readiness, periodSeconds: STARTUP_PERIOD_SECONDS, failureThreshold: Math.max(1, Math.ceil(s.startupSeconds / STARTUP_PERIOD_SECONDS)) };
}

export function resolveCheck(s: ServiceDeclaration, declared: HealthDeclaration, timing: { periodSeconds: number; failureThreshold: number }): ResolvedCheck {
  const h: HealthCheckDeclaration = typeof declared === 'string' ? { path: declared } : declared;
  const port = h.port ?? s.port!;
  return {
    kind: checkKindOf(h) ?? 'path',
    path: h.path,
    grpcService: typeof h.grpc === 'string' ? h.grpc : undefined,
    port,
    portName: portNameOf(s, port),
    scheme: s.backendTls === true && port === s.port ? 'HTTPS' : 'HTTP',
    headers: h.headers ?? {},
    periodSeconds: h.periodSeconds ?? timing.periodSeconds,
    failureThreshold: h.failureThreshold ?? timing.failureThreshold,
  };
}

/** The name of a TCP container port of the service, if it declares that number. */
export function portNameOf(s: ServiceDeclaration, port: number): string | undefined {
  if (port === s.port) return mainPortName(s);
  return extraPortsOf(s).find((p) => p.port === port && p.protocol === 'TCP')?.name;
}

/** Whether two checks probe the same thing (kind, target and port), whatever their timing. */
export function sameCheck(a: ResolvedCheck, b: ResolvedCheck): boolean {
  return a.kind === b.kind && a.path === b.path && a.grpcService === b.grpcService && a.port === b.port;
}

/** A check in one cell of `routes.md`: `/healthz`, `/healthz (HTTPS)`, `gRPC health`, `TCP connect`, with a port when not the main one. */
export function describeCheck(s: ServiceDeclaration, c: ResolvedCheck | undefined): string {
  if (c === undefined) return 'none';
  const base =
    c.kind === 'path'
      ? `${c.path}${c.scheme === 'HTTPS' ? ' (HTTPS)' : ''}`
      : c.kind === 'grpc'
        ? `gRPC health${c.grpcService ? ` (${c.grpcService})` : ''}`
        : 'TCP connect';
  return c.port === s.port ? base : `${base} on port ${c.port}`;
}
