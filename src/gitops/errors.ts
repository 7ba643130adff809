/**
 * The one error type of `berth gitops`: a complete human message plus the exit code the CLI returns.
 * 2 = bad input or a checkout berth refuses to touch; 1 = an operation failed (git, network, push).
 */
export class GitopsError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'GitopsError';
  }
}
