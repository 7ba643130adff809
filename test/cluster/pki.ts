// Credentials of the local control plane: static bearer tokens (an admin in system:masters and a read-only user)
// and the service-account signing key pair. kube-apiserver self-signs its serving certificate (see components.ts).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Credentials {
  /** Bearer token of `berth-admin` (system:masters). */
  readonly token: string;
  /** Bearer token of `berth-limited` (berth:limited, RBAC view only). */
  readonly limitedToken: string;
  /** kube-apiserver's --token-auth-file. */
  readonly tokensFile: string;
  /** Folder of the certificates and keys (kube-apiserver's --cert-dir). */
  readonly pki: string;
  readonly saKey: string;
  readonly saPub: string;
}

/** Writes the token file and the service-account key pair into `dataDir` (private files mode 0600). */
export function writeCredentials(dataDir: string): Credentials {
  const pki = join(dataDir, 'pki');
  mkdirSync(pki, { recursive: true });
  const token = randomBytes(24).toString('hex');
  const limitedToken = randomBytes(24).toString('hex');
  const tokensFile = join(dataDir, 'tokens.csv');
  writeFileSync(tokensFile, `${token},berth-admin,berth-admin,"system:masters"\n${limitedToken},berth-limited,berth-limited,"berth:limited"\n`, {
    mode: 0o600,
  });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const saKey = join(pki, 'sa.key');
  const saPub = join(pki, 'sa.pub');
  writeFileSync(saKey, privateKey, { mode: 0o600 });
  writeFileSync(saPub, publicKey);
  return { token, limitedToken, tokensFile, pki, saKey, saPub };
}
