/**
 * Long requests at the load balancer. GKE's backend timeout (BackendConfig `timeoutSec`) is how long the load balancer
 * waits for a whole response; for a websocket it is the connection's lifetime (the connection is closed when it
 * expires, idle or not). A rollout gives a terminating pod only its drain budget, so longer requests are cut.
 */
import { DEFAULT_DRAIN_SECONDS } from './knobs.js';
import type { ServiceDeclaration } from './types.js';
import type { DeclarationWarning } from './warnings.js';

/** The load balancer's backend timeout when a service declares none (GKE's default, which berth writes explicitly). */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** Path segments that name a websocket endpoint (Action Cable, Socket.IO, SockJS, SignalR, graphql-ws, plain ws). */
const WEBSOCKET_SEGMENTS = new Set(['ws', 'wss', 'websocket', 'websockets', 'cable', 'socket', 'sockets', 'socket.io', 'sockjs', 'signalr', 'graphql-ws']);

/** True when a routed path looks like a websocket endpoint (`/ws`, `/cable`, `/socket.io`, `/app/websocket`…). */
export function looksLikeWebsocket(path: string): boolean {
  return path
    .toLowerCase()
    .split('/')
    .some((segment) => WEBSOCKET_SEGMENTS.has(segment));
}

/**
 * Warnings about long requests of a public service as it runs in one environment; `at(field)` is the path of the
 * service or override that declares `field` (so an inherited value is reported once, where it is written).
 */
export function longRequestWarnings(s: ServiceDeclaration, at: (field: string) => string, warnings: DeclarationWarning[]): void {
  if (s.host === undefined || s.port === undefined) return;
  const drain = s.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
  const timeouts: [string, number | undefined][] = [
    [`${at('timeoutSeconds')}.timeoutSeconds`, s.timeoutSeconds],
    ...(s.routes ?? []).map((r, i): [string, number | undefined] => [`${at('routes')}.routes[${i}].timeoutSeconds`, r.timeoutSeconds]),
  ];
  for (const [path, timeout] of timeouts) {
    if (timeout === undefined || timeout <= drain) continue;
    warnings.push({
      path,
      service: s.name,
      value: timeout,
      message:
        `is longer than the drain budget (drainSeconds ${drain}): a stopping pod gets ${drain} s of connection draining, ` +
        `so a request (or websocket) still running after that is cut on every rollout, scale-in or node drain; ` +
        `raise drainSeconds to ${Math.min(timeout, 3600)} (drainSleepSeconds keeps the preStop sleep short), or keep requests under ${drain} s`,
    });
  }
  const routed = (s.routes ?? []).map((r, i): [string, string, number | undefined] => [`${at('routes')}.routes[${i}].path`, r.path, r.timeoutSeconds]);
  const paths = (s.paths ?? [])
    .map((p, i): [string, string, number | undefined] => [`${at('paths')}.paths[${i}]`, p, undefined])
    .filter(([, p]) => !routed.some(([, r]) => r === p));
  for (const [path, p, own] of [...paths, ...routed]) {
    if (!looksLikeWebsocket(p) || (own ?? s.timeoutSeconds) !== undefined) continue;
    warnings.push({
      path,
      service: s.name,
      value: p,
      message:
        `looks like a websocket endpoint, and GKE's backend timeout (default ${DEFAULT_TIMEOUT_SECONDS} s) is a websocket's whole lifetime, ` +
        `not an idle timeout: the load balancer closes it ${DEFAULT_TIMEOUT_SECONDS} s after it opens; declare a route { path: ${p}, ` +
        `timeoutSeconds: 3600 } (or timeoutSeconds on the service) and make clients reconnect`,
    });
  }
}
