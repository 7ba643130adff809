import type { ContainerPort, Probe, ServicePort } from './k8s-types.js';
import { appProtocolOf, extraPortsOf, mainPortName, PROBE_TIMEOUT_SECONDS, servicePortOf, type ResolvedCheck } from '../declaration/probes.js';
import type { ServiceDeclaration } from '../declaration/types.js';
import { int } from './kube.js';

/** A resolved check as a Kubernetes probe: `httpGet` (path), `grpc` (gRPC health protocol) or `tcpSocket`. */
export function kubeProbe(c: ResolvedCheck | undefined): Probe | undefined {
  if (c === undefined) return undefined;
  const timing = { periodSeconds: c.periodSeconds, failureThreshold: c.failureThreshold, timeoutSeconds: PROBE_TIMEOUT_SECONDS };
  // httpGet and tcpSocket name the port; the gRPC probe takes a number only.
  const port = int(c.portName ?? c.port);
  if (c.kind === 'grpc') return { grpc: { port: c.port, service: c.grpcService }, ...timing };
  if (c.kind === 'tcp') return { tcpSocket: { port }, ...timing };
  const headers = Object.entries(c.headers).map(([name, value]) => ({ name, value }));
  return {
    httpGet: { path: c.path, port, scheme: c.scheme === 'HTTPS' ? 'HTTPS' : undefined, httpHeaders: headers.length > 0 ? headers : undefined },
    ...timing,
  };
}

/** The main container port, then the extra `ports`; none for a worker. */
export function containerPorts(s: ServiceDeclaration): ContainerPort[] | undefined {
  if (s.port === undefined) return undefined;
  return [
    { name: mainPortName(s), containerPort: s.port, protocol: 'TCP' },
    ...extraPortsOf(s).map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
  ];
}

/** The Service's ports: the main one on `servicePort` with its `appProtocol`, then the extras on their own numbers; all target named container ports. */
export function servicePorts(s: ServiceDeclaration): ServicePort[] {
  const main = mainPortName(s);
  return [
    { name: main, port: servicePortOf(s)!, targetPort: int(main), protocol: 'TCP', appProtocol: appProtocolOf(s) },
    ...extraPortsOf(s).map((p) => ({ name: p.name, port: p.port, targetPort: int(p.name), protocol: p.protocol })),
  ];
}
