import { resolve, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPlatformFile } from '../../declaration/load.js';
import { renderPlatform } from '../../render/render.js';
import { writeRendering } from '../../render/write.js';
import type { Command } from '../command.js';
import { reportError } from '../errors.js';
import { resolvePlatformFile } from '../platform-file.js';
import { printWarnings } from '../warnings.js';

const HELP = `Usage: berth synth [--file platform.yaml] [--out dist] [--env NAME]...

Renders every environment (or the ones given with --env) into <out>/<environment>/.
Without --file, renders the bundled example platform (charts/platform.yaml).
On any error nothing under --out is created, changed or deleted.
`;

export const synth: Command = async (args, io) => {
  try {
    const { values } = parseArgs({
      args: [...args], strict: true, allowPositionals: false,
      options: { file: { type: 'string' }, out: { type: 'string', default: 'dist' }, env: { type: 'string', multiple: true }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
    });
    if (values.help) return io.stdout.write(HELP), 0;
    const file = resolvePlatformFile(values.file, io.cwd);
    const platform = loadPlatformFile(file);
    const environments = renderPlatform(platform, { environments: values.env });
    const outDir = resolve(io.cwd, values.out!);
    writeRendering(outDir, environments, { prune: values.env === undefined, base: io.cwd });
    printWarnings(platform, file, io.stderr);
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
