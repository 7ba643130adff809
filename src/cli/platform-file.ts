import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseSource, type RenderingSource } from '../render/source.js';

/** The package root (works from `src/cli` via ts-jest and from `lib/src/cli` when compiled). */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${'/lib/'}src`) ? resolve(here, '../../..') : resolve(here, '../..');
}

/** The bundled example declaration. */
export function examplePlatformFile(): string {
  return resolve(packageRoot(), 'charts/platform.yaml');
}

/** `--file` resolved against the working directory, or the example platform when absent. */
export function resolvePlatformFile(file: string | undefined, cwd: string = process.cwd()): string {
  return file === undefined ? examplePlatformFile() : resolve(cwd, file);
}

/**
 * The rendering source of a command: `--file`, else `--app`, else `app:` of ./cdk8s.yaml, else the
 * bundled example platform (see render/source.ts).
 */
export function sourceFor(flags: { readonly file?: string; readonly app?: string }, cwd: string): RenderingSource {
  return chooseSource(flags, cwd, examplePlatformFile());
}
