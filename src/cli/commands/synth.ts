import { resolve, relative } from 'node:path';
import { renderSource } from '../../render/source.js';
import { writeRendering } from '../../render/write.js';
import type { Command } from '../command.js';
import { LOCAL_EXIT_CODES, jsonResult, outputOf, reportFailure } from '../errors.js';
import { parseFlags } from '../flags.js';
import { sourceFor } from '../platform-file.js';

const HELP = `Usage: berth synth [-f platform.yaml | --app "<command>"] [--out dist] [-e NAME]... [-o text|json] [-q]

Renders every environment (or the ones given with --env) into <out>/<environment>/.
Source: --file (a YAML declaration), --app (a cdk8s app command, run with CDK8S_OUTDIR set, one chart
per environment), else the app: of ./cdk8s.yaml, else the bundled example platform (charts/platform.yaml).
On any error nothing under --out is created, changed or deleted.

  -f, --file PATH     the declaration
  --app COMMAND       a cdk8s app instead
  --out DIR           output folder (default dist)
  -e, --env NAME      only this environment (repeatable)
  -o, --output text|json
                      json: one document on stdout (environments, folders, object counts, exitCode)
  -q, --quiet         print nothing on success

Examples:
  berth synth -f platform.yaml
  berth synth -f platform.yaml -e production --out build/k8s
  berth synth --app "npx ts-node main.ts" -o json

${LOCAL_EXIT_CODES}`;

export const synth: Command = async (args, io) => {
  try {
    const { values } = parseFlags('synth', args, {
      file: { type: 'string' }, app: { type: 'string' }, out: { type: 'string', default: 'dist' }, env: { type: 'string', multiple: true },
      quiet: { type: 'boolean' }, output: { type: 'string', default: 'text' },
    });
    if (values.help) return io.stdout.write(HELP), 0;
    const source = sourceFor(values, io.cwd);
    const environments = await renderSource(source, { environments: values.env, env: io.env, log: (text) => io.stderr.write(text), signal: io.signal, warn: (line) => io.stderr.write(`berth: ${line}\n`) });
    const outDir = resolve(io.cwd, values.out!);
    writeRendering(outDir, environments, { prune: values.env === undefined, base: io.cwd });
    const shown = (e: { name: string }) => relative(io.cwd, resolve(outDir, e.name)) || '.';
    if (values.output === 'json') {
      return jsonResult('json', io.stdout, 0, { environments: environments.map((e) => ({ name: e.name, folder: shown(e), namespace: e.namespace, objects: e.objects.length, files: e.files.length })) });
    }
    if (!values.quiet) {
      for (const e of environments) {
        io.stdout.write(`${relative(io.cwd, resolve(outDir, e.name)) || '.'}: ${e.objects.length} objects in ${e.files.length} files (namespace ${e.namespace})\n`);
      }
    }
    return 0;
  } catch (error) {
    return reportFailure(error, io, outputOf(args));
  }
};
