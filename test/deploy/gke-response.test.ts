/**
 * How the Cluster Manager client (`@google-cloud/container`, REST transport) decodes a GKE Cluster with the
 * protobufjs that package.json `overrides` pins (protobufjs 8; google-gax was built against 7): the values berth
 * reads, and the proto3 JSON cases a protobufjs change could alter (presence of `optional` fields, int64 beyond
 * 2^53, enums, maps, wrappers, durations, fields this client version does not know). protobufjs 7.6.6 decodes
 * this response to the same values (README "Install footprint").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClusterManagerClient } from '@google-cloud/container';
import { findCluster } from '../../src/deploy/gke.js';
import { startGkeStandin, type Standin } from '../gke-standin/server.js';
import { testAuth } from './token-source.js';

const NAME = 'projects/acme-prod/locations/europe-west1/clusters/private-dns';
const DNS = 'gke-0123456789abcdef.europe-west1.gke.goog';

/** A private cluster reachable by its DNS endpoint: public IP endpoint explicitly off, `allowExternalTraffic` unset. */
const CLUSTER = {
  name: 'private-dns',
  status: 'RUNNING',
  location: 'europe-west1',
  endpoint: '10.0.0.2',
  resourceLabels: { team: 'shop' },
  defaultMaxPodsConstraint: { maxPodsPerNode: '9007199254740993' },
  masterAuth: { clusterCaCertificate: 'Q0EK' },
  nodeConfig: { kubeletConfig: { cpuCfsQuota: false } },
  nodePools: [{ name: 'default', upgradeSettings: { blueGreenSettings: { nodePoolSoakDuration: '3600.5s' } } }],
  privateClusterConfig: { enablePrivateEndpoint: true, privateEndpoint: '10.0.0.2' },
  controlPlaneEndpointsConfig: {
    ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, privateEndpoint: '10.0.0.2' },
    dnsEndpointConfig: { endpoint: DNS },
  },
  fieldOfANewerApiVersion: { anything: 1 },
};

describe('a GKE Cluster response through the REST transport of @google-cloud/container', () => {
  let standin: Standin;
  const { auth } = testAuth(() => 'token-1');
  const api = () => ({ apiEndpoint: standin.host, port: standin.port, protocol: 'http' as const });
  beforeAll(async () => {
    standin = await startGkeStandin({ clusters: { [NAME]: CLUSTER }, acceptToken: (t) => t === 'token-1' });
  });
  afterAll(() => standin.close());

  it('berth picks the DNS endpoint: an explicit false and an unset optional field stay distinct', async () => {
    // GIVEN the cluster above, WHEN berth looks it up (default order, then asking for the private endpoint)
    const target = { project: 'acme-prod', location: 'europe-west1', cluster: 'private-dns' };
    const found = await findCluster(target, { auth, ...api() });
    const privateEp = await findCluster(target, { auth, ...api() }, 'private');

    // THEN the public endpoint is off (enablePublicEndpoint: false), the DNS one is allowed (allowExternalTraffic
    // unset, not false) and carries no CA; the private one pins the cluster CA
    expect(found).toEqual({ server: `https://${DNS}`, mode: 'dns' });
    expect(privateEp).toEqual({ server: 'https://10.0.0.2', caData: 'Q0EK', mode: 'private' });
  });

  it('decodes int64, enums, maps, wrappers, durations and presence as proto3 JSON says, and drops unknown fields', async () => {
    // GIVEN the client berth uses, WHEN it gets the cluster
    const client = new ClusterManagerClient({ fallback: true, auth: auth as never, ...api() });
    const [c] = await client.getCluster({ name: NAME }).finally(() => client.close());

    // THEN every value is the response's, in the client's object form
    expect(c.defaultMaxPodsConstraint?.maxPodsPerNode).toBe('9007199254740993');
    expect(c.status).toBe('RUNNING');
    expect(c.resourceLabels).toEqual({ team: 'shop' });
    expect(c.nodeConfig?.kubeletConfig?.cpuCfsQuota).toEqual({ value: false });
    expect(c.nodePools?.[0]?.upgradeSettings?.blueGreenSettings?.nodePoolSoakDuration).toEqual({ seconds: '3600', nanos: 500_000_000 });
    expect(c.controlPlaneEndpointsConfig?.ipEndpointsConfig?.enablePublicEndpoint).toBe(false);
    expect(c.controlPlaneEndpointsConfig?.dnsEndpointConfig).not.toHaveProperty('allowExternalTraffic');
    expect(c.masterAuth?.clusterCaCertificate).toBe('Q0EK');
    expect(c).not.toHaveProperty('fieldOfANewerApiVersion');
  });
});
