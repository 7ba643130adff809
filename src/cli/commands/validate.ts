import { parseArgs } from 'node:util';
import { loadPlatformFile } from '../../declaration/load.js';
import { renderPlatform } from '../../render/render.js';
import type { Command } from '../command.js';
import { reportError } from '../errors.js';
import { resolvePlatformFile } from '../platform-file.js';

const HELP = `Usage: berth validate [--file platform.yaml]

Checks the declaration and the GKE rules of its rendering, reports every problem, writes nothing.
`;

export const validate: Command = async (args, io) => {
  try {
    const { values } = parseArgs({ args: [...args], strict: true, options: { file: { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help) return io.stdout.write(HELP), 0;
    const file = resolvePlatformFile(values.file, io.cwd);
    const environments = renderPlatform(loadPlatformFile(file));
    const services = environments.reduce((n, e) => n + e.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').length, 0);
    io.stdout.write(`${file}: valid (${environments.length} environments, ${services} service deployments)\n`);
    return 0;
  } catch (error) {
    return reportError(error, io.stderr);
  }
};
