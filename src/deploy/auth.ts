/**
 * Bearer tokens from Google Application Default Credentials, fetched per request so that a wait longer than a
 * token's life keeps working (google-auth-library caches and refreshes eagerly; calling it per request is cheap).
 */
import type https from 'node:https';
import type { User } from '@kubernetes/client-node';

/** Anything that hands out OAuth access tokens: a `GoogleAuth`, an `OAuth2Client`, or a test stand-in. */
export interface TokenSource {
  getAccessToken(): Promise<string | null | undefined | { token?: string | null }>;
}

/** The kubeconfig auth-provider name berth's in-memory kubeconfigs use for Google tokens. */
export const GOOGLE_AUTH_PROVIDER = 'berth-google-adc';

/** Scopes GKE needs; `userinfo.email` makes GKE see the service account's email rather than a numeric id. */
export const GOOGLE_SCOPES = ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'];

const SOURCES = new WeakMap<object, TokenSource>();

/** Ties a token source to the in-memory kubeconfig it authenticates (read by connection.ts for every request). */
export function attachTokenSource(kc: object, source: TokenSource): void {
  SOURCES.set(kc, source);
}

/** The token source of a kubeconfig made by `kubeConfigForEndpoint`, if any. */
export function tokenSourceOf(kc: object): TokenSource | undefined {
  return SOURCES.get(kc);
}

/**
 * A client-node Authenticator (its public `addAuthenticator`) for the same tokens, so the KubeConfig also works with
 * client-node's own API clients (`Authorization: Bearer <fresh token>`); berth's client reads the source through
 * `tokenSourceOf`.
 */
export class GoogleTokenAuthenticator {
  constructor(private readonly source: TokenSource) {}

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: string } | undefined)?.name === GOOGLE_AUTH_PROVIDER;
  }

  async applyAuthentication(_user: User, opts: https.RequestOptions): Promise<void> {
    const token = await accessToken(this.source);
    opts.headers = { ...(opts.headers ?? {}), Authorization: `Bearer ${token}` };
  }
}

export async function accessToken(source: TokenSource): Promise<string> {
  const got = await source.getAccessToken();
  const token = typeof got === 'string' ? got : got?.token;
  if (!token) {
    throw new Error(
      'Google Application Default Credentials returned no access token (run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS)',
    );
  }
  return token;
}
