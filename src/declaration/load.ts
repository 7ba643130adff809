import { readFileSync } from 'node:fs';
import { DeclarationError } from './errors.js';
import { parseYaml, parseYamlFast } from './parse.js';
import type { PlatformDeclaration } from './types.js';
import { validatePlatform } from './validate.js';

/** Reads, parses and validates a YAML declaration file; throws DeclarationError naming file and line. */
export function loadPlatformFile(file: string): PlatformDeclaration {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (e as Error).message;
    throw new DeclarationError([{ path: '(file)', value: file, message: reason, fix: 'pass an existing declaration with --file' }], file);
  }
  return loadPlatformText(text, file);
}

/**
 * Parses and validates declaration text (YAML); `file` is only used in messages. Valid files take the
 * fast parser; anything invalid is parsed again with positions, so every error names its line.
 */
export function loadPlatformText(text: string, file: string): PlatformDeclaration {
  const fast = parseYamlFast(text);
  if (fast) {
    try {
      return validatePlatform(fast.data, { file });
    } catch (e) {
      if (!(e instanceof DeclarationError)) throw e;
    }
  }
  const parsed = parseYaml(text, file);
  return validatePlatform(parsed.data, { file, lineOf: parsed.lineOf });
}
