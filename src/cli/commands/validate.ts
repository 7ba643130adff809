import { parseArgs } from 'node:util';
import { renderSource, sourceLabel } from '../../render/source.js';
import type { Command } from '../command.js';
import { reportError } from '../errors.js';
import { sourceFor } from '../platform-file.js';

const HELP = `Usage: berth validate [--file platform.yaml | --app "<command>"]

Checks the declaration (or the cdk8s app's rendering) and the GKE rules of its rendering, reports every
problem, writes nothing. Source as for berth synth (--file, --app, ./cdk8s.yaml, ./platform.yaml, ./berth.yaml).
`;

export const validate: Command = async (args, io) => {
  try {
    const { values } = parseArgs({ args: [...args], strict: true, options: { file: { type: 'string' }, app: { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help) return io.stdout.write(HELP), 0;
    const source = sourceFor(values, io.cwd, io);
    const environments = await renderSource(source, { env: io.env, log: (text) => io.stderr.write(text), signal: io.signal, warn: (line) => io.stderr.write(`berth: ${line}\n`) });
    const services = environments.reduce((n, e) => n + e.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').length, 0);
    io.stdout.write(`${sourceLabel(source)}: valid (${environments.length} environments, ${services} service deployments)\n`);
    return 0;
  } catch (error) {
    return reportError(error, io.stderr);
  }
};
