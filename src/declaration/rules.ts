/** Field-level rules shared by validation (apiserver wording where it exists). */
import { referencesIn, withoutReferences } from './env-refs.js';

export const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const GCP_RESOURCE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
export const GCP_SERVICE_ACCOUNT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const IMAGE_NAME = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)([KMGTPE]i|[mkMGTPE]|[eE]\d+)?$/;
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;
/** Short forms as a whole last word: `DB_PASS`, `SMTP_PWD`, `ENCRYPTION_KEY` (and a bare `PASS`, `PWD`, `KEY`). */
const SECRET_LIKE_SUFFIX = /(^|_)(PASS|PWD|KEY|KEYS)$/i;
/**
 * Names that describe a secret rather than hold one: an identifier, a name, a file or a URL (`AWS_ACCESS_KEY_ID`,
 * `DB_PASSWORD_FILE`, `OAUTH_TOKEN_URL`, `SECRET_NAME`), or a public key (`JWT_PUBLIC_KEY`, `STRIPE_PUBLISHABLE_KEY`).
 */
const DESCRIBES_A_SECRET =
  /_(ID|NAME|FILE|PATH|DIR|URL|URI|ENDPOINT|HEADER|PREFIX|TTL|EXPIRY|VERSION)$|(^|_)(PUBLIC|PUBLISHABLE)_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$/i;
const RESERVED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** A rule returns undefined when the value is fine, or `[message, fix]`. */
export type RuleResult = readonly [message: string, fix: string] | undefined;

export function checkServiceName(name: string): RuleResult {
  if (name.length > 63) return ['must be no more than 63 characters', 'shorten the name'];
  if (!RFC1035_LABEL.test(name)) {
    return ['must be an RFC 1035 label (lowercase letters, digits and "-", starting with a letter)', `use e.g. "${suggestLabel(name)}"`];
  }
  return undefined;
}

export function checkNamespace(ns: string): RuleResult {
  if (ns.length > 63 || !RFC1123_LABEL.test(ns)) {
    return ['must be an RFC 1123 label (lowercase letters, digits and "-", at most 63 characters)', `use e.g. "${suggestLabel(ns)}"`];
  }
  if (RESERVED_NAMESPACES.has(ns)) return ['is a reserved Kubernetes namespace', 'use a namespace of your own, e.g. the environment name'];
  return undefined;
}

export function checkImage(image: string): RuleResult {
  const at = image.indexOf('@');
  const [ref, digest] = at >= 0 ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const [name, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
  if (!IMAGE_NAME.test(name)) return ['is not a valid image reference', 'use "registry/repository:tag", lowercase, e.g. "registry.example.com/api:1.4.2"'];
  if (digest !== undefined && !DIGEST.test(digest)) return ['has an invalid digest', 'use "@sha256:" followed by 64 hex digits'];
  if (tag !== undefined && !IMAGE_TAG.test(tag)) return ['has an invalid tag', 'use a tag of letters, digits, ".", "_" or "-", e.g. ":1.4.2"'];
  if (tag === undefined && digest === undefined) return ['has no tag or digest', 'pin a version, e.g. ":1.4.2" or "@sha256:<digest>"'];
  if (tag === 'latest' && digest === undefined) return ['uses ":latest", which makes rollouts unrepeatable', 'pin a version tag, e.g. ":1.4.2", or a digest'];
  return undefined;
}

export function checkPort(port: number): RuleResult {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return ['must be between 1 and 65535, inclusive', 'use the port your app listens on, e.g. 8000'];
  return undefined;
}

/** Ingress host: DNS-1123 subdomain, no port, not an IP; a wildcard only as the whole first label. */
export function checkHost(host: string): RuleResult {
  const fix = 'use a lowercase DNS name without scheme, port or path, e.g. "api.example.com"';
  if (host.length > 253) return ['must be no more than 253 characters', fix];
  if (/^\d+(\.\d+){3}$/.test(host)) return ['must be a DNS name, not an IP address', fix];
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (!DNS1123_SUBDOMAIN.test(bare) || bare.split('.').some((l) => l.length > 63)) {
    return ['must be a lowercase RFC 1123 subdomain (a wildcard only as the whole first label, "*.example.com")', fix];
  }
  if (!bare.includes('.')) return ['must be a fully qualified name with at least one dot', fix];
  return undefined;
}

/** An HTTP path used for routing or probes. */
export function checkPath(path: string): RuleResult {
  const fix = 'use an absolute path such as "/api" (no "//", "/./", "/../", "%2f", spaces, "?" or "#")';
  if (!path.startsWith('/')) return ['must start with "/"', fix];
  if (/\/\/|\/\.\.?\/|%2f|[\s?#*]/i.test(path) || /\/\.\.?$/.test(path)) return ['is not a valid HTTP path', fix];
  if (path.length > 1024) return ['must be no more than 1024 characters', fix];
  return undefined;
}

/** Parses a Kubernetes quantity into a number of base units (bytes or cores), or undefined. */
export function parseQuantity(q: string): number | undefined {
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[3] ?? '';
  const factor = BINARY_SUFFIX.get(suffix) ?? DECIMAL_SUFFIX.get(suffix);
  return factor !== undefined ? n * factor : n * 10 ** Number(suffix.slice(1));
}

const BINARY_SUFFIX: ReadonlyMap<string, number> = new Map([
  ['Ki', 2 ** 10],
  ['Mi', 2 ** 20],
  ['Gi', 2 ** 30],
  ['Ti', 2 ** 40],
  ['Pi', 2 ** 50],
  ['Ei', 2 ** 60],
]);
const DECIMAL_SUFFIX: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['m', 1e-3],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
]);

export function checkMemory(q: string): RuleResult {
  const bytes = parseQuantity(q);
  if (bytes === undefined) return ['is not a Kubernetes quantity (units are Ki, Mi, Gi — not "MB" or "GB")', 'write e.g. "512Mi" or "1Gi"'];
  if (/m$/.test(q)) return ['is in milli-bytes ("m"), which is almost certainly a typo', 'use "Mi" for mebibytes, e.g. "512Mi"'];
  if (bytes < 4 * 2 ** 20) return ['is below 4Mi, too little for any container', 'declare what the app really needs, e.g. "256Mi"'];
  return undefined;
}

export function checkCpu(q: string): RuleResult {
  const cores = parseQuantity(q);
  if (cores === undefined || /[KMGTPE]i$/.test(q)) return ['is not a CPU quantity', 'write millicores like "250m" or cores like "1" or "0.5"'];
  if (cores < 0.001) return ['must be at least 1m', 'write e.g. "100m"'];
  return undefined;
}

export function checkEnvName(name: string): RuleResult {
  if (!ENV_VAR_NAME.test(name)) return ['is not a valid environment variable name', 'use letters, digits and "_", not starting with a digit'];
  return undefined;
}

/** True when a variable name says it holds a credential (see README "Credentials in plain env"). */
export function isSecretLikeName(name: string): boolean {
  return !DESCRIBES_A_SECRET.test(name) && (SECRET_LIKE_NAME.test(name) || SECRET_LIKE_SUFFIX.test(name));
}

/**
 * Plain env values end up in the manifest; names that look like secrets must come from Secrets instead. A value made
 * only of `$(NAME)` references (`DB_PASS: $(DB_PASSWORD)`, DB_PASSWORD in secretEnv) holds no literal and is fine.
 */
export function checkPlainEnvName(name: string, value?: string): RuleResult {
  const onlyReferences = value !== undefined && referencesIn(value).length > 0 && withoutReferences(value).trim() === '';
  if (!onlyReferences && isSecretLikeName(name)) {
    return [
      'looks like a secret, and plain env values are written into the manifests',
      `move it to secretEnv: { ${name}: { secret: <secret-name>, key: <key> } }`,
    ];
  }
  return checkEnvName(name);
}

/** Values that are credentials whatever the variable is called: keys, tokens, URLs with a password. */
const SECRET_LIKE_VALUE =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abprs]-|\bsk_live_|:\/\/[^/\s:@]*:[^/\s@]+@/;

/** `$(NAME)` references are not literals: `postgres://app:$(DB_PASSWORD)@db/app` builds a URL from a secretEnv entry. */
export function checkPlainEnvValue(value: string): RuleResult {
  if (SECRET_LIKE_VALUE.test(withoutReferences(value))) {
    return [
      'contains a credential (a key, a token or a URL with a password), and plain env values are written into the manifests',
      'store it in a Secret and reference it from secretEnv, or build the URL from a reference, e.g. ' +
        'postgres://app:$(DB_PASSWORD)@db:5432/app with DB_PASSWORD in secretEnv',
    ];
  }
  return undefined;
}

/** Flags whose value is a credential: `--password x`, `--token=x`, `--api-key x`, `--client-secret x`, `--db-pass x`… */
const CREDENTIAL_FLAG =
  /^--?(?:[a-z0-9]+[-_])*(?:password|passwd|pass|pwd|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|credentials?|auth)(?:=(.*))?$/i;

/**
 * A literal credential in `command`/`args`: the value after (or `=` in) a credential-like flag, or a value that is a
 * credential by itself. `$(NAME)` references (to secretEnv) are fine. Returns the offending index (its value is never
 * shown) and the rule result.
 */
export function checkCommandLine(list: readonly string[]): { index: number; result: NonNullable<RuleResult> } | undefined {
  const fix = (flag: string): string => `pass it from a Secret: add it to secretEnv (e.g. APP_PASSWORD) and write "${flag}", "$(APP_PASSWORD)"`;
  for (let i = 0; i < list.length; i++) {
    const arg = list[i];
    const m = CREDENTIAL_FLAG.exec(arg);
    const inline = m?.[1];
    if (m && inline !== undefined && withoutReferences(inline).trim() !== '') {
      return {
        index: i,
        result: [
          'passes a literal credential after a credential-like flag, and command and args are written into the manifests',
          fix(arg.slice(0, arg.indexOf('='))),
        ],
      };
    }
    const next = list[i + 1];
    if (m && inline === undefined && next !== undefined && !next.startsWith('-') && withoutReferences(next).trim() !== '') {
      return { index: i + 1, result: [`is a literal credential after "${arg}", and command and args are written into the manifests`, fix(arg)] };
    }
    if (SECRET_LIKE_VALUE.test(withoutReferences(arg))) {
      return {
        index: i,
        result: [
          'contains a credential (a key, a token or a URL with a password), and command and args are written into the manifests',
          'store it in a Secret, add it to secretEnv and reference it as $(NAME)',
        ],
      };
    }
  }
  return undefined;
}

export function checkSecretName(name: string): RuleResult {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    return ['is not a valid Secret name (DNS-1123 subdomain)', 'use lowercase letters, digits, "-" and "."'];
  return undefined;
}

export function checkSecretKey(key: string): RuleResult {
  if (key.length > 253 || !CONFIG_MAP_KEY.test(key) || key === '.' || key.startsWith('..')) {
    return ['is not a valid Secret key', 'use letters, digits, "-", "_" and "."'];
  }
  return undefined;
}

export function checkGcpName(name: string): RuleResult {
  if (name.length > 63 || !GCP_RESOURCE_NAME.test(name))
    return ['is not a valid Google Cloud resource name', 'use lowercase letters, digits and "-", starting with a letter, at most 63 characters'];
  return undefined;
}

export function checkGcpServiceAccount(email: string): RuleResult {
  if (!GCP_SERVICE_ACCOUNT.test(email)) return ['is not a Google service account email', 'use "<name>@<project>.iam.gserviceaccount.com"'];
  return undefined;
}

export function checkIntRange(n: number, min: number, max: number, example: string): RuleResult {
  if (!Number.isInteger(n) || n < min || n > max) return [`must be an integer between ${min} and ${max}`, `write e.g. ${example}`];
  return undefined;
}

function suggestLabel(s: string): string {
  const cleaned = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 63);
  return cleaned || 'my-service';
}

/** IANA service name, as Kubernetes requires for port names: ≤ 15 of [a-z0-9-], a letter, no leading/trailing/double "-". */
export function checkPortName(name: string): RuleResult {
  const fix = 'use at most 15 lowercase letters, digits and "-", with at least one letter, e.g. "metrics"';
  if (name.length === 0 || name.length > 15) return ['must be 1 to 15 characters (an IANA service name)', fix];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    return ['is not an IANA service name (lowercase letters, digits and "-", at least one letter, no "--")', fix];
  }
  return undefined;
}
