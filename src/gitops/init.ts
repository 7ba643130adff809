/**
 * `berth gitops init`: the one object that points a cluster's GitOps controller at an environment's
 * folder - an Argo CD `Application`, or a Flux `GitRepository` + `Kustomization`.
 */
import { stringify } from 'yaml';

export interface InitOptions {
  readonly tool: 'argocd' | 'flux';
  readonly environment: string;
  /** Namespace of the environment's objects (the rendering also creates it). */
  readonly namespace: string;
  /** URL the cluster clones (scp-like `git@host:org/repo.git` is converted to `ssh://` for Flux). */
  readonly repoUrl: string;
  /** Branch to follow; Argo CD defaults to the remote's HEAD, Flux needs one (the CLI passes the remote's default branch). @default `main` for Flux */
  readonly branch?: string;
  /** Folder of the environment in the repository, e.g. `environments/production`. */
  readonly folder: string;
}

export function initManifest(options: InitOptions): string {
  return options.tool === 'argocd' ? argoApplication(options) : fluxKustomization(options);
}

function argoApplication(o: InitOptions): string {
  const application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `berth-${o.environment}`, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: o.repoUrl, targetRevision: o.branch ?? 'HEAD', path: o.folder },
      destination: { server: 'https://kubernetes.default.svc', namespace: o.namespace },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
  return (
    `# Argo CD Application for berth environment '${o.environment}' (written by berth gitops init).\n` +
    `# Apply it where Argo CD runs: kubectl apply -n argocd -f <this file>. Register the repository's\n` +
    `# credentials in Argo CD first when it is private (argocd repo add ${o.repoUrl} ...).\n` +
    `# prune: objects berth stops rendering (removed services) are deleted from the cluster.\n` +
    stringify(application, { lineWidth: 0 })
  );
}

/** Label on a migration's objects (berth.dev/phase: before-deploy, set by the renderer) and berth's Namespace-only label. */
const PHASE_SELECTOR = 'berth.dev/phase';
const NAMESPACE_ONLY_LABEL = 'pod-security.kubernetes.io/enforce';

/** A Flux Kustomization `patches` entry that drops the selected objects from the build (kustomize `$patch: delete`). */
function dropObjects(target: Record<string, string>): { target: Record<string, string>; patch: string } {
  return { target, patch: '$patch: delete\napiVersion: v1\nkind: Any\nmetadata:\n  name: any\n' };
}

/**
 * Flux runs one environment as two Kustomizations over the same folder, told apart by labels (Flux has no hooks):
 * `berth-<env>-jobs` applies the Namespace and the migrations (berth.dev/phase=before-deploy) and waits for the
 * Jobs to complete; `berth-<env>` applies everything else and `dependsOn` it.
 */
export const FLUX_JOBS_PATCHES = [
  dropObjects({ labelSelector: `${PHASE_SELECTOR}!=before-deploy,!${NAMESPACE_ONLY_LABEL}` }),
  // Flux re-creates whatever its source holds: a Job deleted by its TTL would run again at the next reconcile.
  // Under Flux, pruning deletes a migration's Job once its hash (its name) leaves the repository.
  { target: { kind: 'Job', labelSelector: `${PHASE_SELECTOR}=before-deploy` }, patch: '- op: remove\n  path: /spec/ttlSecondsAfterFinished\n' },
  // Flux never garbage-collects the Namespace (it holds everything); this also makes it safe for the jobs
  // Kustomization to take the Namespace over from an environment Kustomization written by an older berth.
  { target: { kind: 'Namespace' }, patch: '- op: add\n  path: /metadata/annotations\n  value: { kustomize.toolkit.fluxcd.io/prune: disabled }\n' },
];
export const FLUX_APP_PATCHES = [dropObjects({ labelSelector: `${PHASE_SELECTOR}=before-deploy` }), dropObjects({ kind: 'Namespace' })];

function fluxKustomization(o: InitOptions): string {
  const source = `berth-${o.environment}`;
  const repository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: source, namespace: 'flux-system' },
    spec: { interval: '1m', url: fluxUrl(o.repoUrl), ref: { branch: o.branch ?? 'main' } },
  };
  const common = { sourceRef: { kind: 'GitRepository', name: source }, path: `./${o.folder}`, prune: true, wait: true };
  const jobs = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `berth-${o.environment}-jobs`, namespace: 'flux-system' },
    spec: { interval: '5m', ...common, timeout: '15m', patches: FLUX_JOBS_PATCHES },
  };
  const kustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `berth-${o.environment}`, namespace: 'flux-system' },
    spec: { interval: '5m', dependsOn: [{ name: `berth-${o.environment}-jobs` }], ...common, timeout: '10m', patches: FLUX_APP_PATCHES },
  };
  return (
    `# Flux GitRepository + Kustomizations for berth environment '${o.environment}' (written by berth gitops init).\n` +
    `# Apply it where Flux runs: kubectl apply -f <this file>. For a private repository add\n` +
    `# spec.secretRef.name to the GitRepository (flux create secret git ...).\n` +
    `# berth-${o.environment}-jobs applies the Namespace and the migrations (jobs with beforeDeploy) and waits for\n` +
    `# them to complete; berth-${o.environment} applies everything else once it is Ready (dependsOn).\n` +
    `# prune: objects berth stops rendering (removed services) are deleted from the cluster.\n` +
    stringify(repository, { lineWidth: 0 }) +
    '---\n' +
    stringify(jobs, { lineWidth: 0 }) +
    '---\n' +
    stringify(kustomization, { lineWidth: 0 })
  );
}

/** Flux accepts `ssh://` and `https://` URLs only: `git@host:org/repo.git` → `ssh://git@host/org/repo.git`. */
export function fluxUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  const scp = /^([^/:]+):(.+)$/.exec(url);
  return scp ? `ssh://${scp[1]}/${scp[2]?.replace(/^\/+/, '')}` : url;
}
