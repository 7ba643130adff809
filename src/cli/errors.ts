import { DeclarationError, InputError } from '../declaration/errors.js';
import { RenderCheckError } from '../render/checks.js';
import { SourceError } from '../render/source-error.js';
import { OutputError } from '../render/write.js';
import { LinkError } from '../render/no-follow.js';

/** Exit code for bad input: invalid declaration, failed GKE check, refused output folder, bad flags. */
export const EXIT_BAD_INPUT = 2;
/** Exit code for an operational failure. */
export const EXIT_FAILURE = 1;

/** Prints an error the way every berth command does and returns its exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof DeclarationError || error instanceof RenderCheckError || error instanceof OutputError || error instanceof SourceError
    || error instanceof LinkError || error instanceof InputError) {
    stderr.write(`berth: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    stderr.write(`berth: ${(error as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  stderr.write(`berth: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILURE;
}
