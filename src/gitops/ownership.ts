/**
 * Which files in an environment folder belong to berth. berth records every file it writes in
 * `.berth-files` (one path a line); it rewrites or deletes only those, and refuses to overwrite
 * anything else, so hand-written files - even inside the folder - are never touched.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isSafeRelative, OWNERSHIP_FILE, ownershipText, parseOwnership } from '../render/ownership.js';
import type { RenderedEnvironment, RenderedFile } from '../render/types.js';
import { GitopsError } from './errors.js';

export { isSafeRelative, OWNERSHIP_FILE, parseOwnership };
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** What applying one environment to its folder does. Paths are relative to the folder. */
export interface FolderPlan {
  /** Files to write (rendered files, kustomization.yaml, .berth-files), sorted by path. */
  readonly write: readonly RenderedFile[];
  /** Files berth wrote before and no longer renders (removed services). */
  readonly remove: readonly string[];
  /** berth's previous files in the folder, with their content (for the change summary). */
  readonly previous: readonly RenderedFile[];
}

/** The files berth puts in an environment folder: the rendering plus kustomization.yaml and .berth-files. */
export function folderFiles(environment: RenderedEnvironment): RenderedFile[] {
  const rendered = environment.files.map((file) => ({ path: checkRelative(file.path), content: file.content }));
  for (const reserved of [KUSTOMIZATION_FILE, OWNERSHIP_FILE]) {
    if (rendered.some((file) => file.path === reserved)) {
      throw new GitopsError(`The rendering of ${environment.name} contains ${reserved}, a name berth gitops reserves.`, 1);
    }
  }
  const kustomization = { path: KUSTOMIZATION_FILE, content: kustomizationYaml(rendered) };
  const all = [...rendered, kustomization];
  const ownership = { path: OWNERSHIP_FILE, content: ownershipText(all.map((file) => file.path), 'npx berth gitops') };
  return [...all, ownership].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A Kustomization listing berth's manifest files (so `kubectl kustomize`, Flux and Argo CD build the folder). */
export function kustomizationYaml(files: readonly RenderedFile[]): string {
  const resources = files.filter((file) => isManifest(file.path)).map((file) => `  - ${file.path}\n`);
  return [
    '# Written by berth (npx berth gitops); lists only the manifests berth renders.\n',
    '# Hand-written manifests belong in another folder: berth rewrites this file on every run.\n',
    'apiVersion: kustomize.config.k8s.io/v1beta1\n',
    'kind: Kustomization\n',
    'resources:\n',
    ...resources,
  ].join('');
}

export function isManifest(file: string): boolean {
  return /\.ya?ml$/.test(file) && path.posix.basename(file) !== KUSTOMIZATION_FILE;
}

/** Reads the folder and decides what to write and delete; throws (exit 2) if a hand-written file is in the way. */
export async function planFolder(folder: string, displayFolder: string, files: readonly RenderedFile[]): Promise<FolderPlan> {
  const owned = await readOwnership(folder);
  const wanted = new Set(files.map((file) => file.path));
  const blocked: string[] = [];
  for (const file of files) {
    if (!owned.has(file.path) && file.path !== OWNERSHIP_FILE && (await exists(path.join(folder, file.path)))) {
      blocked.push(file.path);
    }
  }
  if (blocked.length > 0) {
    throw new GitopsError(
      `${displayFolder} already holds ${blocked.map((p) => `'${p}'`).join(', ')}, not written by berth ` +
        `(not listed in ${displayFolder}/${OWNERSHIP_FILE}). berth never overwrites files it did not write: ` +
        `move or delete ${blocked.length === 1 ? 'it' : 'them'}, or publish to another folder with --path.`,
      2,
    );
  }
  const previous: RenderedFile[] = [];
  for (const file of [...owned].sort()) {
    const content = await readIfFile(path.join(folder, file));
    if (content !== undefined) previous.push({ path: file, content });
  }
  const remove = previous.map((file) => file.path).filter((file) => !wanted.has(file));
  return { write: files, remove, previous };
}

async function readOwnership(folder: string): Promise<Set<string>> {
  const text = await readIfFile(path.join(folder, OWNERSHIP_FILE));
  return new Set(text === undefined ? [] : parseOwnership(text));
}

async function readIfFile(file: string): Promise<string | undefined> {
  try {
    const stat = await fs.lstat(file);
    return stat.isFile() ? await fs.readFile(file, 'utf8') : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return undefined;
    }
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes the plan's files and deletes its removed files. */
export async function applyPlan(folder: string, plan: FolderPlan): Promise<void> {
  for (const file of plan.remove) {
    await fs.rm(path.join(folder, file), { force: true });
  }
  for (const file of plan.write) {
    const target = path.join(folder, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.content, 'utf8');
  }
}

function checkRelative(file: string): string {
  if (!isSafeRelative(file)) throw new GitopsError(`Rendered file path '${file}' is not a plain relative path.`, 1);
  return file;
}
