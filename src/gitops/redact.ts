/**
 * Credentials in repository URLs: `https://user:token@host/…`, `https://<token>@host/…`. They are redacted in every
 * message `berth gitops` prints, and `gitops init` refuses them (they would be written into the Argo CD / Flux
 * manifest). An SSH user name without a password (`ssh://git@host/…`, `git@host:org/repo.git`) is not a credential.
 */
import { Writable } from 'node:stream';

/** `scheme://userinfo@` where userinfo has a password, or any userinfo on http(s) (a token as user name). */
const USERINFO = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/@]+)@/gi;

function isCredential(scheme: string, userinfo: string): boolean {
  return userinfo.includes(':') || /^https?$/i.test(scheme);
}

/** The text with every credential in a URL replaced by `***`. */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, (all, scheme: string, userinfo: string) => (isCredential(scheme, userinfo) ? `${scheme}://***@` : all));
}

/** Whether a repository URL carries credentials. */
export function hasCredentials(url: string): boolean {
  for (const m of url.matchAll(USERINFO)) if (isCredential(m[1], m[2])) return true;
  return false;
}

/** A stream that redacts URL credentials from everything written through it. */
export function redacting<S extends NodeJS.WritableStream & { isTTY?: boolean }>(target: S): S {
  const out = new Writable({
    write(chunk, _enc, cb) {
      target.write(redactUrls(String(chunk)));
      cb();
    },
  }) as unknown as S & { isTTY?: boolean };
  out.isTTY = target.isTTY;
  return out;
}
