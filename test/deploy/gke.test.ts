import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findCluster, selectEndpoint } from '../../src/deploy/gke.js';
import { publicCluster, startGkeStandin, type Standin } from '../gke-standin/server.js';
import { testAuth } from './token-source.js';

describe('selectEndpoint', () => {
  const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n').toString('base64');

  it('public cluster: endpoint IP with the cluster CA', () => {
    expect(selectEndpoint({ endpoint: '34.1.2.3', masterAuth: { clusterCaCertificate: ca } })).toEqual({
      server: 'https://34.1.2.3',
      caData: ca,
      mode: 'public',
    });
  });

  it('private cluster (legacy privateClusterConfig): private endpoint with the cluster CA', () => {
    const c = {
      endpoint: '10.0.0.2',
      privateClusterConfig: { enablePrivateEndpoint: true, privateEndpoint: '10.0.0.2' },
      masterAuth: { clusterCaCertificate: ca },
    };
    expect(selectEndpoint(c)).toEqual({ server: 'https://10.0.0.2', caData: ca, mode: 'private' });
  });

  it('public endpoint disabled: DNS endpoint, never the cluster CA', () => {
    const c = {
      endpoint: '10.0.0.2',
      masterAuth: { clusterCaCertificate: ca },
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, privateEndpoint: '10.0.0.2' },
        dnsEndpointConfig: { endpoint: 'gke-abc.europe-west1.gke.goog', allowExternalTraffic: true },
      },
    };
    expect(selectEndpoint(c)).toEqual({ server: 'https://gke-abc.europe-west1.gke.goog', mode: 'dns' });
    expect(selectEndpoint(c, 'private')).toEqual({ server: 'https://10.0.0.2', caData: ca, mode: 'private' });
  });

  it('an explicit --endpoint that the cluster lacks is an error', () => {
    expect(() => selectEndpoint({ name: 'main', endpoint: '34.1.2.3' }, 'dns')).toThrow(/no dns endpoint/);
  });

  it('DNS endpoint disallowing external traffic is skipped', () => {
    const c = {
      controlPlaneEndpointsConfig: {
        ipEndpointsConfig: { enablePublicEndpoint: false, privateEndpoint: '10.0.0.2' },
        dnsEndpointConfig: { endpoint: 'x.gke.goog', allowExternalTraffic: false },
      },
    };
    expect(selectEndpoint(c).mode).toBe('private');
  });
});

describe('findCluster against the GKE stand-in (REST transport of @google-cloud/container)', () => {
  let standin: Standin;
  const name = 'projects/acme-prod/locations/europe-west1/clusters/main';
  beforeAll(async () => {
    standin = await startGkeStandin({
      clusters: { [name]: publicCluster('main', 'https://127.0.0.1:6443', 'Q0EK') },
      acceptToken: (t) => t.startsWith('token-'),
    });
  });
  afterAll(() => standin.close());

  it('returns endpoint and CA, authenticating with the ADC token', async () => {
    let n = 0;
    const t = testAuth(() => `token-${++n}`);
    const ep = await findCluster(
      { project: 'acme-prod', location: 'europe-west1', cluster: 'main' },
      { auth: t.auth, apiEndpoint: standin.host, port: standin.port, protocol: 'http' },
    );
    expect(ep).toEqual({ server: 'https://127.0.0.1:6443', caData: 'Q0EK', mode: 'public' });
    const seen = standin.requests.at(-1)!;
    expect(seen.url).toMatch(/^\/v1\/projects\/acme-prod\/locations\/europe-west1\/clusters\/main/);
    expect(seen.authorization).toBe('Bearer token-1');
  });

  it('reports a missing cluster clearly', async () => {
    const t = testAuth(() => 'token-x');
    await expect(
      findCluster(
        { project: 'acme-prod', location: 'europe-west1', cluster: 'nope' },
        { auth: t.auth, apiEndpoint: standin.host, port: standin.port, protocol: 'http' },
      ),
    ).rejects.toThrow(/cannot get GKE cluster projects\/acme-prod\/locations\/europe-west1\/clusters\/nope/);
  });

  it('reports rejected credentials', async () => {
    const t = testAuth(() => 'bad');
    await expect(
      findCluster(
        { project: 'acme-prod', location: 'europe-west1', cluster: 'main' },
        { auth: t.auth, apiEndpoint: standin.host, port: standin.port, protocol: 'http' },
      ),
    ).rejects.toThrow(/invalid authentication/);
  });
});
