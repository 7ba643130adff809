import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  copyTreeNoFollow,
  createFileNoFollow,
  kindOf,
  type Kind,
  LinkError,
  listing,
  removeEntryNoFollow,
  requireNoLink,
  requireNoLinkUnder,
} from './no-follow.js';
import { OutputError } from './output-error.js';
import { OWNERSHIP_FILE, ownershipText, parseOwnership, unsafeOwnershipEntries } from './ownership.js';
import { KUSTOMIZATION_FILE, kustomizationYaml } from './kustomization.js';
import { checkSpares, keepAsSpare, pruneSpares, rewriteFolder, SPARE_SUFFIX, takeSpare } from './spare.js';
import type { RenderedEnvironment, RenderedFile } from './types.js';

export { OutputError } from './output-error.js';

export interface WriteOptions {
  /** Remove folders of environments that are no longer declared (berth's own files only). @default false */
  readonly prune?: boolean;
  /**
   * The folder `outDir` was given relative to (the working directory): no component of `outDir` below it
   * may be a link. @default undefined (only `outDir` itself is checked)
   */
  readonly base?: string;
}

/**
 * Writes each environment to `<outDir>/<env>/` atomically: the new folder is written next to the
 * old one and swapped in with renames, so a reader (or a crash) sees the old rendering or the new
 * one, never a mix. Files berth did not write (not listed in the old marker) are carried over; a
 * folder berth never wrote is refused. With `prune`, folders of environments that are no longer
 * declared, and that berth wrote, are removed. The folder swapped out is kept as the next write's spare
 * (spare.ts), so a re-synth creates and deletes no files. No symbolic link is ever followed: a link where
 * berth expects its own folder or file is an error (see no-follow.ts).
 */
export function writeRendering(outDir: string, environments: readonly RenderedEnvironment[], options: WriteOptions = {}): void {
  try {
    if (options.base !== undefined) requireNoLinkUnder(options.base, outDir, 'the output folder (--out)');
    else if (kindOf(outDir) === 'link') throw new LinkError(outDir, 'the output folder (--out)');
    checkOutputFolder(outDir);
    if (kindOf(outDir) === 'dir') recoverInterrupted(outDir);
    const current = environments.map((env) => preflight(join(outDir, env.name)));
    checkSpares(
      outDir,
      environments.map((env) => env.name),
    );
    makeFolders(outDir);
    environments.forEach((env, i) => swapIn(join(outDir, env.name), env, current[i]));
    if (options.prune) {
      const keep = new Set(environments.map((e) => e.name));
      pruneStale(outDir, keep);
      pruneSpares(outDir, keep);
    }
  } catch (error) {
    throw error instanceof LinkError ? new OutputError(error.message) : error;
  }
}

/**
 * Fails fast, before anything is rendered or written, when `outDir` cannot be berth's output folder:
 * it (or the nearest existing folder above it) exists and is not a folder.
 */
export function checkOutputFolder(outDir: string): void {
  let at = resolve(outDir);
  for (;;) {
    const kind = kindOf(at);
    if (kind === 'dir' || kind === 'link') return; // links are judged by the caller (requireNoLinkUnder)
    if (kind !== undefined) throw new OutputError(`${at} exists and is not a folder; choose another --out (a folder berth may create or already wrote)`);
    const up = dirname(at);
    if (up === at) return;
    at = up;
  }
}

/**
 * Creates `outDir` and missing folders above it one at a time (never `mkdir -p`: Node's recursive mkdir
 * loops forever under /proc); a folder that cannot be made is an OutputError naming it.
 */
function makeFolders(outDir: string): void {
  const missing: string[] = [];
  for (let at = resolve(outDir); kindOf(at) === undefined && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      throw new OutputError(
        `cannot create the output folder ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another --out`,
      );
    }
  }
}

/**
 * Berth-owned files in an environment folder, or undefined when berth never wrote it. The list itself,
 * and every path in it, must be link-free and inside the folder; otherwise this throws naming the entry.
 */
export function ownedFiles(dir: string, entries?: ReadonlyMap<string, Kind>): string[] | undefined {
  const marker = join(dir, OWNERSHIP_FILE);
  const kind = entries ? entries.get(OWNERSHIP_FILE) : kindOf(marker);
  if (kind === undefined) return undefined;
  if (kind !== 'file')
    throw new OutputError(`${marker} is not a regular file (${kind}); berth keeps its list of owned files there. Remove it and synthesize again`);
  const text = readFileSync(marker, 'utf8');
  const unsafe = unsafeOwnershipEntries(text);
  if (unsafe.length > 0) {
    throw new OutputError(
      `${marker} lists ${unsafe.map((e) => JSON.stringify(e)).join(', ')}: entries must be plain relative paths inside ${dir} (no "..", ` +
        `not absolute). Remove those lines`,
    );
  }
  const owned = parseOwnership(text);
  for (const entry of owned) {
    // A top-level entry's kind is known from the folder listing (no lstat per file); deeper ones are walked.
    if (entries && !entry.includes('/')) {
      if (entries.get(entry) === 'link') throw new LinkError(join(dir, entry), `listed in ${marker}`);
    } else requireNoLink(dir, entry, `listed in ${marker}`);
  }
  return owned;
}

/** `.<env>.berth-new-<pid>-<ms>` / `.<env>.berth-old-<pid>-<ms>`: the two sides of a swap in progress. */
const SWAP_NAME = /^\.(.+)\.berth-(new|old)-(\d+)-\d+$/;

/**
 * Finishes what an interrupted synth (killed, crashed, power loss) left in `outDir`. A swap renames
 * `<env>` to its `-old` name, then the complete `-new` folder to `<env>`: so when `<env>` is missing and
 * an `-old` folder exists, that is the last complete rendering (with the user's own files) and goes back
 * into place; every other leftover of a process that is no longer running is berth's scratch and is
 * removed. Leftovers of a running synth are left alone.
 */
export function recoverInterrupted(outDir: string): void {
  const leftovers = readdirSync(outDir)
    .map((name) => ({ name, match: SWAP_NAME.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null && kindOf(join(outDir, e.name)) === 'dir')
    .filter((e) => !isRunning(Number(e.match[3])))
    .sort((a, b) => (a.name < b.name ? 1 : -1)); // newest first within an environment
  for (const { name, match } of leftovers) {
    const env = join(outDir, match[1]);
    if (match[2] === 'old' && kindOf(env) === undefined) renameSync(join(outDir, name), env);
  }
  for (const { name } of leftovers) rmSync(join(outDir, name), { recursive: true, force: true });
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What an environment's output folder holds before a write: its entries (kinds from one listing) and berth's list. */
interface CurrentFolder {
  /** Top-level entries and their kinds (links not followed). Empty when the folder does not exist. */
  readonly entries: ReadonlyMap<string, Kind>;
  /** The files berth wrote there (`.berth-files`), checked link-free; undefined when berth never wrote it. */
  readonly owned: readonly string[] | undefined;
}

const NO_FOLDER: CurrentFolder = { entries: new Map(), owned: undefined };

function preflight(dir: string): CurrentFolder {
  const kind = kindOf(dir);
  if (kind === undefined) return NO_FOLDER;
  if (kind === 'link') throw new LinkError(dir, 'an environment output folder');
  if (kind !== 'dir') throw new OutputError(`${dir} exists and is not a folder; move it away or choose another --out`);
  const entries = listing(dir);
  const owned = ownedFiles(dir, entries);
  if (owned === undefined && entries.size > 0) {
    throw new OutputError(
      `${dir} exists but was not written by berth (no ${OWNERSHIP_FILE} list); refusing to replace it. Choose another --out or move the folder away`,
    );
  }
  return { entries, owned };
}

function swapIn(dir: string, env: RenderedEnvironment, current: CurrentFolder): void {
  const suffix = `${process.pid}-${Date.now()}`;
  const next = join(dirname(dir), `.${env.name}.berth-new-${suffix}`);
  const old = join(dirname(dir), `.${env.name}.berth-old-${suffix}`);
  let swapped = false;
  let entries: ReadonlyMap<string, Kind> = new Map();
  try {
    const files = fileContents(env);
    const reusable = [...files.keys()].every((p) => !p.includes('/') && !p.endsWith(SPARE_SUFFIX));
    const spare = reusable ? takeSpare(dirname(dir), env.name, next) : undefined;
    if (spare) rewriteFolder(next, spare, files);
    else writeFolder(next, files, dir, current);
    if (current.owned) entries = carryOverForeignFiles(dir, next, env, current.owned);
    if (kindOf(dir) !== undefined) renameSync(dir, old);
    try {
      renameSync(next, dir);
      swapped = true;
    } catch (e) {
      if (kindOf(old) !== undefined) renameSync(old, dir);
      throw e;
    }
  } finally {
    if (!swapped) rmSync(next, { recursive: true, force: true });
    const kept = swapped && keepAsSpare(dirname(dir), env.name, old);
    if (!kept && swapped && entries.size > 0) removeOldFolder(old, entries);
    else if (!kept) rmSync(old, { recursive: true, force: true });
  }
}

/**
 * Removes the previous rendering after the swap. Its entries are known from the listing taken before:
 * files and links are unlinked directly (unlink never follows a link), folders removed recursively (rmSync
 * does not follow links either); anything that appeared since makes rmdir fail, and then rmSync clears the rest.
 */
function removeOldFolder(old: string, entries: ReadonlyMap<string, Kind>): void {
  try {
    for (const [name, kind] of entries) removeEntryNoFollow(old, name, kind);
    rmdirSync(old);
  } catch {
    rmSync(old, { recursive: true, force: true });
  }
}

/**
 * Writes the new folder, which berth has just created for itself: each file is created there exclusively
 * (never through a link, no temporary file and rename per file: the whole folder is swapped in). A file
 * whose content berth already wrote in the current folder is hard-linked instead of written again:
 * re-synthesizing a large platform where few services changed then creates and frees almost no inodes or
 * data blocks. Only a regular file is ever linked (ownedFiles has refused links).
 */
function writeFolder(dir: string, files: ReadonlyMap<string, Buffer>, current: string, before: CurrentFolder): void {
  const owned = new Set(before.owned ?? []);
  mkdirSync(dir); // not recursive: fails if anything (a link included) already sits at the temporary name
  for (const [path, content] of files) {
    if (path.includes('/')) mkdirSync(dirname(join(dir, path)), { recursive: true });
    const known = path.includes('/') ? kindOf(join(current, path)) : before.entries.get(path);
    if (!(owned.has(path) && known === 'file' && linkIfSame(join(current, path), join(dir, path), content))) createFileNoFollow(join(dir, path), content);
  }
}

/** Every file of the environment's folder, berth's kustomization.yaml and `.berth-files` list included. */
function fileContents(env: RenderedEnvironment): Map<string, Buffer> {
  const files = withKustomization(env.files);
  const contents = new Map(files.map((f): [string, Buffer] => [f.path, Buffer.from(f.content, 'utf8')]));
  const list = ownershipText(
    files.map((f) => f.path),
    'npx berth synth',
  );
  return contents.set(OWNERSHIP_FILE, Buffer.from(list, 'utf8'));
}

/** The rendering plus a kustomization.yaml listing its manifests (`kubectl apply -k dist/<env>`), unless it has one. */
export function withKustomization(files: readonly RenderedFile[]): RenderedFile[] {
  if (files.some((f) => f.path === KUSTOMIZATION_FILE)) return [...files];
  return [...files, { path: KUSTOMIZATION_FILE, content: kustomizationYaml(files, 'npx berth synth') }].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}

/** Hard-links `existing` (a regular file, checked by the caller) to `target` when it holds exactly `content`. */
function linkIfSame(existing: string, target: string, content: Buffer): boolean {
  try {
    if (!readFileSync(existing).equals(content)) return false;
    linkSync(existing, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * The user's own entries of the current folder go into the new one as they are: links stay links.
 * Lists the folder afresh (just before the swap) and returns that listing, for removing the old folder.
 */
function carryOverForeignFiles(dir: string, next: string, env: RenderedEnvironment, owned: readonly string[]): Map<string, Kind> {
  const entries = listing(dir);
  const ours = new Set([...owned, ...withKustomization(env.files).map((f) => f.path), OWNERSHIP_FILE]);
  for (const name of entries.keys()) {
    if (ours.has(name) || kindOf(join(next, name)) !== undefined) continue;
    copyTreeNoFollow(join(dir, name), join(next, name));
  }
  return entries;
}

/** Removes folders of environments no longer declared; only berth's own files, never through a link. */
function pruneStale(outDir: string, keep: ReadonlySet<string>): void {
  for (const name of readdirSync(outDir)) {
    const dir = join(outDir, name);
    if (keep.has(name) || name.startsWith('.') || kindOf(dir) !== 'dir') continue;
    const owned = ownedFiles(dir);
    if (!owned) continue;
    const foreign = readdirSync(dir).filter((f) => f !== OWNERSHIP_FILE && !owned.includes(f));
    if (foreign.length === 0) rmSync(dir, { recursive: true, force: true });
    else for (const f of owned) rmSync(join(dir, f), { force: true });
  }
}
