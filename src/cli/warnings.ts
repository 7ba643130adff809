import { collectWarnings, formatWarning } from '../declaration/warnings.js';
import type { PlatformDeclaration } from '../declaration/types.js';

/** Prints the declaration's warnings to stderr, one per line (`berth: <file>: warning: ...`); never changes the exit code. */
export function printWarnings(platform: PlatformDeclaration, file: string, stderr: NodeJS.WritableStream): void {
  for (const w of collectWarnings(platform)) stderr.write(`berth: ${formatWarning(w, file)}\n`);
}
