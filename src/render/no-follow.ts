/**
 * Filesystem steps that never follow a symbolic link. Everything berth writes, deletes or copies
 * (synth's output folders, the GitOps work tree, the paths listed in `.berth-files`) goes through
 * these: a link where berth expects its own file or folder is refused, never used as a target, so a
 * link committed to a GitOps repository or placed in `dist/` cannot point berth's writes elsewhere.
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { isSafeRelative } from './ownership.js';

/** A path berth would write, delete or copy through is (or passes through) a symbolic link. */
export class LinkError extends Error {
  constructor(
    /** The link, as given by the caller's root plus the relative path. */
    readonly link: string,
    readonly role: string,
  ) {
    super(LinkError.text(link, role));
    this.name = 'LinkError';
  }

  /** The message with the link shown as `shown` (e.g. relative to a repository). */
  static text(shown: string, role: string): string {
    return `${shown} is a symbolic link; berth never writes, deletes or copies through a link (${role}). Replace it with a real folder or file, or remove it`;
  }
}

/** What is at a path, links not followed; undefined when nothing is. */
export type Kind = 'file' | 'dir' | 'link' | 'other' | undefined;

/** A folder's entries and their kinds from one listing (links not followed). */
export function listing(dir: string): Map<string, Kind> {
  return new Map(
    readdirSync(dir, { withFileTypes: true }).map((e): [string, Kind] => [
      e.name,
      e.isSymbolicLink() ? 'link' : e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other',
    ]),
  );
}

/** Removes one entry of a folder listing (`kind` from `listing`): a folder recursively; neither unlink nor rmSync follows a link. */
export function removeEntryNoFollow(dir: string, name: string, kind: Kind): void {
  if (kind === 'dir') rmSync(join(dir, name), { recursive: true, force: true });
  else unlinkSync(join(dir, name));
}

/** What is at `path` without following a link there; undefined when nothing is. */
export function kindOf(path: string): Kind {
  try {
    const st = lstatSync(path);
    return st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Throws LinkError when `root` or any existing component of `rel` below it is a symbolic link.
 * `rel` must be a plain relative path (no `..`, not absolute); `role` says what the path is for.
 */
export function requireNoLink(root: string, rel: string, role: string): void {
  if (kindOf(root) === 'link') throw new LinkError(root, role);
  if (rel === '' || rel === '.') return;
  if (!isSafeRelative(rel)) throw new Error(`internal: ${JSON.stringify(rel)} is not a plain relative path`);
  let at = root;
  for (const part of rel.split('/')) {
    at = join(at, part);
    const kind = kindOf(at);
    if (kind === undefined) return;
    if (kind === 'link') throw new LinkError(at, role);
  }
}

/**
 * Checks the components of `target` that lie inside `base` (e.g. `--out` under the working directory):
 * none may be a link. Components above `base` (the system's own layout) are not judged; `target` itself
 * is always checked.
 */
export function requireNoLinkUnder(base: string, target: string, role: string): void {
  const rel = relative(base, target);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  if (inside) requireNoLink(base, rel.split(sep).join('/'), role);
  else if (kindOf(target) === 'link') throw new LinkError(target, role);
}

/** Writes a file atomically (temp file + rename): a link at `path` is replaced, never written through. */
export function writeFileNoFollow(path: string, content: string): void {
  const temp = join(dirname(path), `.${process.pid}.${Date.now()}.berth-tmp`);
  try {
    writeFileSync(temp, content, { flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Creates a NEW file (O_CREAT|O_EXCL): fails if anything, a link included, is already at `path`, so it
 * never writes through a link. For files in a folder berth has just created for itself (synth's
 * `.<env>.berth-new-…` folder, swapped in whole), where a temporary file and a rename per file would
 * only add work.
 */
export function createFileNoFollow(path: string, content: string | Uint8Array): void {
  writeFileSync(path, content, { flag: 'wx' });
}

/** Creates `rel`'s folders under `root`, refusing any link on the way. */
export function mkdirNoFollow(root: string, rel: string, role: string): void {
  requireNoLink(root, rel, role);
  mkdirSync(join(root, rel), { recursive: true });
  requireNoLink(root, rel, role);
}

/**
 * Copies a tree without following links: files are copied, folders recreated, and a link is
 * recreated as the same link (so a link to a large folder costs nothing and a link loop is harmless).
 */
export function copyTreeNoFollow(from: string, to: string): void {
  const kind = kindOf(from);
  if (kind === 'link') symlinkSync(readlinkSync(from), to);
  else if (kind === 'file') copyFileSync(from, to);
  else if (kind === 'dir') {
    mkdirSync(to);
    for (const name of readdirSync(from)) copyTreeNoFollow(join(from, name), join(to, name));
  } else if (kind === 'other') {
    throw new Error(`${from} is a socket, FIFO or device; berth cannot carry it over to the new rendering. Move it out of the output folder`);
  }
}
