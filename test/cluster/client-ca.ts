/**
 * The test cluster's client-certificate authority: kube-apiserver trusts client certificates it signs
 * (`--client-ca-file`), so kubeconfigs with `client-certificate(-data)`/`client-key(-data)` can be tested against the
 * real control plane. Made with the `openssl` CLI (Node cannot sign X.509 certificates); without openssl the cluster
 * starts without client-certificate authentication and the suites that need it say so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** pki/client-ca.{crt,key}: created once per data dir; returns the CA certificate's path, or undefined without openssl. */
export function ensureClientCa(pki: string): string | undefined {
  const crt = join(pki, 'client-ca.crt');
  if (existsSync(crt)) return crt;
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '30',
        '-subj',
        '/CN=berth-test-client-ca',
        '-keyout',
        join(pki, 'client-ca.key'),
        '-out',
        crt,
      ],
      { stdio: 'ignore' },
    );
    return crt;
  } catch {
    return undefined;
  }
}

/** A client certificate for user `cn` in group `org`, signed by the cluster's client CA: PEM cert and key. */
export function signClientCert(pki: string, cn: string, org: string): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'berth-client-cert-'));
  try {
    const [key, csr, crt] = ['client.key', 'client.csr', 'client.crt'].map((f) => join(dir, f)) as [string, string, string];
    execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/O=${org}/CN=${cn}`, '-keyout', key, '-out', csr], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-sha256',
        '-days',
        '1',
        '-in',
        csr,
        '-CA',
        join(pki, 'client-ca.crt'),
        '-CAkey',
        join(pki, 'client-ca.key'),
        '-CAcreateserial',
        '-out',
        crt,
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
