import { commitMessage, splitImage, subjectLine, summarizeChanges, SUBJECT_LIMIT } from '../../src/gitops/summary.js';
import { remoteMoved } from '../../src/gitops/push.js';
import { repositoryName } from '../../src/gitops/source.js';
import { fluxUrl, initManifest } from '../../src/gitops/init.js';
import { parseOwnership } from '../../src/gitops/ownership.js';
import { isRemoteUrl } from '../../src/gitops/workspace.js';
import { environment, PRODUCTION } from './fixtures.js';

describe('commit subject', () => {
  test('folds extra fragments into "and N more" within the limit', () => {
    // GIVEN twenty added services
    const fragments = Array.from({ length: 20 }, (_, i) => `+service-number-${i}`);
    // WHEN the subject is built
    const subject = subjectLine('production', fragments);
    // THEN it fits and says how many were left out (the body lists them all)
    expect([...subject].length).toBeLessThanOrEqual(SUBJECT_LIMIT);
    expect(subject).toMatch(/^production: \+service-number-0, .*, and \d+ more$/);
  });

  test('names a re-rendering without object changes', () => {
    // GIVEN no fragment  WHEN/THEN the subject still says what happened
    expect(subjectLine('dev', [])).toBe('dev: re-rendered, no object changes');
  });
});

describe('change summary', () => {
  const before = environment('production', PRODUCTION).files;

  test('replicas, cpu, hosts and other fields are named per service', () => {
    // GIVEN api scaled to 5 with more cpu and a second host; web moved to a new host
    const after = environment('production', [
      { ...PRODUCTION[0], replicas: 5, cpu: '500m' },
      PRODUCTION[1],
      PRODUCTION[2],
      { ...PRODUCTION[3], host: 'web.acme.example' },
    ]).files;
    // WHEN summarized
    const summary = summarizeChanges(before, after);
    // THEN each change is in the subject fragments and the details
    expect(summary.fragments).toEqual(['api: replicas 3 → 5, cpu 100m → 500m', 'web: +web.acme.example, −www.acme.example']);
    expect(summary.details).toContain('web: hosts www.acme.example → web.acme.example');
  });

  test('an image repository change shows both short references', () => {
    // GIVEN api's image moved to another repository
    const after = environment('production', [{ ...PRODUCTION[0], image: 'ghcr.io/acme/api-v2:2.0.0' }, ...PRODUCTION.slice(1)]).files;
    // WHEN summarized  THEN the fragment names both images
    expect(summarizeChanges(before, after).fragments).toEqual(['api api:1.4.2 → api-v2:2.0.0']);
  });

  test('a message without changes in the subject still records the source', () => {
    // GIVEN a summary and a custom subject  WHEN the message is built
    const message = commitMessage({ environment: 'dev', summary: { fragments: ['+a'], details: ['+a: new service'] }, source: 'x@1', subject: 'Release 7' });
    // THEN the custom subject leads and the body keeps source and details
    expect(message).toBe('Release 7\n\nRendered by berth from x@1\n\n- +a: new service\n');
  });
});

describe('small parsers', () => {
  test('image references', () => {
    expect(splitImage('europe-docker.pkg.dev/acme/apps/api:1.4.2')).toEqual({ repository: 'europe-docker.pkg.dev/acme/apps/api', version: '1.4.2' });
    expect(splitImage('localhost:5000/api@sha256:0123456789abcdef0123')).toEqual({ repository: 'localhost:5000/api', version: '@0123456789ab' });
  });

  test('push porcelain output: rejected or lost lock means the remote moved; hooks do not', () => {
    expect(remoteMoved('To /r.git\n!\tHEAD:refs/heads/main\t[rejected] (fetch first)\nDone')).toBe(true);
    expect(remoteMoved('!\tHEAD:refs/heads/main\t[remote rejected] (failed to update ref)')).toBe(true);
    expect(remoteMoved('!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)')).toBe(false);
    expect(remoteMoved('fatal: could not read from remote repository')).toBe(false);
  });

  test('source repository names', () => {
    expect(repositoryName('git@github.com:acme/platform.git', '/x/platform')).toBe('acme/platform');
    expect(repositoryName('https://gitlab.example/acme/platform/', '/x/p')).toBe('acme/platform');
    expect(repositoryName('/srv/git/platform.git', '/x/checkout')).toBe('checkout');
    expect(repositoryName(undefined, '/x/checkout')).toBe('checkout');
  });

  test("remote URLs versus local paths follow git's rule", () => {
    for (const url of ['git@example.com:acme/gitops.git', 'example.com:acme/gitops.git', 'https://example.com/a/b.git', 'file:///srv/g.git']) {
      expect(isRemoteUrl(url)).toBe(true);
    }
    for (const local of ['../gitops', './x:y', '/srv/gitops', 'gitops', 'dir/with:colon']) expect(isRemoteUrl(local)).toBe(false);
  });

  test('.berth-files ignores comments and unsafe paths', () => {
    expect(parseOwnership('# header\napp-a.yaml\n../etc/passwd\n/abs\n\nsub/b.yaml\n')).toEqual(['app-a.yaml', 'sub/b.yaml']);
  });
});

describe('gitops init', () => {
  test('Flux gets an ssh:// URL for scp-like remotes', () => {
    expect(fluxUrl('git@example.com:acme/gitops.git')).toBe('ssh://git@example.com/acme/gitops.git');
    expect(fluxUrl('https://example.com/acme/gitops.git')).toBe('https://example.com/acme/gitops.git');
    expect(fluxUrl('ssh://git@example.com/acme/gitops.git')).toBe('ssh://git@example.com/acme/gitops.git');
    expect(fluxUrl('example.com:acme/gitops.git')).toBe('ssh://example.com/acme/gitops.git');
  });

  test('Argo CD Application points at the folder', () => {
    // GIVEN production in environments/production  WHEN init --argocd
    const text = initManifest({
      tool: 'argocd',
      environment: 'production',
      namespace: 'prod',
      repoUrl: 'git@example.com:acme/gitops.git',
      folder: 'environments/production',
    });
    // THEN the Application syncs that path into the namespace, pruning removed services
    expect(text).toContain('kind: Application\n');
    expect(text).toContain('    repoURL: git@example.com:acme/gitops.git\n    targetRevision: HEAD\n    path: environments/production\n');
    expect(text).toContain('    namespace: prod\n');
    expect(text).toContain('prune: true');
  });

  test('Flux GitRepository + Kustomization point at the folder', () => {
    const text = initManifest({
      tool: 'flux',
      environment: 'staging',
      namespace: 'staging',
      repoUrl: 'git@example.com:acme/gitops.git',
      branch: 'main',
      folder: 'environments/staging',
    });
    expect(text).toContain('kind: GitRepository\n');
    expect(text).toContain('url: ssh://git@example.com/acme/gitops.git\n');
    expect(text).toContain('---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n');
    expect(text).toContain('path: ./environments/staging\n');
  });
});
