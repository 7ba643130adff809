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
