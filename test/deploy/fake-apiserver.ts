/**
 * A tiny in-memory stand-in for kube-apiserver, just enough for unit-testing the deploy pipeline's logic
 * (apply/dry-run/list/delete, missing namespaces, resourceVersions, instant Deployment rollouts, StatefulSet
 * rollouts that finish one LIST after the apply).
 * The e2e suites use the real control plane.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FakeApiServer {
  readonly url: string;
  readonly store: Map<string, Obj>;
  readonly log: { method: string; path: string; dryRun: boolean }[];
  /** Reject applies whose body contains this field path (simulates strict field validation). */
  rejectField?: string;
  close(): Promise<void>;
}

function nsOf(path: string): string | undefined {
  return /\/namespaces\/([^/]+)\/[^/]+/.exec(path)?.[1];
}

/** A StatefulSet's status after its controller finished the rollout. */
function rollOut(o: Obj): void {
  const n = o.spec?.replicas ?? 1;
  o.status = { ...o.status, readyReplicas: n, availableReplicas: n, updatedReplicas: n, currentRevision: o.status?.updateRevision };
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  const store = new Map<string, Obj>();
  const log: FakeApiServer['log'] = [];
  let rv = 1;
  const fake: FakeApiServer = { url: '', store, log, close: async () => undefined };
  const send = (res: http.ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: http.ServerResponse, what: string) => send(res, 404, { kind: 'Status', message: `${what} not found`, reason: 'NotFound', code: 404 });
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const path = url.pathname;
      const dryRun = url.searchParams.get('dryRun') === 'All';
      log.push({ method: req.method!, path, dryRun });
      if (req.method === 'GET') {
        if (store.has(path)) return send(res, 200, store.get(path));
        const sel = url.searchParams.get('labelSelector')?.split('=');
        const items = [...store.entries()]
          .filter(([p]) => p.startsWith(path + '/') && !p.slice(path.length + 1).includes('/'))
          .map(([, o]) => o)
          .filter((o) => !sel || o.metadata.labels?.[sel[0]] === sel[1]);
        if (/\/[a-z]+$/.test(path) && !/\/namespaces\/[^/]+$/.test(path)) {
          send(res, 200, { items, metadata: {} });
          // StatefulSets roll out one LIST after they were applied, so a waiter sees them progress first.
          if (path.endsWith('/statefulsets')) for (const o of items) rollOut(o);
          return;
        }
        return notFound(res, path);
      }
      if (req.method === 'DELETE') {
        if (!store.delete(path)) return notFound(res, path);
        return send(res, 200, {});
      }
      if (req.method === 'POST') {
        // create (the deploy lease): 409 when it exists
        const body = JSON.parse(text) as Obj;
        const at = `${path}/${body.metadata.name}`;
        if (store.has(at)) return send(res, 409, { kind: 'Status', message: 'already exists', reason: 'AlreadyExists', code: 409 });
        const next = { ...body, metadata: { ...body.metadata, uid: `uid-${rv}`, resourceVersion: String(++rv) } };
        if (!dryRun) store.set(at, next);
        return send(res, 201, next);
      }
      if (req.method === 'PUT') {
        // replace with optimistic concurrency (resourceVersion must match)
        const body = JSON.parse(text) as Obj;
        const old = store.get(path);
        if (!old) return notFound(res, path);
        if (body.metadata.resourceVersion !== old.metadata.resourceVersion)
          return send(res, 409, { kind: 'Status', message: 'the object has been modified', reason: 'Conflict', code: 409 });
        const next = { ...body, metadata: { ...body.metadata, uid: old.metadata.uid, resourceVersion: String(++rv) } };
        store.set(path, next);
        return send(res, 200, next);
      }
      if (req.method === 'PATCH') {
        const body = JSON.parse(text) as Obj;
        const ns = nsOf(path);
        if (fake.rejectField && JSON.stringify(body).includes(`"${fake.rejectField}"`)) {
          return send(res, 400, { kind: 'Status', message: `strict decoding error: unknown field "${fake.rejectField}"`, reason: 'BadRequest', code: 400 });
        }
        if (ns && !path.startsWith('/api/v1/namespaces/' + ns + '/') === false && !store.has(`/api/v1/namespaces/${ns}`)) {
          return send(res, 404, { kind: 'Status', message: `namespaces "${ns}" not found`, reason: 'NotFound', code: 404 });
        }
        const old = store.get(path);
        const next: Obj = {
          ...body,
          metadata: {
            ...body.metadata,
            uid: old?.metadata.uid ?? `uid-${rv}`,
            resourceVersion: old?.metadata.resourceVersion,
            generation: old?.metadata.generation ?? 1,
          },
        };
        const changed =
          !old ||
          JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: 0 }, status: undefined }) !==
            JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: 0 }, status: undefined });
        if (changed) {
          next.metadata.resourceVersion = String(++rv);
          if (old) next.metadata.generation = old.metadata.generation + 1;
        }
        if (body.kind === 'Deployment') {
          const n = body.spec?.replicas ?? 1;
          next.status = { observedGeneration: next.metadata.generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n };
        }
        if (body.kind === 'StatefulSet') {
          const n = body.spec?.replicas ?? 1;
          next.status = {
            observedGeneration: next.metadata.generation,
            replicas: n,
            readyReplicas: 0,
            availableReplicas: 0,
            updatedReplicas: 0,
            currentRevision: 'r0',
            updateRevision: `r${next.metadata.generation}`,
          };
        }
        if (body.kind === 'Job' && !old) {
          // plays the Job controller: done at once; an image containing "berth-test-fail" fails
          const fails = JSON.stringify(body.spec?.template ?? {}).includes('berth-test-fail');
          next.status = fails
            ? {
                failed: 1,
                conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }],
              }
            : { succeeded: 1, completionTime: '2026-12-01T00:00:00Z', conditions: [{ type: 'Complete', status: 'True' }] };
        } else if (body.kind === 'Job') next.status = old!.status;
        if (!dryRun) store.set(path, next);
        return send(res, 200, next);
      }
      send(res, 405, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  (fake as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return fake;
}
