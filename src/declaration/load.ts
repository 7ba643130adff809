import { readFileSync, statSync } from 'node:fs';
import { DeclarationError } from './errors.js';
import { parseYaml, parseYamlFast } from './parse.js';
import type { PlatformDeclaration } from './types.js';
import { freezeDeclaration, validatePlatform } from './validate.js';

/** Reads, parses and validates a YAML declaration file; throws DeclarationError naming file and line. */
export function loadPlatformFile(file: string): PlatformDeclaration {
  return loadPlatformText(readDeclarationFile(file), file);
}

/** Declarations larger than this are refused before they are read (a platform of 5000 services is ~1.5 MB). */
export const MAX_DECLARATION_BYTES = 8 * 1024 * 1024;

/** The file's text; a missing file, a device, FIFO or folder, or an oversized file is a DeclarationError, checked before reading. */
export function readDeclarationFile(file: string): string {
  const refuse = (message: string, fix: string): never => {
    throw new DeclarationError([{ path: '(file)', value: file, message, fix }], file);
  };
  let size = 0;
  try {
    const st = statSync(file);
    if (!st.isFile()) refuse('is not a regular file (a folder, device, FIFO or socket)', 'pass the path of a YAML declaration file with --file');
    size = st.size;
  } catch (e) {
    if (e instanceof DeclarationError) throw e;
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (e as Error).message;
    refuse(reason, 'pass an existing declaration with --file');
  }
  if (size > MAX_DECLARATION_BYTES)
    refuse(
      `is ${size} bytes, over berth's limit of ${MAX_DECLARATION_BYTES} bytes for a declaration`,
      'split the platform, or check that --file names the declaration',
    );
  return readFileSync(file, 'utf8');
}

/**
 * Parses and validates declaration text (YAML); `file` is only used in messages. Valid files take the
 * fast parser; anything invalid is parsed again with positions, so every error names its line. The
 * declaration comes back deep-frozen, so rendering it need not validate it again.
 */
export function loadPlatformText(text: string, file: string): PlatformDeclaration {
  const fast = parseYamlFast(text);
  if (fast) {
    try {
      return validatePlatform(freezeDeclaration(fast.data), { file });
    } catch (e) {
      if (!(e instanceof DeclarationError)) throw e;
    }
  }
  const parsed = parseYaml(text, file);
  return validatePlatform(freezeDeclaration(parsed.data), { file, lineOf: parsed.lineOf });
}
