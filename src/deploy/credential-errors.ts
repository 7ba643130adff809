/** Errors of reaching a cluster with a kubeconfig's credentials and TLS settings (exit codes mapped in errors.ts). */

/**
 * The kubeconfig's connection settings cannot be used (bad input, exit 2): a missing file it names, a half of a client
 * certificate pair, an unsupported proxy, an exec plugin that is not installed. Never quotes credential values.
 */
export class KubeconfigSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigSettingError';
  }
}

/** A credential could not be obtained (an exec plugin failed or answered badly): exit 6, like other auth failures. */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

/**
 * A kubeconfig that cannot be read or parsed (bad input: exit 2). The parser's own message quotes the file around
 * the error (a bearer token, a client key), so only its position (or the field at fault) is kept, never its text.
 */
export class KubeconfigError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `cannot load kubeconfig ${path}: ${whyUnloadable(cause)}; its contents are not shown (they may hold credentials). ` +
        'fix: check the file with "kubectl config view --kubeconfig <path>", or pass another with --kubeconfig',
    );
    this.name = 'KubeconfigError';
  }
}

function whyUnloadable(cause: unknown): string {
  const e = cause as { code?: string; detail?: string; mark?: { line?: number; column?: number } };
  if (e.code === 'ENOENT') return 'it does not exist';
  if (e.code === 'EACCES') return 'it is not readable';
  if (e.code === 'EISDIR') return 'it is a folder, not a file';
  if (e.code?.startsWith('E')) return `it cannot be read (${e.code})`;
  if (e.detail) return `it is not a valid kubeconfig (${e.detail})`;
  const where = e.mark?.line !== undefined ? ` (line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1})` : '';
  return `it is not a valid kubeconfig${where}`;
}

/** A kubeconfig entry of the wrong shape: `detail` names the field (never its value), e.g. `clusters[0].cluster.server is missing`. */
export class KubeconfigShapeError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'KubeconfigShapeError';
  }
}

/** The kubeconfig loads but does not name a usable cluster: no such `--context`, or no current cluster (bad input: exit 2). */
export class KubeconfigContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigContextError';
  }
}
