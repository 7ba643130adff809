import { estimateUrlMapBytes, gcePathRules, normalizePath, routesOf, samePath } from '../../src/declaration/routing.js';
import { isUnder } from '../../src/declaration/env-knobs.js';
import { service } from '../helpers.js';

describe('paths as GKE reads them', () => {
  test('a trailing slash does not make another Prefix route', () => {
    expect(normalizePath('/api/')).toBe('/api');
    expect(normalizePath('/api//')).toBe('/api');
    expect(normalizePath('/')).toBe('/');
    expect(samePath('/api', '/api/')).toBe(true);
    expect(samePath('/api', '/apis')).toBe(false);
  });

  test('ingress-gce emits two path rules per Prefix path, one for "/"', () => {
    expect(gcePathRules('/api')).toEqual(['/api', '/api/*']);
    expect(gcePathRules('/api/')).toEqual(['/api', '/api/*']);
    expect(gcePathRules('/')).toEqual(['/*']);
  });

  test('the URL-map estimate counts both rules of a Prefix path', () => {
    // GIVEN one host with "/" and one with "/api"
    const root = estimateUrlMapBytes(routesOf([service({ host: 'a.example.com' })]));
    const api = estimateUrlMapBytes(routesOf([service({ host: 'a.example.com', paths: ['/api'] })]));
    // THEN the host costs the same and "/api" costs "/api" + "/api/*" against "/*"
    expect(api - root).toBe('/api'.length + 24 + '/api/*'.length + 24 - ('/*'.length + 24));
  });

  test('a route declared with a trailing slash replaces the equal path of the service', () => {
    // GIVEN paths ["/v1"] and a route "/v1/" with its own timeout
    const routes = routesOf([service({ paths: ['/v1'], routes: [{ path: '/v1/', timeoutSeconds: 60 }] })]);
    // THEN only the route's own Service serves it (no second, shadowed rule for the service)
    expect(routes.map((r) => [r.path, r.backend])).toEqual([['/v1/', 'api-r1']]);
  });

  test('a route sits under a path whatever their trailing slashes', () => {
    expect(isUnder('/v1', '/v1/')).toBe(true);
    expect(isUnder('/v1/', '/v1')).toBe(true);
    expect(isUnder('/v1/uploads/', '/v1/')).toBe(true);
    expect(isUnder('/v10', '/v1/')).toBe(false);
    expect(isUnder('/anything', '/')).toBe(true);
  });
});
