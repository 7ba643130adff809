/**
 * The previous rendering of each environment, kept as a spare folder and reused for the next write.
 *
 * berth swaps in a complete new folder per environment. Writing that folder as new files costs a new inode
 * per changed file, and deleting the previous rendering frees as many; on some file systems (ext4 without
 * a journal) a new inode costs more the more were freed nearby in the last minutes. So the folder swapped
 * out is not deleted: it moves to `<out>/.berth-spare/<env>/`, each file renamed with a `.berth-spare` suffix
 * (so no tool takes the previous rendering for manifests), and the next write renames it to its scratch name,
 * gives the files back their names and rewrites them in place (a file whose content is already right is not written).
 * The spare is never visible as `<out>/<env>`: readers still see the old rendering or the new one.
 *
 * `.berth-spare/` holds a `.gitignore` of `*`, so git ignores it wherever `<out>` is committed. Nothing is
 * ever written through a link: a link at the spare folder is an error, links inside it are unlinked (never
 * followed), and files are opened with O_NOFOLLOW.
 */
import { closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createFileNoFollow, kindOf, LinkError, listing, removeEntryNoFollow } from './no-follow.js';
import { OutputError } from './output-error.js';

/** The folder under `<out>` that holds the spare renderings. */
export const SPARE_FOLDER = '.berth-spare';

const SPARE_GITIGNORE = '# berth: the previous rendering of each environment, reused by the next synth; never commit it\n*\n';

/**
 * Checks, before anything is written, that `<out>/.berth-spare` and each `<out>/.berth-spare/<env>` is
 * either missing or a real folder. A link is a LinkError; anything else an OutputError naming the fix.
 */
export function checkSpares(outDir: string, envNames: readonly string[]): void {
  const root = join(outDir, SPARE_FOLDER);
  const paths = kindOf(root) === 'dir' ? [root, ...envNames.map((n) => join(root, n))] : [root];
  for (const path of paths) {
    const kind = kindOf(path);
    if (kind === 'link') throw new LinkError(path, "berth's spare rendering folder");
    if (kind !== undefined && kind !== 'dir')
      throw new OutputError(`${path} is not a folder; berth keeps the previous rendering there. Remove it and synthesize again`);
  }
}

/**
 * Every file in a spare folder carries this suffix and nothing else is kept there, so tools that apply or
 * scan every manifest under a folder (`kubectl apply -R -f dist/`, kubeconform) never see the previous rendering.
 */
export const SPARE_SUFFIX = '.berth-spare';

/**
 * Moves the environment's spare folder to `next` (berth's scratch name) and returns its files (real name →
 * name in the folder), anything else there removed; undefined when there is no spare (then the caller
 * writes `next` from scratch).
 */
export function takeSpare(outDir: string, envName: string, next: string): Map<string, string> | undefined {
  const spare = join(outDir, SPARE_FOLDER, envName);
  if (kindOf(join(outDir, SPARE_FOLDER)) !== 'dir' || kindOf(spare) !== 'dir') return undefined;
  renameSync(spare, next);
  const held = new Map<string, string>();
  for (const [name, kind] of listing(next)) {
    if (kind === 'file' && name.endsWith(SPARE_SUFFIX)) held.set(name.slice(0, -SPARE_SUFFIX.length), name);
    else removeEntryNoFollow(next, name, kind);
  }
  return held;
}

/**
 * Makes `dir` (a former spare, holding the files `held` lists) hold exactly `files`: a held file comes back
 * under its real name and is rewritten in place if its content differs; missing files are created, held
 * files no longer rendered removed. Only top-level file names are supported; the caller writes from scratch otherwise.
 */
export function rewriteFolder(dir: string, held: ReadonlyMap<string, string>, files: ReadonlyMap<string, Buffer>): void {
  for (const [real, name] of held) if (!files.has(real)) unlinkSync(join(dir, name));
  for (const [name, content] of files) {
    const path = join(dir, name);
    const spare = held.get(name);
    if (spare !== undefined) renameSync(join(dir, spare), path); // a rename replaces a link at `path`, never follows it
    if (spare === undefined || !rewriteInPlace(path, content)) createFileNoFollow(path, content);
  }
}

/**
 * Gives `path` exactly `content` through its own inode; false (after unlinking it) when that is not safe:
 * not a regular file any more, or shared with another name (a hard link, e.g. into the live rendering).
 */
function rewriteInPlace(path: string, content: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    rmSync(path, { recursive: true, force: true }); // replaced since the listing (a link, a folder): never followed
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size === content.length && sameContent(fd, content)) return true;
    if (!st.isFile() || st.nlink !== 1) {
      unlinkSync(path);
      return false;
    }
    writeSync(fd, content, 0, content.length, 0);
    ftruncateSync(fd, content.length);
    return true;
  } finally {
    closeSync(fd);
  }
}

function sameContent(fd: number, content: Buffer): boolean {
  const held = Buffer.allocUnsafe(content.length);
  let read = 0;
  while (read < content.length) {
    const n = readSync(fd, held, read, content.length - read, read);
    if (n === 0) return false;
    read += n;
  }
  return held.equals(content);
}

/**
 * Keeps the folder just swapped out (`old`) as the environment's spare. Returns false when it could not
 * (the caller then deletes `old`).
 */
export function keepAsSpare(outDir: string, envName: string, old: string): boolean {
  const root = join(outDir, SPARE_FOLDER);
  if (kindOf(old) !== 'dir') return false;
  try {
    if (kindOf(root) === undefined) {
      mkdirSync(root);
      createFileNoFollow(join(root, '.gitignore'), SPARE_GITIGNORE);
    }
    if (kindOf(root) !== 'dir' || kindOf(join(root, envName)) !== undefined) return false;
    for (const [name, kind] of listing(old)) {
      if (kind === 'file') renameSync(join(old, name), join(old, name + SPARE_SUFFIX));
      else removeEntryNoFollow(old, name, kind); // a user's folder or link: the live rendering has its copy
    }
    renameSync(old, join(root, envName));
    return true;
  } catch {
    return false;
  }
}

/** Removes the spares of environments not in `keep` (with synth's prune). */
export function pruneSpares(outDir: string, keep: ReadonlySet<string>): void {
  const root = join(outDir, SPARE_FOLDER);
  if (kindOf(root) !== 'dir') return;
  for (const name of readdirSync(root)) {
    if (name === '.gitignore' || keep.has(name)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}
