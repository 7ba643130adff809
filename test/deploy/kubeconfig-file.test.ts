/** berth's kubeconfig loader: kubectl's merging rules, paths relative to their file, and errors that never echo contents. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { KubeconfigError, KubeconfigShapeError } from '../../src/deploy/credential-errors.js';
import { loadKubeconfigFiles, mergeKubeconfigs, parseKubeconfig } from '../../src/deploy/kubeconfig-file.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-kubeconfig-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A kubeconfig with one cluster, user and context, all named `name`, pointing at `server`. */
function single(name: string, server: string, current?: string): string {
  return [
    ...(current ? [`current-context: ${current}`] : []),
    `clusters: [{ name: ${name}, cluster: { server: "${server}" } }]`,
    `users: [{ name: ${name}, user: { token: tok-${server.length} } }]`,
    `contexts: [{ name: ${name}, context: { cluster: ${name}, user: ${name}, namespace: ns-${name} } }]`,
  ].join('\n');
}

describe('merging several files (kubectl rules)', () => {
  it('the first file to define a name wins, and current-context comes from the first file that sets it', () => {
    // GIVEN two files both defining "shared", the second one alone setting current-context
    const a = write('merge/a.yaml', single('shared', 'https://a.example'));
    const b = write('merge/b.yaml', `${single('shared', 'https://b.example.org', 'shared')}\n`);
    const c = write('merge/c.yaml', single('other', 'https://c.example', 'other'));
    // WHEN loaded in order a, b, c
    const kc = loadKubeconfigFiles([a, b, c]);
    // THEN "shared" is a's cluster, the context is b's choice (a sets none), and c's own names are added
    expect(kc.getCurrentContext()).toBe('shared');
    expect(kc.getCurrentCluster()?.server).toBe('https://a.example');
    expect(kc.data.clusters.map((x) => x.name)).toEqual(['shared', 'other']);
    expect(kc.withContext('other').getCurrentCluster()?.server).toBe('https://c.example');
    expect(kc.getCurrentContextObject()?.namespace).toBe('ns-shared');
  });

  it('an earlier current-context is not overridden by a later file', () => {
    // GIVEN two parts that both set current-context
    const first = parseKubeconfig(single('one', 'https://1.example', 'one'), dir);
    const second = parseKubeconfig(single('two', 'https://2.example', 'two'), dir);
    // WHEN merged  THEN the first one's current-context stands
    expect(mergeKubeconfigs([first, second]).currentContext).toBe('one');
    expect(mergeKubeconfigs([second, first]).currentContext).toBe('two');
  });

  it('within one file the first entry of a name wins too', () => {
    const kc = parseKubeconfig('clusters: [{ name: x, cluster: { server: "https://first" } }, { name: x, cluster: { server: "https://second" } }]', dir);
    expect(mergeKubeconfigs([kc]).clusters).toEqual([{ name: 'x', server: 'https://first', skipTLSVerify: false }]);
  });
});

describe('paths inside a file', () => {
  it('are resolved relative to the file that names them (CA, client cert and key, tokenFile, an exec command with a /)', () => {
    // GIVEN a kubeconfig in a sub-folder naming relative files
    const file = write(
      'rel/sub/config',
      [
        'clusters: [{ name: c, cluster: { server: "https://k", certificate-authority: ca.pem } }]',
        'users:',
        '  - { name: u, user: { client-certificate: certs/u.crt, client-key: /abs/u.key, tokenFile: tok } }',
        '  - { name: p, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin, args: [x] } } }',
        '  - { name: q, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: gke-gcloud-auth-plugin } } }',
      ].join('\n'),
    );
    // WHEN loaded
    const { clusters, users } = loadKubeconfigFiles([file]).data;
    // THEN relative paths are under rel/sub, absolute ones unchanged, and a PATH-looked-up command left alone
    const sub = join(dir, 'rel', 'sub');
    expect(clusters[0].caFile).toBe(join(sub, 'ca.pem'));
    expect(users[0]).toMatchObject({ certFile: join(sub, 'certs', 'u.crt'), keyFile: '/abs/u.key', tokenFile: join(sub, 'tok') });
    expect(users[1].exec).toEqual({ apiVersion: 'client.authentication.k8s.io/v1', command: join(sub, 'bin', 'plugin'), args: ['x'] });
    expect(users[2].exec?.command).toBe('gke-gcloud-auth-plugin');
  });

  it('client-node\'s "token-file" spelling is still read as tokenFile', () => {
    expect(parseKubeconfig('users: [{ name: u, user: { token-file: t } }]', '/k').users[0].tokenFile).toBe('/k/t');
  });
});

describe('fields', () => {
  it('reads every connection field berth uses', () => {
    // GIVEN a cluster and user with every supported field
    const doc = parseKubeconfig(
      [
        'clusters: [{ name: c, cluster: { server: "https://k/", certificate-authority-data: Q0E=, insecure-skip-tls-verify: true,',
        '  tls-server-name: kubernetes, proxy-url: "http://p:3128" } }]',
        'users: [{ name: u, user: { token: t, client-certificate-data: Qw==, client-key-data: Sw==, username: ann, password: pw, as: bob,',
        '  auth-provider: { name: oidc, config: { id-token: i } } } }]',
        'contexts: [{ name: x, context: { cluster: c } }]',
      ].join('\n'),
      dir,
    );
    // THEN each is in the model (the server without its trailing slash), and a context without user has none
    expect(doc.clusters[0]).toEqual({
      name: 'c',
      server: 'https://k',
      caData: 'Q0E=',
      skipTLSVerify: true,
      tlsServerName: 'kubernetes',
      proxyUrl: 'http://p:3128',
    });
    expect(doc.users[0]).toEqual({
      name: 'u',
      token: 't',
      certData: 'Qw==',
      keyData: 'Sw==',
      username: 'ann',
      password: 'pw',
      impersonateUser: 'bob',
      authProvider: { name: 'oidc', config: { 'id-token': 'i' } },
    });
    expect(doc.contexts[0]).toEqual({ name: 'x', cluster: 'c' });
  });

  it('an empty file is an empty kubeconfig (as for kubectl)', () => {
    expect(parseKubeconfig('', dir)).toEqual({ clusters: [], users: [], contexts: [] });
  });

  it.each([
    ['clusters: [{ cluster: { server: "https://k" } }]', 'clusters[0].name is missing'],
    ['clusters: [{ name: c }]', 'clusters[0].cluster is missing'],
    ['clusters: [{ name: c, cluster: { insecure-skip-tls-verify: true } }]', 'clusters[0].cluster.server is missing'],
    ['contexts: [{ name: x, context: { user: u } }]', 'contexts[0].context.cluster is missing'],
    ['users: [{ name: u, user: { token: 12345 } }]', 'users[0].user.token is not a string'],
    ['users: [{ name: u, user: { auth-provider: { config: {} } } }]', 'users[0].user.auth-provider.name is missing'],
    ['clusters: { c: 1 }', 'clusters is not a list'],
    ['- just a list', 'the document is not a mapping'],
  ])('%s is refused: %s', (text, detail) => {
    // GIVEN a document of the wrong shape  WHEN parsed  THEN the error names the field
    expect(() => parseKubeconfig(text, dir)).toThrow(new KubeconfigShapeError(detail));
  });
});

describe('errors loading files', () => {
  it('a missing file is named, and said not to exist', () => {
    const missing = join(dir, 'nope.yaml');
    expect(() => loadKubeconfigFiles([missing])).toThrow(KubeconfigError);
    expect(() => loadKubeconfigFiles([missing])).toThrow(`cannot load kubeconfig ${missing}: it does not exist`);
  });

  it('a file of a merged list that is broken is the one named, with the position but never the contents', () => {
    // GIVEN a good file and one whose YAML breaks next to a secret
    const good = write('err/good.yaml', single('g', 'https://g'));
    const bad = write('err/bad.yaml', 'users:\n- name: u\n  user: { token: "s3cr3t-value }\n');
    // WHEN loaded together
    const err = (() => {
      try {
        loadKubeconfigFiles([good, bad]);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    // THEN the bad file is named with a line, and the secret is not shown
    expect(err.message).toMatch(
      new RegExp(`^cannot load kubeconfig ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: it is not a valid kubeconfig \\(line \\d+`),
    );
    expect(err.message).not.toContain('s3cr3t');
  });

  it('a shape error names the field, not the value', () => {
    const file = write('err/shape.yaml', 'users: [{ name: u, user: { token: [s3cr3t] } }]');
    expect(() => loadKubeconfigFiles([file])).toThrow(/it is not a valid kubeconfig \(users\[0\]\.user\.token is not a string\)/);
    expect(() => loadKubeconfigFiles([file])).not.toThrow(/s3cr3t/);
  });
});
