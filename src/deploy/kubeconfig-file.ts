/**
 * Reading kubeconfig files the way kubectl does (https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/):
 * several files merge with the first file to name a cluster, user or context winning, and the first `current-context`
 * set winning; file paths inside a file (certificate-authority, client-certificate, client-key, tokenFile, an exec
 * command holding a `/`) are relative to that file's folder. Values are checked for shape only; what they mean is
 * checked where they are used (connection.ts, exec-credential.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import jsYaml from 'js-yaml';
import { KubeconfigError, KubeconfigShapeError } from './credential-errors.js';
import {
  type AuthProviderConfig,
  type ExecConfig,
  type KubeCluster,
  type KubeContext,
  type KubeUser,
  Kubeconfig,
  type KubeconfigData,
} from './kubeconfig-model.js';

type Fields = Readonly<Record<string, unknown>>;

/** Loads and merges `files` (in order; each must exist). A file that cannot be read or parsed: KubeconfigError naming it. */
export function loadKubeconfigFiles(files: readonly string[]): Kubeconfig {
  return new Kubeconfig(mergeKubeconfigs(files.map(readKubeconfigFile)));
}

function readKubeconfigFile(file: string): KubeconfigData {
  try {
    return parseKubeconfig(readFileSync(file, 'utf8'), dirname(resolve(file)));
  } catch (err) {
    throw new KubeconfigError(file, err);
  }
}

/** kubectl's merge: for each name the first definition wins; `current-context` comes from the first file that sets it. */
export function mergeKubeconfigs(parts: readonly KubeconfigData[]): KubeconfigData {
  const currentContext = parts.find((p) => p.currentContext)?.currentContext;
  return {
    clusters: firstByName(parts.flatMap((p) => p.clusters)),
    users: firstByName(parts.flatMap((p) => p.users)),
    contexts: firstByName(parts.flatMap((p) => p.contexts)),
    ...(currentContext ? { currentContext } : {}),
  };
}

function firstByName<T extends { readonly name: string }>(entries: readonly T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.name) && !!seen.add(e.name));
}

/** One kubeconfig document; relative paths resolve against `dir` (the file's folder). An empty document is an empty kubeconfig. */
export function parseKubeconfig(text: string, dir: string): KubeconfigData {
  const doc: unknown = jsYaml.load(text);
  if (doc === null || doc === undefined) return { clusters: [], users: [], contexts: [] };
  const top = fields(doc, 'the document');
  const currentContext = str(top, 'current-context', '');
  return {
    clusters: entries(top, 'clusters', (e, at) => clusterOf(e, at, dir)),
    users: entries(top, 'users', (e, at) => userOf(e, at, dir)),
    contexts: entries(top, 'contexts', contextOf),
    ...(currentContext ? { currentContext } : {}),
  };
}

function entries<T>(top: Fields, key: string, read: (entry: Fields & { name: string }, at: string) => T): T[] {
  const list = top[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new KubeconfigShapeError(`${key} is not a list`);
  return list.map((item: unknown, i) => {
    const entry = fields(item, `${key}[${i}]`);
    if (typeof entry.name !== 'string' || !entry.name) throw new KubeconfigShapeError(`${key}[${i}].name is missing`);
    return read(entry as Fields & { name: string }, `${key}[${i}]`);
  });
}

function clusterOf(entry: Fields & { name: string }, at: string, dir: string): KubeCluster {
  if (entry.cluster === undefined || entry.cluster === null) throw new KubeconfigShapeError(`${at}.cluster is missing`);
  const c = fields(entry.cluster, `${at}.cluster`);
  const server = str(c, 'server', `${at}.cluster`);
  if (!server) throw new KubeconfigShapeError(`${at}.cluster.server is missing`);
  return defined({
    name: entry.name,
    server: server.replace(/\/$/, ''),
    caData: str(c, 'certificate-authority-data', `${at}.cluster`),
    caFile: path(dir, str(c, 'certificate-authority', `${at}.cluster`)),
    skipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: str(c, 'tls-server-name', `${at}.cluster`),
    proxyUrl: str(c, 'proxy-url', `${at}.cluster`),
    disableCompression: c['disable-compression'] === true || undefined,
  });
}

function userOf(entry: Fields & { name: string }, at: string, dir: string): KubeUser {
  const w = `${at}.user`;
  const u = entry.user === undefined || entry.user === null ? {} : fields(entry.user, w);
  return defined({
    name: entry.name,
    token: str(u, 'token', w) || undefined,
    // `token-file` is client-node's spelling, read by berth before it had its own loader; kubectl's is tokenFile
    tokenFile: path(dir, str(u, 'tokenFile', w) || str(u, 'token-file', w)),
    certData: str(u, 'client-certificate-data', w),
    certFile: path(dir, str(u, 'client-certificate', w)),
    keyData: str(u, 'client-key-data', w),
    keyFile: path(dir, str(u, 'client-key', w)),
    username: str(u, 'username', w),
    password: str(u, 'password', w),
    impersonateUser: str(u, 'as', w),
    exec: execOf(u.exec, `${w}.exec`, dir),
    authProvider: providerOf(u['auth-provider'], `${w}.auth-provider`),
  });
}

function contextOf(entry: Fields & { name: string }, at: string): KubeContext {
  if (entry.context === undefined || entry.context === null) throw new KubeconfigShapeError(`${at}.context is missing`);
  const c = fields(entry.context, `${at}.context`);
  const cluster = str(c, 'cluster', `${at}.context`);
  if (!cluster) throw new KubeconfigShapeError(`${at}.context.cluster is missing`);
  return defined({
    name: entry.name,
    cluster,
    user: str(c, 'user', `${at}.context`) || undefined,
    namespace: str(c, 'namespace', `${at}.context`) || undefined,
  });
}

/** The exec block as written (exec-credential.ts checks it), its command made absolute when it is a relative path (holds a `/`). */
function execOf(value: unknown, at: string, dir: string): ExecConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const exec = fields(value, at) as ExecConfig;
  const command = exec.command;
  if (typeof command !== 'string' || !command.includes(sep) || isAbsolute(command)) return exec;
  return { ...exec, command: resolve(dir, command) };
}

function providerOf(value: unknown, at: string): AuthProviderConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const provider = fields(value, at);
  if (typeof provider.name !== 'string' || !provider.name) throw new KubeconfigShapeError(`${at}.name is missing`);
  return provider as unknown as AuthProviderConfig; // kept as written (and as one object): client-node's providers store refreshed tokens in it
}

function fields(value: unknown, at: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KubeconfigShapeError(`${at} is not a mapping`);
  return value as Fields;
}

function str(obj: Fields, key: string, at: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new KubeconfigShapeError(`${at ? `${at}.` : ''}${key} is not a string`);
  return value;
}

/** A path from the file, absolute (kubectl's ResolvePaths: relative to the file's folder; empty stays unset). */
function path(dir: string, value: string | undefined): string | undefined {
  return value ? resolve(dir, value) : undefined;
}

/** The object without its undefined fields (so `'caFile' in cluster` means it was set). */
function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
