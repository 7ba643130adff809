/** The rendering source is unusable: conflicting flags, an unreadable cdk8s.yaml, an app that failed or wrote no usable manifests. Exit code 2. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** `--revision` names no commit, or the declaration file does not exist at that commit. Exit code 2. */
export class RevisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionError';
  }
}
