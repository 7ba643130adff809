/**
 * The one place every command (synth, validate, deploy, diff, status, prune, gitops) gets its
 * rendering from: a YAML declaration (`--file`) or a cdk8s app (`--app`, or `app:` in ./cdk8s.yaml).
 * Either way the result is RenderedEnvironment[], held to the same checks (checks.ts) and written
 * with the same files and ownership rules; deploy and gitops only ever see that result.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jsYaml from 'js-yaml';
import { loadPlatformFile } from '../declaration/load.js';
import { collectWarnings, formatWarning } from '../declaration/warnings.js';
import { renderApp } from './app.js';
import { renderPlatform } from './render.js';
import { SourceError } from './source-error.js';
import type { PhaseTimer } from './phase-timer.js';
import type { RenderedEnvironment } from './types.js';

export { SourceError } from './source-error.js';

/** Where the rendering comes from. */
export type RenderingSource =
  | { readonly kind: 'declaration'; readonly file: string }
  | {
      readonly kind: 'app';
      /** Shell command that runs the app (cdk8s.yaml's `app`). */
      readonly command: string;
      /** Folder the app runs in. */
      readonly cwd: string;
      /** `--app`, or the path of the cdk8s.yaml the command came from. */
      readonly from: string;
    };

export interface SourceOptions {
  /** Only these environments (a typo is an error with a hint). @default every environment */
  readonly environments?: readonly string[];
  /** Environment variables for an app's process. @default none */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives what an app prints. @default discarded */
  readonly log?: (chunk: string) => void;
  readonly signal?: AbortSignal;
  /** Receives each warning about a YAML declaration (one line, file named). @default discarded */
  readonly warn?: (line: string) => void;
  /** Records where the time goes (BERTH_PROFILE). @default none */
  readonly timer?: PhaseTimer;
}

export const CDK8S_CONFIG = 'cdk8s.yaml';

/** Declaration files looked for in the working directory when neither --file nor --app nor cdk8s.yaml is there. */
export const DECLARATION_FILES = ['platform.yaml', 'berth.yaml'] as const;

/**
 * The source for a command's flags: `--file` (a YAML declaration), else `--app <command>`, else the
 * `app:` of `cdk8s.yaml` in `cwd`, else `./platform.yaml`, else `./berth.yaml`; otherwise a SourceError
 * naming everything looked for. Never a bundled example. `--file` with `--app` is an error.
 */
export function chooseSource(flags: { readonly file?: string; readonly app?: string }, cwd: string): RenderingSource {
  if (flags.file !== undefined && flags.app !== undefined)
    throw new SourceError('give either --file (a YAML declaration) or --app (a cdk8s app command), not both');
  if (flags.file !== undefined) return { kind: 'declaration', file: resolve(cwd, flags.file) };
  if (flags.app !== undefined) {
    if (flags.app.trim() === '') throw new SourceError('--app needs a command, e.g. --app "node lib/main.js"');
    return { kind: 'app', command: flags.app, cwd, from: '--app' };
  }
  const config = join(cwd, CDK8S_CONFIG);
  if (existsSync(config)) return { kind: 'app', command: appOf(config), cwd, from: config };
  return { kind: 'declaration', file: findDeclaration(cwd) };
}

/** `./platform.yaml`, else `./berth.yaml` in `cwd`; a SourceError naming what was looked for otherwise. */
export function findDeclaration(cwd: string): string {
  for (const name of DECLARATION_FILES) {
    const file = join(cwd, name);
    if (existsSync(file)) return file;
  }
  const looked = [...DECLARATION_FILES.map((n) => `./${n}`), `./${CDK8S_CONFIG}`].join(', ');
  throw new SourceError(
    `no declaration found in ${cwd} (looked for --file, --app, ${looked}); ` + 'create one with "npx berth init", or pass --file path/to/platform.yaml',
  );
}

function appOf(config: string): string {
  let parsed: unknown;
  try {
    parsed = jsYaml.load(readFileSync(config, 'utf8'));
  } catch (e) {
    throw new SourceError(`${config}: not valid YAML (${(e as Error).message.split('\n')[0]}); fix it, or pass --file platform.yaml`);
  }
  const app = (parsed as { app?: unknown } | null)?.app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new SourceError(`${config}: needs "app: <command>" (the command that runs your cdk8s app, e.g. "node lib/main.js"), or pass --file platform.yaml`);
  }
  return app;
}

/** Renders the source: every environment, or `options.environments`. */
export async function renderSource(source: RenderingSource, options: SourceOptions = {}): Promise<RenderedEnvironment[]> {
  if (source.kind === 'declaration') {
    const platform = loadPlatformFile(source.file);
    options.timer?.lap('read + parse + validate');
    const rendered = renderPlatform(platform, { environments: options.environments, timer: options.timer });
    for (const w of collectWarnings(platform)) options.warn?.(formatWarning(w, source.file));
    return rendered;
  }
  return renderApp({ command: source.command, cwd: source.cwd, env: options.env ?? {}, log: options.log, signal: options.signal }, options.environments);
}

/** One environment of the source (a typo in its name is an error with a hint). */
export async function renderEnvironment(
  source: RenderingSource,
  name: string,
  options: Omit<SourceOptions, 'environments'> = {},
): Promise<RenderedEnvironment> {
  const [env] = await renderSource(source, { ...options, environments: [name] });
  return env;
}

/** How to name the source in messages: the declaration file, or `app "<command>" (<from>)`. */
export function sourceLabel(source: RenderingSource): string {
  return source.kind === 'declaration' ? source.file : `app "${source.command}" (${source.from})`;
}

/** A path inside the source's folder, for git lookups (describing the source revision). */
export function sourcePath(source: RenderingSource): string {
  return source.kind === 'declaration' ? source.file : join(source.cwd, CDK8S_CONFIG);
}
