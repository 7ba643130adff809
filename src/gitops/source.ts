/**
 * Where the declaration came from, for the commit body: `acme/platform@3f2c1ab` when the
 * declaration file is in a git checkout (`-dirty` appended when it has uncommitted changes).
 */
import * as path from 'node:path';
import { gitRaw, type Env } from './git.js';

export async function describeSource(declarationFile: string, env?: Env): Promise<string> {
  const dir = path.dirname(declarationFile);
  const run = async (args: string[]): Promise<string | undefined> => {
    try {
      const result = await gitRaw(args, { cwd: dir, env });
      return result.code === 0 ? result.stdout.trim() : undefined;
    } catch {
      return undefined;
    }
  };
  const top = await run(['rev-parse', '--show-toplevel']);
  const sha = top === undefined ? undefined : await run(['rev-parse', '--short', 'HEAD']);
  if (top === undefined || sha === undefined) return path.basename(declarationFile);
  const url = await run(['remote', 'get-url', 'origin']);
  const dirty = ((await run(['status', '--porcelain', '--untracked-files=no'])) ?? '') !== '';
  return `${repositoryName(url, top)}@${sha}${dirty ? '-dirty' : ''}`;
}

/** `git@github.com:acme/platform.git` / `https://host/acme/platform` → `acme/platform`; else the folder name. */
export function repositoryName(url: string | undefined, toplevel: string): string {
  if (url !== undefined) {
    const trimmed = url.replace(/\/+$/, '').replace(/\.git$/, '');
    const match = /[/:]([^/:]+\/[^/:]+)$/.exec(trimmed);
    if (match?.[1] !== undefined && /^[a-z][a-z0-9+.-]*:\/\/|^[^/]+@[^/]+:/i.test(url)) return match[1];
  }
  return path.basename(toplevel);
}
