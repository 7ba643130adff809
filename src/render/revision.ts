/**
 * The declaration as of a git revision: which revision a YAML declaration is at (recorded on deploy, for
 * `--revision previous`), and its rendering as it was at a revision (`--revision`). The render stage owns this,
 * so deploy only ever receives a rendered environment. git runs through the one runner, src/git/git.ts.
 */
import { dirname, relative } from 'node:path';
import { loadPlatformText } from '../declaration/load.js';
import { git, gitRaw } from '../git/git.js';
import { renderPlatform } from './render.js';
import { RevisionError } from './source-error.js';
import type { RenderedEnvironment } from './types.js';

export { RevisionError } from './source-error.js';

/** `HEAD`'s commit when `file` is committed and clean; undefined outside git or with local edits (nothing to roll back to). */
export async function currentRevision(file: string): Promise<string | undefined> {
  const cwd = dirname(file);
  // both at once: deploy starts this before rendering, so git works while node renders
  const [status, head] = await Promise.all(
    [git(['status', '--porcelain', '--', file], { cwd }), git(['rev-parse', 'HEAD'], { cwd })].map((p) => p.catch(() => undefined)),
  );
  if (status === undefined || status.trim()) return undefined;
  return head?.trim() || undefined;
}

/** The commit `rev` names and the repository's top folder; a RevisionError with git's own reason otherwise. */
async function resolveRevision(file: string, rev: string): Promise<{ top: string; commit: string }> {
  const cwd = dirname(file);
  const top = await gitRaw(['rev-parse', '--show-toplevel'], { cwd }).catch(() => undefined);
  const commit = top?.code === 0 ? await gitRaw(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd }) : undefined;
  if (top?.code !== 0 || commit?.code !== 0) {
    const why = top?.code !== 0 ? top?.stderr.trim().split('\n')[0] || 'git is not available' : 'no such commit';
    throw new RevisionError(`cannot resolve git revision "${rev}" for ${file}: ${why}`);
  }
  return { top: top.stdout.trim(), commit: commit.stdout.trim() };
}

/** Renders environment `name` of the declaration file as it was at git revision `rev` (an unknown name: DeclarationError). */
export async function renderAtRevision(file: string, name: string, rev: string): Promise<{ env: RenderedEnvironment; revision: string }> {
  const { top, commit } = await resolveRevision(file, rev);
  const path = relative(top, file).split('\\').join('/');
  const shown = await gitRaw(['show', `${commit}:${path}`], { cwd: top });
  if (shown.code !== 0) throw new RevisionError(`${path} does not exist at revision ${rev} (${commit.slice(0, 12)})`);
  const platform = loadPlatformText(shown.stdout, `${file}@${commit.slice(0, 12)}`);
  const [env] = renderPlatform(platform, { environments: [name] });
  return { env: env, revision: commit };
}
