/**
 * Bearer tokens from Google Application Default Credentials, fetched per request so that a wait longer than a
 * token's life keeps working (google-auth-library caches and refreshes eagerly; calling it per request is cheap).
 */

/** Anything that hands out OAuth access tokens: a `GoogleAuth`, an `OAuth2Client`, or a test stand-in. */
export interface TokenSource {
  getAccessToken(): Promise<string | null | undefined | { token?: string | null }>;
}

/** The auth-provider name of berth's in-memory GKE kubeconfigs (their user carries the token source: kubeconfig-model.ts). */
export const GOOGLE_AUTH_PROVIDER = 'berth-google-adc';

/** Scopes GKE needs; `userinfo.email` makes GKE see the service account's email rather than a numeric id. */
export const GOOGLE_SCOPES = ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'];

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
