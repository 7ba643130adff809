import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseSource, findDeclaration, type RenderingSource } from '../render/source.js';

/**
 * The package root: the nearest folder above this module with a package.json (this module runs from `src/cli` via
 * ts-jest, from `lib/src/cli` compiled, and bundled into `lib/bin/chunks`).
 */
export function packageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`internal: no package.json above ${start}`);
  }
}

/** The bundled example declaration (berth's own repository and tests pass it with --file; never a default). */
export function examplePlatformFile(): string {
  return resolve(packageRoot(), 'charts/platform.yaml');
}

/** `--file` resolved against the working directory, else ./platform.yaml or ./berth.yaml there (an error otherwise). */
export function resolvePlatformFile(file: string | undefined, cwd: string = process.cwd()): string {
  return file === undefined ? findDeclaration(cwd) : resolve(cwd, file);
}

/**
 * The rendering source of a command: `--file`, else `--app`, else `app:` of ./cdk8s.yaml, else
 * ./platform.yaml or ./berth.yaml (see render/source.ts); an error naming what was looked for otherwise.
 */
export function sourceFor(flags: SourceFlags, cwd: string, io?: { readonly stderr: NodeJS.WritableStream }): RenderingSource {
  const source = chooseSource(flags, cwd);
  if (io) announceSource(source, { cwd, stderr: io.stderr }, flags);
  return source;
}

/** The flags that choose a source, and those that silence the `berth: using ...` line. */
export interface SourceFlags {
  readonly file?: string;
  readonly app?: string;
  readonly quiet?: boolean;
  readonly output?: string;
}

/** How the first line names the source: a path relative to the working directory (`./platform.yaml`), or the app. */
export function shownSource(source: RenderingSource, cwd: string): string {
  if (source.kind === 'app') return `app "${source.command}" (${source.from === '--app' ? '--app' : shownPath(source.from, cwd)})`;
  return shownPath(source.file, cwd);
}

function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || rel.startsWith('/') ? file : `./${rel}`;
}

/**
 * Says on stderr which declaration the command reads (`berth: using ./platform.yaml`), so stdout stays
 * clean for JSON or YAML. Silent with --quiet or --output json.
 */
export function announceSource(
  source: RenderingSource,
  io: { readonly cwd: string; readonly stderr: NodeJS.WritableStream },
  flags: { readonly quiet?: boolean; readonly output?: string } = {},
): void {
  if (flags.quiet || flags.output === 'json') return;
  io.stderr.write(`berth: using ${shownSource(source, io.cwd)}\n`);
}
