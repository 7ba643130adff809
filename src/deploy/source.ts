/**
 * Deploy's git side of the source: the revision a YAML declaration is at, and the declaration rendered as
 * of a git revision (`--revision`). The current rendering itself comes from render/source.ts.
 */
import { execFile } from 'node:child_process';
import { dirname, relative } from 'node:path';
import { promisify } from 'node:util';
import { loadPlatformText } from '../declaration/load.js';
import { renderPlatform } from '../render/render.js';
import type { RenderedEnvironment } from '../render/types.js';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** `HEAD`'s commit when `file` is committed and clean; undefined outside git or with local edits (nothing to roll back to). */
export async function currentRevision(file: string): Promise<string | undefined> {
  try {
    const dir = dirname(file);
    const dirty = (await git(dir, ['status', '--porcelain', '--', file])).trim();
    if (dirty) return undefined;
    return (await git(dir, ['rev-parse', 'HEAD'])).trim() || undefined;
  } catch {
    return undefined;
  }
}

function renderOne(environments: RenderedEnvironment[], name: string): RenderedEnvironment {
  const env = environments.find((e) => e.name === name);
  if (!env) throw new Error(`environment "${name}" is not declared`);
  return env;
}

/** Renders environment `name` of the declaration file as it was at git revision `rev`. */
export async function renderAtRevision(file: string, name: string, rev: string): Promise<{ env: RenderedEnvironment; revision: string }> {
  const dir = dirname(file);
  let top: string;
  let commit: string;
  try {
    top = (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
    commit = (await git(dir, ['rev-parse', '--verify', `${rev}^{commit}`])).trim();
  } catch (err) {
    throw new Error(`cannot resolve git revision "${rev}" for ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const path = relative(top, file).split('\\').join('/');
  let text: string;
  try {
    text = await git(top, ['show', `${commit}:${path}`]);
  } catch {
    throw new Error(`${path} does not exist at revision ${rev} (${commit.slice(0, 12)})`);
  }
  const platform = loadPlatformText(text, `${file}@${commit.slice(0, 12)}`);
  return { env: renderOne(renderPlatform(platform, { environments: [name] }), name), revision: commit };
}
