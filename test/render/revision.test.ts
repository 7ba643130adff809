/** The declaration as of a git revision (render/revision.ts), against a real git repository in a temp folder. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeclarationError } from '../../src/declaration/errors.js';
import { RevisionError, currentRevision, renderAtRevision } from '../../src/render/revision.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-revision-'));
const file = join(dir, 'platform.yaml');
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();

const declaration = (image: string) => `environments:
  production:
    namespace: shop
services:
  - name: web
    image: ${image}
    port: 8000
    health: /healthz
    memory: 64Mi
    cpu: 10m
`;

const deploymentImage = (objects: readonly { kind: string; metadata: { name?: string }; spec?: unknown }[]) => {
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web') as { spec: { template: { spec: { containers: { image: string }[] } } } };
  return d.spec.template.spec.containers[0].image;
};

let first = '';

beforeAll(() => {
  // GIVEN a repository with two commits of the declaration (web 1.0.0, then web 2.0.0)
  git('init', '-q');
  writeFileSync(file, declaration('registry.example.com/web:1.0.0'));
  git('add', '.');
  git('commit', '-qm', 'v1');
  first = git('rev-parse', 'HEAD');
  writeFileSync(file, declaration('registry.example.com/web:2.0.0'));
  git('commit', '-qam', 'v2');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderAtRevision', () => {
  it('renders the environment as the file was at that revision', async () => {
    // WHEN rendering production at the first commit (named by a relative ref)
    const { env, revision } = await renderAtRevision(file, 'production', 'HEAD~1');
    // THEN the old image is rendered and the full commit is returned
    expect(revision).toBe(first);
    expect(env.name).toBe('production');
    expect(deploymentImage(env.objects)).toBe('registry.example.com/web:1.0.0');
  });

  it('an unknown revision is a RevisionError naming the revision and the file', async () => {
    await expect(renderAtRevision(file, 'production', 'no-such-ref')).rejects.toThrow(RevisionError);
    await expect(renderAtRevision(file, 'production', 'no-such-ref')).rejects.toThrow(`cannot resolve git revision "no-such-ref" for ${file}: no such commit`);
  });

  it('a file that did not exist at the revision is a RevisionError', async () => {
    // GIVEN a second declaration committed only now
    const other = join(dir, 'other.yaml');
    writeFileSync(other, declaration('registry.example.com/web:3.0.0'));
    git('add', 'other.yaml');
    git('commit', '-qm', 'other');
    // WHEN it is asked for at the first commit THEN the error says so
    await expect(renderAtRevision(other, 'production', first)).rejects.toThrow(
      new RevisionError(`other.yaml does not exist at revision ${first} (${first.slice(0, 12)})`),
    );
  });

  it('an unknown environment is a DeclarationError with the declared ones', async () => {
    await expect(renderAtRevision(file, 'prod', 'HEAD')).rejects.toThrow(DeclarationError);
  });

  it("outside a git repository it is a RevisionError with git's reason", async () => {
    const outside = mkdtempSync(join(tmpdir(), 'berth-revision-nogit-'));
    try {
      writeFileSync(join(outside, 'platform.yaml'), declaration('x:1'));
      await expect(renderAtRevision(join(outside, 'platform.yaml'), 'production', 'HEAD')).rejects.toThrow(
        /cannot resolve git revision "HEAD" for .*: fatal: not a git repository/,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('currentRevision', () => {
  it('is HEAD for a clean committed file, undefined once it has local edits', async () => {
    expect(await currentRevision(file)).toBe(git('rev-parse', 'HEAD'));
    writeFileSync(file, declaration('registry.example.com/web:9.9.9'));
    expect(await currentRevision(file)).toBeUndefined();
    git('checkout', '--', 'platform.yaml');
  });

  it('is undefined for a file git does not track, and outside any repository', async () => {
    // GIVEN a new file in the repository, and a declaration in a folder that is not one
    const untracked = join(dir, 'new.yaml');
    writeFileSync(untracked, declaration('registry.example.com/web:1.0.0'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'berth-no-git-'));
    const outside = join(elsewhere, 'platform.yaml');
    writeFileSync(outside, declaration('registry.example.com/web:1.0.0'));
    // WHEN / THEN neither has a revision to record (HEAD exists for the first, but the file is not in it)
    expect(await currentRevision(untracked)).toBeUndefined();
    expect(await currentRevision(outside)).toBeUndefined();
    rmSync(untracked);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
