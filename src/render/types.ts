/**
 * The contract between rendering and its consumers (deploy, gitops, later ECS).
 * Consumers only ever see plain Kubernetes objects and files, never constructs.
 */

/** A plain Kubernetes object as rendered (JSON-compatible, keys sorted). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/** One file of an environment's rendering; `path` is relative to the environment folder, POSIX separators. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** Everything berth renders for one environment (the folder `dist/<name>/`). */
export interface RenderedEnvironment {
  /** Environment name from the declaration, e.g. `production`. */
  readonly name: string;
  /** The namespace every object of this environment lives in. */
  readonly namespace: string;
  /** Every object, in apply order (Namespace first). */
  readonly objects: readonly KubeObject[];
  /** The files written under `dist/<name>/`, sorted by path. */
  readonly files: readonly RenderedFile[];
}
