import { renderSource, sourceLabel } from '../../render/source.js';
import type { Command } from '../command.js';
import { LOCAL_EXIT_CODES, jsonResult, outputOf, reportFailure } from '../errors.js';
import { parseFlags } from '../flags.js';
import { sourceFor } from '../platform-file.js';

const HELP = `Usage: berth validate [-f platform.yaml | --app "<command>"] [-o text|json] [-q]

Checks the declaration (or the cdk8s app's rendering) and the GKE rules of its rendering, reports every
problem, writes nothing. Source as for berth synth (--file, --app, ./cdk8s.yaml, ./platform.yaml, ./berth.yaml).

  -f, --file PATH     the declaration
  --app COMMAND       a cdk8s app instead
  -o, --output text|json
                      json: one document on stdout (source, environments, service deployments, exitCode)
  -q, --quiet         print nothing when valid (the exit code says it)

Examples:
  berth validate -f platform.yaml
  berth validate -f platform.yaml -o json

${LOCAL_EXIT_CODES}`;

export const validate: Command = async (args, io) => {
  try {
    const { values } = parseFlags('validate', args, {
      file: { type: 'string' },
      app: { type: 'string' },
      output: { type: 'string', default: 'text' },
      quiet: { type: 'boolean' },
    });
    if (values.help) return (io.stdout.write(HELP), 0);
    const source = sourceFor(values, io.cwd, io);
    const environments = await renderSource(source, {
      env: io.env,
      log: (text) => io.stderr.write(text),
      signal: io.signal,
      warn: (line) => io.stderr.write(`berth: ${line}\n`),
    });
    const services = environments.reduce((n, e) => n + e.objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').length, 0);
    if (values.output === 'json')
      return jsonResult('json', io.stdout, 0, { source: sourceLabel(source), environments: environments.map((e) => e.name), serviceDeployments: services });
    if (!values.quiet) io.stdout.write(`${sourceLabel(source)}: valid (${environments.length} environments, ${services} service deployments)\n`);
    return 0;
  } catch (error) {
    return reportFailure(error, io, outputOf(args));
  }
};
