/** The rendering source is unusable: conflicting flags, an unreadable cdk8s.yaml, an app that failed or wrote no usable manifests. Exit code 2. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}
