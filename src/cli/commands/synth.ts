import { resolve, relative } from 'node:path';
import { renderSource } from '../../render/source.js';
import { InputError } from '../../declaration/errors.js';
import { isManifest } from '../../render/kustomization.js';
import type { RenderedEnvironment } from '../../render/types.js';
import { PhaseTimer } from '../../render/phase-timer.js';
import { checkOutputFolder, writeRendering } from '../../render/write.js';
import type { Command } from '../command.js';
import { LOCAL_EXIT_CODES, jsonResult, outputOf, reportFailure } from '../errors.js';
import { parseFlags } from '../flags.js';
import { sourceFor } from '../platform-file.js';

const HELP = `Usage: berth synth [-f platform.yaml | --app "<command>"] [--out dist | --out -] [-e NAME]... [-o text|json] [-q]

Renders every environment (or the ones given with --env) into <out>/<environment>/.
Source: --file (a YAML declaration), --app (a cdk8s app command, run with CDK8S_OUTDIR set, one chart
per environment), else the app: of ./cdk8s.yaml, else ./platform.yaml, else ./berth.yaml
(none of these: an error suggesting "berth init"; berth never falls back to its bundled example).
Each <out>/<environment>/ gets a kustomization.yaml listing the manifests (kubectl apply -k dist/production).
--out - writes ONE environment (--env NAME) as a multi-document YAML stream to stdout and nothing on disk.
On any error nothing under --out is created, changed or deleted.

  -f, --file PATH     the declaration
  --app COMMAND       a cdk8s app instead
  --out DIR           output folder (default dist); - for stdout (one environment)
  -e, --env NAME      only this environment (repeatable)
  -o, --output text|json
                      json: one document on stdout (environments, folders, object counts, exitCode)
  -q, --quiet         print nothing on success

Examples:
  berth synth -f platform.yaml
  berth synth -f platform.yaml -e production --out build/k8s
  berth synth -e production --out - | kubectl diff -f -
  berth synth --app "npx ts-node main.ts" -o json

${LOCAL_EXIT_CODES}`;

/** The one environment's manifests as one multi-document YAML stream, in file order (for `kubectl apply -f -`). */
function yamlStream(environments: readonly RenderedEnvironment[]): string {
  if (environments.length !== 1) {
    throw new InputError(
      `--out - writes ONE environment to stdout; the source has ${environments.length} (${environments.map((e) => e.name).join(', ')}). Add --env NAME`,
    );
  }
  return environments[0].files
    .filter((f) => isManifest(f.path))
    .map((f) => f.content.replace(/^---\n/, '').replace(/\n*$/, '\n'))
    .join('---\n');
}

/** Profiling only: serializes every file now (it happens on first read otherwise), so the YAML phase is timed on its own. */
function serializeAll(environments: readonly RenderedEnvironment[], timer: PhaseTimer): void {
  for (const e of environments) for (const f of e.files) void f.content;
  timer.lap('serialize (YAML)');
}

export const synth: Command = async (args, io) => {
  const timer = io.env.BERTH_PROFILE ? new PhaseTimer() : undefined;
  timer?.lap('node startup + module load');
  try {
    const { values } = parseFlags('synth', args, {
      file: { type: 'string' },
      app: { type: 'string' },
      out: { type: 'string', default: 'dist' },
      env: { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      output: { type: 'string', default: 'text' },
    });
    if (values.help) return (io.stdout.write(HELP), 0);
    const toStdout = values.out === '-';
    if (toStdout && (values.env ?? []).length > 1)
      throw new InputError(
        `--out - writes ONE environment to stdout; got --env ${values.env!.join(', --env ')}. Give one --env, or write folders with --out dist`,
      );
    const outDir = resolve(io.cwd, values.out);
    if (!toStdout) checkOutputFolder(outDir);
    const source = sourceFor(values, io.cwd, io);
    const environments = await renderSource(source, {
      environments: values.env,
      env: io.env,
      log: (text) => io.stderr.write(text),
      signal: io.signal,
      warn: (line) => io.stderr.write(`berth: ${line}\n`),
      timer,
    });
    if (timer) serializeAll(environments, timer);
    if (toStdout) return (io.stdout.write(yamlStream(environments)), 0);
    writeRendering(outDir, environments, { prune: values.env === undefined, base: io.cwd });
    timer?.lap('write files');
    if (timer) io.stderr.write(timer.report());
    const shown = (e: { name: string }) => relative(io.cwd, resolve(outDir, e.name)) || '.';
    if (values.output === 'json') {
      return jsonResult('json', io.stdout, 0, {
        environments: environments.map((e) => ({ name: e.name, folder: shown(e), namespace: e.namespace, objects: e.objects.length, files: e.files.length })),
      });
    }
    if (!values.quiet) {
      for (const e of environments) {
        const files = `${e.files.length} file${e.files.length === 1 ? '' : 's'}`;
        io.stdout.write(`${relative(io.cwd, resolve(outDir, e.name)) || '.'}: ${e.objects.length} objects in ${files} (namespace ${e.namespace})\n`);
      }
    }
    return 0;
  } catch (error) {
    return reportFailure(error, io, outputOf(args));
  }
};
