/** Building the KubeConfig berth talks through: a kubeconfig file (any cluster) or a GKE endpoint with ADC tokens. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { GOOGLE_AUTH_PROVIDER, GoogleTokenAuthenticator, type TokenSource, attachTokenSource } from './auth.js';
import type { ClusterEndpoint } from './gke.js';

/** Loads a kubeconfig file (or the default: $KUBECONFIG, ~/.kube/config), optionally switching context. */
export function kubeConfigFromFile(path: string | undefined, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new KubeconfigError(path ?? 'the default kubeconfig', err);
  }
  if (context) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      throw new KubeconfigContextError(`context "${context}" not found in ${path ?? 'the default kubeconfig'}`);
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) throw new KubeconfigContextError(`no current cluster in ${path ?? 'the default kubeconfig'}`);
  const files = path ? [path] : (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  TOKEN_FILES.set(kc, tokenFiles(files.length ? files : [join(homedir(), '.kube', 'config')]));
  return kc;
}

const TOKEN_FILES = new WeakMap<KubeConfig, ReadonlyMap<string, string>>();

/**
 * The `tokenFile` of a kubeconfig user (an absolute path), which client-node 1.4.0 does not parse (it reads a
 * non-standard `token-file`): berth reads the kubeconfig files itself for it. The first file naming a user wins.
 */
export function tokenFileOf(kc: KubeConfig, user: string): string | undefined {
  return TOKEN_FILES.get(kc)?.get(user);
}

function tokenFiles(files: readonly string[]): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    let doc: { users?: { name?: unknown; user?: { tokenFile?: unknown } }[] } | undefined;
    try {
      doc = yaml.load(readFileSync(file, 'utf8')) as typeof doc;
    } catch {
      continue; // client-node already loaded (or rejected) these files; nothing more to learn here
    }
    for (const u of Array.isArray(doc?.users) ? doc.users : []) {
      const tf = u?.user?.tokenFile;
      if (typeof u?.name !== 'string' || typeof tf !== 'string' || !tf || found.has(u.name)) continue;
      found.set(u.name, isAbsolute(tf) ? tf : join(dirname(file), tf));
    }
  }
  return found;
}

/**
 * A kubeconfig that cannot be read or parsed (bad input: exit 2). The parser's own message quotes the file around
 * the error (a bearer token, a client key), so only its position is kept, never its text.
 */
export class KubeconfigError extends Error {
  constructor(path: string, cause: unknown) {
    const e = cause as { code?: string; path?: string; mark?: { line?: number; column?: number }; linePos?: [{ line: number; col: number }] };
    // a token-file the kubeconfig names (read while parsing) is missing, not the kubeconfig itself
    const named = e.path && e.path !== path && path !== 'the default kubeconfig' ? ` (reading ${e.path}, a file it names, e.g. a user's token-file)` : '';
    const where =
      e.mark?.line !== undefined
        ? ` (line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1})`
        : e.linePos?.[0]
          ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})`
          : '';
    const why =
      e.code === 'ENOENT'
        ? named
          ? 'that file does not exist'
          : 'it does not exist'
        : e.code === 'EACCES'
          ? 'it is not readable'
          : e.code?.startsWith('E')
            ? `it cannot be read (${e.code})`
            : `it is not a valid kubeconfig${where}`;
    super(
      `cannot load kubeconfig ${path}${named}: ${why}; its contents are not shown (they may hold credentials). ` +
        'fix: check the file with "kubectl config view --kubeconfig <path>", or pass another with --kubeconfig',
    );
    this.name = 'KubeconfigError';
  }
}

/** The kubeconfig loads but does not name a usable cluster: no such `--context`, or no current cluster (bad input: exit 2). */
export class KubeconfigContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigContextError';
  }
}

/** An in-memory kubeconfig for an endpoint whose bearer token comes from `tokens` on every request. */
export function kubeConfigForEndpoint(ep: ClusterEndpoint, tokens: TokenSource, name = 'berth'): KubeConfig {
  const kc = new KubeConfig();
  kc.addAuthenticator(new GoogleTokenAuthenticator(tokens));
  attachTokenSource(kc, tokens);
  kc.loadFromClusterAndUser(
    { name, server: ep.server, skipTLSVerify: false, ...(ep.caData ? { caData: ep.caData } : {}) },
    { name, authProvider: { name: GOOGLE_AUTH_PROVIDER, config: {} } },
  );
  return kc;
}
