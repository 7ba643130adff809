import { resolve, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSource } from '../../render/source.js';
import { writeRendering } from '../../render/write.js';
import type { Command } from '../command.js';
import { reportError } from '../errors.js';
import { sourceFor } from '../platform-file.js';

const HELP = `Usage: berth synth [--file platform.yaml | --app "<command>"] [--out dist] [--env NAME]...

Renders every environment (or the ones given with --env) into <out>/<environment>/.
Source: --file (a YAML declaration), --app (a cdk8s app command, run with CDK8S_OUTDIR set, one chart
per environment), else the app: of ./cdk8s.yaml, else the bundled example platform (charts/platform.yaml).
On any error nothing under --out is created, changed or deleted.
`;

export const synth: Command = async (args, io) => {
  try {
    const { values } = parseArgs({
      args: [...args], strict: true, allowPositionals: false,
      options: { file: { type: 'string' }, app: { type: 'string' }, out: { type: 'string', default: 'dist' }, env: { type: 'string', multiple: true }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    if (values.help) return io.stdout.write(HELP), 0;
    const source = sourceFor(values, io.cwd);
    const environments = await renderSource(source, { environments: values.env, env: io.env, log: (text) => io.stderr.write(text), signal: io.signal, warn: (line) => io.stderr.write(`berth: ${line}\n`) });
    const outDir = resolve(io.cwd, values.out!);
    writeRendering(outDir, environments, { prune: values.env === undefined, base: io.cwd });
    if (!values.quiet) {
      for (const e of environments) {
        io.stdout.write(`${relative(io.cwd, resolve(outDir, e.name)) || '.'}: ${e.objects.length} objects in ${e.files.length} files (namespace ${e.namespace})\n`);
      }
    }
    return 0;
  } catch (error) {
    return reportError(error, io.stderr);
  }
};
