/**
 * Test credentials: a real google-auth-library OAuth2Client whose refresh goes through `refreshHandler`
 * (instead of Google's token endpoint), wrapped in a GoogleAuth exactly like ADC hands one out.
 */
import { GoogleAuth, OAuth2Client } from 'google-auth-library';

export interface TestAuth {
  readonly auth: GoogleAuth;
  /** How many times the library refreshed the token. */
  readonly refreshes: () => number;
}

/** Tokens come from `next()` on every refresh; each lives `lifetimeMs` (short lifetimes force refreshes mid-run). */
export function testAuth(next: () => string, lifetimeMs = 3_600_000): TestAuth {
  let count = 0;
  const client = new OAuth2Client({ eagerRefreshThresholdMillis: 0 });
  client.refreshHandler = async () => {
    count++;
    return { access_token: next(), expiry_date: Date.now() + lifetimeMs };
  };
  return { auth: new GoogleAuth({ authClient: client }), refreshes: () => count };
}
