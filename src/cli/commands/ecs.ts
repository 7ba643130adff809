import { relative, resolve } from 'node:path';
import { loadPlatformFile } from '../../declaration/load.js';
import { mkdirNoFollow, requireNoLinkUnder, writeFileNoFollow } from '../../render/no-follow.js';
import { SourceError } from '../../render/source-error.js';
import type { Command } from '../command.js';
import { LOCAL_EXIT_CODES, jsonResult, outputOf, reportFailure } from '../errors.js';
import { parseFlags } from '../flags.js';
import { sourceFor } from '../platform-file.js';

const HELP = `Usage: berth ecs -e NAME [-f platform.yaml] [--launch ec2|fargate] [--out ecs] [-o text|json]

Writes <out>/<env>/template.json (CloudFormation for Amazon ECS, built with aws-cdk-lib offline) and
<out>/<env>/mapping.md (every declared feature and how it mapped to ECS, or why it could not).
Needs a YAML declaration (--file, default ./platform.yaml or ./berth.yaml): a cdk8s app (--app) renders Kubernetes
objects, not a declaration. --launch defaults to ec2. On any error nothing is written.

  -e, --env NAME      the environment (required)
  -f, --file PATH     the declaration
  --launch ec2|fargate
  --out DIR           output folder (default ecs)
  -o, --output text|json
                      json: one document on stdout (files, resources, mapping counts, exitCode)

Examples:
  berth ecs -e production -f platform.yaml
  berth ecs -e production --launch fargate --out build/ecs -o json

${LOCAL_EXIT_CODES}`;

export const ecs: Command = async (args, io) => {
  try {
    const { values } = parseFlags('ecs', args, {
      env: { type: 'string' },
      file: { type: 'string' },
      app: { type: 'string' },
      launch: { type: 'string', default: 'ec2' },
      out: { type: 'string', default: 'ecs' },
      output: { type: 'string', default: 'text' },
    });
    if (values.help) return (io.stdout.write(HELP), 0);
    if (values.env === undefined) throw new SourceError('--env is required: the environment to put on ECS, e.g. --env production');
    const source = sourceFor(values, io.cwd, io);
    if (source.kind !== 'declaration') {
      throw new SourceError(
        `berth ecs needs a YAML declaration, but the source is a cdk8s app (${source.from}); ` +
          `pass --file platform.yaml (the ECS stage maps the declaration, not rendered Kubernetes objects)`,
      );
    }
    const platform = loadPlatformFile(source.file);
    const started = Date.now();
    const { synthEcs } = await import('../../ecs/synth.js');
    const result = synthEcs(platform, values.env, { launch: values.launch as 'ec2' | 'fargate' });
    const out = resolve(io.cwd, values.out);
    writeOutput(io.cwd, out, values.env, result.templateJson, result.mappingMarkdown);
    const counts = ['mapped', 'partial', 'unsupported'].map((s) => `${result.mapping.filter((e) => e.status === s).length} ${s}`).join(', ');
    const resources = Object.keys((result.template as { Resources: object }).Resources).length;
    const folder = relative(io.cwd, resolve(out, values.env));
    if (values.output === 'json')
      return jsonResult('json', io.stdout, 0, {
        environment: values.env,
        folder,
        files: ['template.json', 'mapping.md'],
        resources,
        launch: values.launch,
        mapping: counts,
      });
    io.stdout.write(`${folder}: template.json (${resources} resources, ${values.launch}), mapping.md (${counts}) in ${Date.now() - started} ms\n`);
    return 0;
  } catch (error) {
    return reportFailure(error, io, outputOf(args)); // EcsInputError is an InputError: exit 2 (exit-codes.ts)
  }
};

/** Both files, atomically, never through a link; nothing is written when the output folder is refused. */
function writeOutput(cwd: string, out: string, env: string, templateJson: string, mappingMarkdown: string): void {
  const role = 'berth ecs output';
  requireNoLinkUnder(cwd, out, role);
  mkdirNoFollow(out, env, role);
  writeFileNoFollow(resolve(out, env, 'template.json'), templateJson);
  writeFileNoFollow(resolve(out, env, 'mapping.md'), mappingMarkdown);
}
