/**
 * Which files in an environment folder belong to berth. berth records every file it writes in
 * `.berth-files` (one path a line); it rewrites or deletes only those, and refuses to overwrite
 * anything else, so hand-written files - even inside the folder - are never touched.
 */
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kindOf, LinkError, mkdirNoFollow, requireNoLink, writeFileNoFollow } from '../render/no-follow.js';
import { isSafeRelative, OWNERSHIP_FILE, ownershipText, parseOwnership, unsafeOwnershipEntries } from '../render/ownership.js';
import { isManifest, KUSTOMIZATION_FILE, kustomizationYaml } from '../render/kustomization.js';
import type { RenderedEnvironment, RenderedFile } from '../render/types.js';
import { GitopsError } from './errors.js';

export { isSafeRelative, OWNERSHIP_FILE, parseOwnership };
export { isManifest, KUSTOMIZATION_FILE, kustomizationYaml };

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
  const ownership = {
    path: OWNERSHIP_FILE,
    content: ownershipText(
      all.map((file) => file.path),
      'npx berth gitops',
    ),
  };
  return [...all, ownership].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads the folder and decides what to write and delete; throws (exit 2) if a hand-written file is in the way. */
export async function planFolder(folder: string, displayFolder: string, files: readonly RenderedFile[]): Promise<FolderPlan> {
  const repoDir = folder.slice(0, folder.length - displayFolder.length);
  const owned = noLinks(repoDir, () => {
    const listed = readOwnership(folder, displayFolder);
    for (const file of [...listed, ...files.map((f) => f.path)]) requireNoLink(folder, file, `in ${displayFolder}`);
    return listed;
  });
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

/** berth's list of its files in the folder; a link or an entry outside the folder is an error naming it. */
function readOwnership(folder: string, displayFolder: string): Set<string> {
  const marker = path.join(folder, OWNERSHIP_FILE);
  const kind = kindOf(marker);
  if (kind === undefined) return new Set();
  if (kind === 'link') throw new LinkError(marker, "berth's list of its own files");
  if (kind !== 'file') throw new GitopsError(`${displayFolder}/${OWNERSHIP_FILE} is not a regular file; remove it and run berth gitops again.`, 2);
  const text = readFileSync(marker, 'utf8');
  const unsafe = unsafeOwnershipEntries(text);
  if (unsafe.length > 0) {
    throw new GitopsError(
      `${displayFolder}/${OWNERSHIP_FILE} lists ${unsafe.map((e) => `'${e}'`).join(', ')}: entries must be plain relative paths ` +
        `inside ${displayFolder} (no '..', not absolute). berth will not delete or write them; remove those lines and commit.`,
      2,
    );
  }
  return new Set(parseOwnership(text));
}

/** Runs a link check; a LinkError becomes a GitopsError (exit 2) naming the link relative to `repoDir`. */
export function noLinks<T>(repoDir: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof LinkError)) throw error;
    const shown = path.relative(repoDir, error.link) || error.link;
    throw new GitopsError(`${LinkError.text(shown, error.role)}. Nothing was written or deleted.`, 2);
  }
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

/** Writes the plan's files (atomically) and deletes its removed files, re-checking for links just before each. */
export async function applyPlan(folder: string, plan: FolderPlan): Promise<void> {
  for (const file of plan.remove) {
    requireNoLink(folder, file, 'a file berth removes');
    await fs.rm(path.join(folder, file), { force: true });
  }
  for (const file of plan.write) {
    mkdirNoFollow(folder, path.posix.dirname(file.path), 'a folder berth writes into');
    writeFileNoFollow(path.join(folder, file.path), file.content);
  }
}

function checkRelative(file: string): string {
  if (!isSafeRelative(file)) throw new GitopsError(`Rendered file path '${file}' is not a plain relative path.`, 1);
  return file;
}
