import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { synth } from '../../src/cli/commands/synth.js';
import { validate } from '../../src/cli/commands/validate.js';
import { looksLikeWebsocket } from '../../src/declaration/warnings-edge.js';
import { collectWarnings } from '../../src/declaration/warnings.js';
import { captureIo, platform, service, snapshotDir, tempDir } from '../helpers.js';

describe('long-request warnings', () => {
  test('websocket-looking paths are recognised by whole segments', () => {
    for (const p of ['/ws', '/cable', '/socket.io', '/sockjs', '/app/websocket', '/hubs/signalr', '/graphql-ws', '/WS'])
      expect(looksLikeWebsocket(p)).toBe(true);
    for (const p of ['/', '/api', '/wsdl', '/news', '/cables', '/docs/sockets-guide']) expect(looksLikeWebsocket(p)).toBe(false);
  });

  test('a timeout longer than the drain budget is flagged on the service and on a route', () => {
    // GIVEN a service with a 120 s timeout and an upload route of 900 s, both over the default 30 s drain budget
    const p = platform([service({ timeoutSeconds: 120, paths: ['/api'], routes: [{ path: '/api/uploads', timeoutSeconds: 900 }] })]);
    // WHEN warnings are collected
    const warnings = collectWarnings(p);
    // THEN both are reported where they are written, with the fix
    expect(warnings.map((w) => [w.path, w.service, w.value])).toEqual([
      ['services[0].timeoutSeconds', 'api', 120],
      ['services[0].routes[0].timeoutSeconds', 'api', 900],
    ]);
    expect(warnings[1].message).toMatch(/longer than the drain budget \(drainSeconds 30\).*raise drainSeconds to 900/);
  });

  test('a drain budget that covers the timeout, or an internal service, gives no warning', () => {
    expect(collectWarnings(platform([service({ timeoutSeconds: 120, drainSeconds: 120 })]))).toEqual([]);
    expect(collectWarnings(platform([service({ host: undefined, timeoutSeconds: 600 })]))).toEqual([]);
  });

  test("the drain budget is the environment's: an override that raises it silences the warning there only", () => {
    const p = platform([service({ timeoutSeconds: 300 })], { production: { services: { api: { drainSeconds: 300 } } }, staging: {} });
    expect(collectWarnings(p).map((w) => w.path)).toEqual(['services[0].timeoutSeconds']);
  });

  test('a websocket path with the default timeout is flagged; a route or a service timeout silences it', () => {
    // GIVEN a chat service routing /cable with GKE's default 30 s timeout
    const warnings = collectWarnings(platform([service({ paths: ['/', '/cable'] })]));
    // THEN the path is reported, explaining that the timeout is the connection's lifetime
    expect(warnings).toEqual([expect.objectContaining({ path: 'services[0].paths[1]', service: 'api', value: '/cable' })]);
    expect(warnings[0].message).toMatch(/websocket's whole lifetime, not an idle timeout.*routes?.*\/cable, timeoutSeconds: 3600/);
    // AND a route with its own timeout (under the drain budget) or a service timeout is fine
    expect(collectWarnings(platform([service({ paths: ['/', '/cable'], drainSeconds: 3600, routes: [{ path: '/cable', timeoutSeconds: 3600 }] })]))).toEqual(
      [],
    );
    expect(collectWarnings(platform([service({ paths: ['/ws'], timeoutSeconds: 25 })]))).toEqual([]);
  });

  test('a websocket route without a timeout of its own inherits the default and is flagged', () => {
    const warnings = collectWarnings(platform([service({ routes: [{ path: '/socket.io' }] })]));
    expect(warnings.map((w) => w.path)).toEqual(['services[0].routes[0].path']);
  });

  describe('CLI', () => {
    // GIVEN a valid declaration with a 900 s upload route and the default drain budget
    const root = tempDir();
    writeFileSync(
      join(root, 'platform.yaml'),
      stringify({
        environments: { production: {} },
        services: [
          {
            name: 'api',
            image: 'registry.example.com/api:1.4.2',
            port: 8000,
            host: 'api.example.com',
            health: '/healthz',
            memory: '512Mi',
            cpu: '250m',
            paths: ['/', '/ws'],
            routes: [{ path: '/uploads', timeoutSeconds: 900 }],
          },
        ],
      }),
    );

    test('validate prints both warnings and exits 0', async () => {
      const io = captureIo(root);
      expect(await validate(['--file', 'platform.yaml'], io)).toBe(0);
      expect(io.err()).toMatch(/warning: services\[0\]\.routes\[0\]\.timeoutSeconds \(service "api"\): 900: is longer than the drain budget/);
      expect(io.err()).toMatch(/warning: services\[0\]\.paths\[1\] \(service "api"\): "\/ws": looks like a websocket endpoint/);
    });

    test('synth prints them too and still writes the rendering', async () => {
      const io = captureIo(root);
      expect(await synth(['--file', 'platform.yaml', '--out', 'out', '--quiet'], io)).toBe(0);
      expect(io.err()).toMatch(/drain budget/);
      expect(snapshotDir(join(root, 'out', 'production'))['resources.yaml']).toMatch(/^kind: Deployment\nmetadata:\n(?: .*\n)*? {2}name: api\n/m);
    });
  });
});

describe('SSL policy warning', () => {
  test('TLS without an SSL policy is flagged on the environment (GCP default still accepts TLS 1.0); a policy silences it', () => {
    // GIVEN production with TLS and no policy, staging with TLS and a policy, dev without TLS
    const p = platform([service()], {
      production: { namespace: 'production', tls: { managed: true } },
      staging: { namespace: 'staging', tls: { managed: true, sslPolicy: 'berth-modern' }, services: { api: { host: 'staging.api.example.com' } } },
      dev: { namespace: 'dev', services: { api: { host: 'dev.api.example.com' } } },
    });
    // WHEN warnings are collected
    const warnings = collectWarnings(p).filter((w) => w.path.endsWith('.tls.sslPolicy'));
    // THEN only production is flagged, with the gcloud command and the field to set
    expect(warnings.map((w) => w.path)).toEqual(['environments.production.tls.sslPolicy']);
    expect(warnings[0].message).toMatch(
      /TLS 1\.0.*gcloud compute ssl-policies create berth-modern --profile MODERN --min-tls-version 1\.2.*sslPolicy: berth-modern/,
    );
  });
});
