/**
 * The `kustomization.yaml` berth puts next to an environment's manifests, in `dist/<env>/` (synth) and in a
 * GitOps folder (gitops): one function, so both list the same files the same way.
 */
import * as path from 'node:path';
import type { RenderedFile } from './types.js';

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * A Kustomization listing berth's manifest files (so `kubectl apply -k`, `kubectl kustomize`, Flux and
 * Argo CD build the folder). `writtenBy` names the command in the header comment.
 * @param writtenBy @default 'npx berth gitops'
 */
export function kustomizationYaml(files: readonly RenderedFile[], writtenBy = 'npx berth gitops'): string {
  const resources = files.filter((file) => isManifest(file.path)).map((file) => `  - ${file.path}\n`);
  return [
    `# Written by berth (${writtenBy}); lists only the manifests berth renders.\n`,
    '# Hand-written manifests belong in another folder: berth rewrites this file on every run.\n',
    'apiVersion: kustomize.config.k8s.io/v1beta1\n',
    'kind: Kustomization\n',
    'resources:\n',
    ...resources,
  ].join('');
}

/** A YAML file other than the Kustomization itself. */
export function isManifest(file: string): boolean {
  return /\.ya?ml$/.test(file) && path.posix.basename(file) !== KUSTOMIZATION_FILE;
}
