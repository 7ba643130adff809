import type { DeclarationIssue } from './errors.js';
import {
  CHECK_KINDS,
  extraPortsOf,
  livenessOf,
  mainPortName,
  protocolOf,
  PROTOCOLS,
  readinessOf,
  sameCheck,
  servicePortOf,
  type ResolvedCheck,
} from './probes.js';
import * as r from './rules.js';
import { didYouMean, join } from './shape.js';
import type { HealthCheckDeclaration, HealthDeclaration, PortDeclaration, ServiceDeclaration, ServiceOverride } from './types.js';

/*
 * Rules of the protocol fields: protocol, backendTls, health, liveness, startupSeconds, servicePort, ports.
 * Field rules run on services and overrides; combination rules on a service as it runs in one environment.
 */

type Push = (field: string, value: unknown, res: r.RuleResult) => void;

const GRPC_SERVICE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Value rules of the protocol fields present in a service or an override; `path` points at it. */
export function checkProtocolFields(s: ServiceOverride, path: string, service: string, issues: DeclarationIssue[]): void {
  const push: Push = (field, value, res) => {
    if (res) issues.push({ path: join(path, field), service, value, message: res[0], fix: res[1] });
  };
  if (s.protocol !== undefined && s.protocol !== null && !PROTOCOLS.includes(s.protocol)) {
    const hint = didYouMean(s.protocol, PROTOCOLS);
    push('protocol', s.protocol, [
      `must be one of ${PROTOCOLS.join(', ')}`,
      hint ? `did you mean "${hint}"?` : 'write e.g. protocol: grpc (the default is http)',
    ]);
  }
  if (s.servicePort !== undefined && s.servicePort !== null) push('servicePort', s.servicePort, r.checkPort(s.servicePort));
  if (s.startupSeconds !== undefined && s.startupSeconds !== null)
    push('startupSeconds', s.startupSeconds, r.checkIntRange(s.startupSeconds, 1, 3600, 'startupSeconds: 60'));
  for (const field of ['health', 'liveness'] as const) {
    const h = s[field];
    if (h !== undefined && h !== null) checkHealth(h, field, push);
  }
  if (s.ports) checkPorts(s.ports, push);
}

function checkHealth(h: HealthDeclaration, field: string, push: Push): void {
  if (typeof h === 'string') return push(field, h, r.checkPath(h));
  const kinds = CHECK_KINDS.filter((k) => h[k] !== undefined);
  if (kinds.length === 0) push(field, shown(h), ['declares no check', 'add exactly one of path, grpc or tcp, e.g. { path: /healthz }']);
  if (kinds.length > 1) push(field, shown(h), [`declares ${kinds.join(' and ')}, but a check has exactly one kind`, `keep one of ${kinds.join(', ')}`]);
  if (h.path !== undefined) push(`${field}.path`, h.path, r.checkPath(h.path));
  checkGrpcAndTcp(h, field, push);
  if (h.port !== undefined) push(`${field}.port`, h.port, r.checkPort(h.port));
  if (h.periodSeconds !== undefined) push(`${field}.periodSeconds`, h.periodSeconds, r.checkIntRange(h.periodSeconds, 1, 300, 'periodSeconds: 10'));
  if (h.failureThreshold !== undefined)
    push(`${field}.failureThreshold`, h.failureThreshold, r.checkIntRange(h.failureThreshold, 1, 100, 'failureThreshold: 3'));
  if (h.headers !== undefined) checkHeaders(h, field, push);
}

function checkGrpcAndTcp(h: HealthCheckDeclaration, field: string, push: Push): void {
  const grpc: unknown = h.grpc;
  const tcp: unknown = h.tcp;
  if (grpc === false) push(`${field}.grpc`, false, ['declares no check', 'write grpc: true (or the gRPC service name to check), or use path or tcp']);
  if (typeof grpc === 'string' && !GRPC_SERVICE.test(grpc)) {
    push(`${field}.grpc`, grpc, [
      'is not a gRPC service name',
      'write the fully qualified service, e.g. grpc: hipstershop.CartService, or grpc: true for the whole server',
    ]);
  }
  if (tcp === false) push(`${field}.tcp`, false, ['declares no check', 'write tcp: true, or use path or grpc']);
}

function checkHeaders(h: HealthCheckDeclaration, field: string, push: Push): void {
  if (h.path === undefined) {
    push(`${field}.headers`, Object.keys(h.headers ?? {}), [
      'only apply to an HTTP path check (httpGet), and this check has no path',
      'remove headers, or check an HTTP path: { path: /healthz, headers: {...} }',
    ]);
  }
  for (const [name, value] of Object.entries(h.headers ?? {})) {
    if (!HEADER_NAME.test(name)) push(`${field}.headers.${name}`, name, ['is not an HTTP header name', 'use letters, digits and "-", e.g. Host or Cookie']);
    // The value is not echoed: a header may carry a credential.
    if (/[\r\n\0]/.test(value)) push(`${field}.headers.${name}`, '(value hidden)', ['contains a line break or NUL', 'write the header value on one line']);
    else push(`${field}.headers.${name}`, '(value hidden)', r.checkPlainEnvValue(value));
  }
}

function checkPorts(ports: readonly PortDeclaration[], push: Push): void {
  const names = new Map<string, number>();
  const numbers = new Map<string, number>();
  ports.forEach((p, i) => {
    const at = `ports[${i}]`;
    push(`${at}.name`, p.name, r.checkPortName(p.name));
    push(`${at}.port`, p.port, r.checkPort(p.port));
    const protocol: string = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      push(`${at}.protocol`, protocol, [
        'must be TCP or UDP',
        protocol.toUpperCase() === 'TCP' || protocol.toUpperCase() === 'UDP'
          ? `write it in capitals: ${protocol.toUpperCase()}`
          : 'omit it for TCP (the default), or write UDP',
      ]);
    }
    const sameName = names.get(p.name);
    if (sameName !== undefined) push(`${at}.name`, p.name, [`is already the name of ports[${sameName}]`, 'give every port a unique name']);
    else names.set(p.name, i);
    const key = `${p.port}/${protocol}`;
    const sameNumber = numbers.get(key);
    if (sameNumber !== undefined) push(`${at}.port`, p.port, [`is already declared by ports[${sameNumber}] (${protocol})`, 'declare every port once']);
    else numbers.set(key, i);
  });
}

/** A health check as shown in a message: header values hidden (a header may carry a credential). */
function shown(h: HealthDeclaration | undefined): unknown {
  if (typeof h !== 'object' || h.headers === undefined) return h;
  return { ...h, headers: Object.fromEntries(Object.keys(h.headers).map((k) => [k, '(hidden)'])) };
}

type At = (field: string, value: unknown, message: string, fix: string) => void;

/** Protocol rules across fields, on the service as it runs in one environment. */
export function checkProtocolCombination(s: ServiceDeclaration, path: string, issues: DeclarationIssue[]): void {
  const at: At = (field, value, message, fix) => issues.push({ path: join(path, field), service: s.name, value, message, fix });
  if (s.port === undefined) return checkWorker(s, at);
  const protocol = protocolOf(s);
  if (s.health === undefined && (protocol === 'http' || protocol === 'http2')) {
    at(
      'health',
      undefined,
      `is required for an ${protocol} service with a port: berth does not guess a path (one the app does not serve keeps every pod unready)`,
      'declare the path your app answers 200 on, e.g. health: /healthz (or health: { tcp: true } for a TCP check)',
    );
  }
  checkExtraPorts(s, at);
  checkHealthPorts(s, at);
  if (protocol === 'tcp') checkTcp(s, at);
  else if (s.host !== undefined) checkPublic(s, at);
  else checkTlsProbes(s, at);
  const readiness = readinessOf(s);
  const liveness = livenessOf(s);
  if (readiness && liveness && sameCheck(readiness, liveness)) {
    at(
      'liveness',
      shown(s.liveness),
      `must differ from the readiness ${readiness.kind === 'path' ? 'path' : 'check'} (an identical liveness probe restarts pods that are merely busy)`,
      'check a separate path such as "/livez", or omit liveness',
    );
  }
}

const PORT_FIELDS = ['protocol', 'backendTls', 'startupSeconds', 'servicePort', 'ports'] as const;

function checkWorker(s: ServiceDeclaration, at: At): void {
  for (const field of PORT_FIELDS) {
    if (s[field] !== undefined)
      at(field, s[field], 'only applies to a service with a port, and this one has none (a worker)', `add "port", or remove "${field}"`);
  }
}

function checkExtraPorts(s: ServiceDeclaration, at: At): void {
  const main = mainPortName(s);
  const servicePort = servicePortOf(s);
  extraPortsOf(s).forEach((p, i) => {
    if (p.name === main) at(`ports[${i}].name`, p.name, `is the name of the main port (protocol ${protocolOf(s)})`, 'choose another name, e.g. "metrics"');
    if (p.protocol !== 'TCP') return;
    if (p.port === s.port) at(`ports[${i}].port`, p.port, 'is the main port', 'declare only extra ports here; the main port is "port"');
    else if (p.port === servicePort)
      at(`ports[${i}].port`, p.port, `is already the Service port of the main port (servicePort ${servicePort})`, 'use another number, or change servicePort');
  });
}

function checkHealthPorts(s: ServiceDeclaration, at: At): void {
  const tcpPorts = [
    s.port!,
    ...extraPortsOf(s)
      .filter((p) => p.protocol === 'TCP')
      .map((p) => p.port),
  ];
  for (const field of ['health', 'liveness'] as const) {
    const h = s[field];
    if (typeof h !== 'object' || h.port === undefined || tcpPorts.includes(h.port)) continue;
    at(`${field}.port`, h.port, 'is not a TCP port of this service', `use the main port (${s.port}) or one of "ports", or add it to "ports"`);
  }
}

function checkTcp(s: ServiceDeclaration, at: At): void {
  if (s.host !== undefined) {
    at(
      'host',
      s.host,
      "is set on a tcp service, but the environment's load balancer (GKE Ingress, an HTTP(S) load balancer) only carries HTTP, HTTP/2 and gRPC",
      'remove "host" and reach the service in-cluster through its Service, or set protocol to http, http2 or grpc',
    );
  }
  if (s.backendTls !== undefined)
    at(
      'backendTls',
      s.backendTls,
      'only applies to http, http2 and grpc services (it tells the load balancer and the HTTP probes to use TLS)',
      'remove backendTls',
    );
}

/** A public service: HTTP/2 only over TLS, and a load-balancer health check that can equal the readiness probe. */
function checkPublic(s: ServiceDeclaration, at: At): void {
  const protocol = protocolOf(s);
  if ((protocol === 'http2' || protocol === 'grpc') && s.backendTls !== true) {
    at(
      'backendTls',
      s.backendTls,
      `must be true for a public ${protocol} service: GKE's load balancer speaks HTTP/2 to backends only over TLS ("HTTP/2 with SSL", ` +
        `any certificate), so a cleartext port would never be healthy`,
      `serve TLS on port ${s.port} (a self-signed certificate is enough) and set backendTls: ` +
        `true${protocol === 'grpc' ? " with health: { path: ... } answering over TLS (kubelet's gRPC probe cannot speak TLS)" : ''}; ` +
        `or remove "host" to keep the service in-cluster`,
    );
  }
  const readiness = readinessOf(s);
  if (readiness && readiness.kind !== 'path') {
    const kind = readiness.kind === 'grpc' ? 'gRPC' : 'TCP';
    const what = s.health === undefined ? `is omitted, so a ${protocol} service gets a ${kind} check` : `is a ${kind} check`;
    at(
      'health',
      shown(s.health),
      `${what}, but the load balancer health-checks a public service with an HTTP request to a path, and it must check what the readiness probe checks`,
      `declare health: { path: /healthz }${s.backendTls || protocol !== 'http' ? ' answering over TLS' : ''}; ` +
        `kubelet and the load balancer then check the same path`,
    );
  } else if (readiness && readiness.port !== s.port) {
    at(
      'health.port',
      readiness.port,
      'must be the main port for a public service: the load balancer health-checks the port it sends traffic to',
      'remove health.port',
    );
  }
  checkTlsProbes(s, at, true);
}

/** kubelet's gRPC probe speaks cleartext: it cannot check a port that serves TLS. */
function checkTlsProbes(s: ServiceDeclaration, at: At, readinessReported = false): void {
  if (s.backendTls !== true) return;
  const checks: [string, ResolvedCheck | undefined][] = [
    ['health', readinessReported ? undefined : readinessOf(s)],
    ['liveness', livenessOf(s)],
  ];
  for (const [field, c] of checks) {
    if (c?.kind !== 'grpc' || c.port !== s.port) continue;
    at(
      field,
      shown(s[field as 'health']) ?? { grpc: true },
      "is a gRPC check on the TLS port (backendTls), and kubelet's gRPC probe cannot speak TLS",
      `check an HTTP path over TLS instead, e.g. ${field}: { path: /healthz }, or a TCP connect: ${field}: { tcp: true }`,
    );
  }
}
