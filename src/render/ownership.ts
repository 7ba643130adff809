import { posix } from 'node:path';

/**
 * The file, in every folder berth writes an environment into (`dist/<env>`, a GitOps path), that lists
 * the files berth wrote there. berth rewrites or deletes only those; anything else in the folder is
 * the user's and is never touched.
 */
export const OWNERSHIP_FILE = '.berth-files';

/** The ownership list's text: a header saying what it is, then one sorted path a line. */
export function ownershipText(paths: readonly string[], writer: string): string {
  const header =
    `# Files in this folder written by berth (${writer}). berth rewrites or deletes only\n` +
    '# these; every other file here is yours and berth never touches it.\n';
  return (
    header +
    [...paths]
      .sort()
      .map((p) => `${p}\n`)
      .join('')
  );
}

/** Paths listed in an ownership text (comments, blanks and unsafe paths ignored). */
export function parseOwnership(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && isSafeRelative(line));
}

/** A plain relative POSIX path that stays inside its folder. */
export function isSafeRelative(file: string): boolean {
  return file !== '' && !file.includes('\\') && !posix.isAbsolute(file) && file.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Entries of an ownership text that are not plain relative paths inside the folder (`..`, absolute, `\`). */
export function unsafeOwnershipEntries(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !isSafeRelative(line));
}
