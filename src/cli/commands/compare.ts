import { relative } from 'node:path';
import { buildComparison, requireServices } from '../../compare/compare.js';
import type { EcsInput, EcsMappingEntry, EcsTaskSummary } from '../../compare/ecs-input.js';
import { loadPrices } from '../../compare/prices-file.js';
import { DEFAULT_PRICES } from '../../compare/prices.js';
import { writeComparison } from '../../compare/write.js';
import { loadPlatformFile } from '../../declaration/load.js';
import type { PlatformDeclaration } from '../../declaration/types.js';
import { renderPlatform } from '../../render/render.js';
import type { Command } from '../command.js';
import { LOCAL_EXIT_CODES, jsonResult, outputOf, reportFailure } from '../errors.js';
import { parseFlags } from '../flags.js';
import { announceSource, resolvePlatformFile } from '../platform-file.js';

const HELP = `Usage: berth compare -e NAME [-f platform.yaml] [--prices prices.json] [--out compare] [-o text|json]

Compares running one environment on GKE (berth's rendering) and on Amazon ECS (berth ecs's rendering):
features point by point and estimated monthly cost of GKE Standard, GKE Autopilot, ECS on EC2, ECS Fargate
and the legacy one-load-balancer-per-service design. Writes <out>/index.html (one self-contained page),
<out>/report.md and <out>/data.json. --prices replaces berth's dated price table (every key required; the
"prices" object of a data.json is a valid file). On any error nothing is written.
-o json prints one document (files written, monthly estimate per option, exitCode) instead of the text lines.

Examples:
  berth compare -e production -f platform.yaml
  berth compare -e production --prices my-prices.json --out build/compare -o json

${LOCAL_EXIT_CODES}`;

type SynthEcs = (platform: PlatformDeclaration, env: string, options: { launch: 'ec2' | 'fargate' }) => { mapping: EcsMappingEntry[]; tasks: EcsTaskSummary[] };

/** Where the ECS side comes from (the real renderer; tests may pass another). */
export type EcsLoader = (platform: PlatformDeclaration, env: string) => Promise<EcsInput>;

/** The ECS rendering of the environment (src/ecs, aws-cdk-lib), loaded only when compare runs. */
export async function ecsInput(platform: PlatformDeclaration, env: string): Promise<EcsInput> {
  let synthEcs: SynthEcs;
  try {
    // loaded here, not at the top: synth and deploy never load aws-cdk-lib
    synthEcs = (await import('../../ecs/synth.js')).synthEcs;
  } catch (error) {
    throw new Error(`the ECS renderer (src/ecs/synth.ts) is not available in this build: ${(error as Error).message}`);
  }
  const ec2 = synthEcs(platform, env, { launch: 'ec2' });
  const fargate = synthEcs(platform, env, { launch: 'fargate' });
  return { mapping: ec2.mapping, ec2Tasks: ec2.tasks, fargateTasks: fargate.tasks };
}

export const compare: Command = (args, io) => runCompare(args, io, ecsInput);

/** `berth compare` with the ECS side from `loadEcs`. */
export async function runCompare(args: readonly string[], io: Parameters<Command>[1], loadEcs: EcsLoader): Promise<number> {
  try {
    const { values } = parseFlags('compare', args, {
      env: { type: 'string' },
      file: { type: 'string' },
      prices: { type: 'string' },
      out: { type: 'string', default: 'compare' },
      output: { type: 'string', default: 'text' },
    });
    if (values.help) return (io.stdout.write(HELP), 0);
    if (values.env === undefined) {
      io.stderr.write(`berth: compare needs --env NAME (the environment to compare, e.g. --env production). See berth compare --help.\n`);
      return jsonResult(values.output, io.stdout, 2, { error: 'compare needs --env NAME' });
    }
    const prices = values.prices === undefined ? DEFAULT_PRICES : loadPrices(resolvePlatformFile(values.prices, io.cwd));
    const file = resolvePlatformFile(values.file, io.cwd);
    announceSource({ kind: 'declaration', file }, io);
    const platform = loadPlatformFile(file);
    const [environment] = renderPlatform(platform, { environments: [values.env] });
    requireServices(environment);
    const data = buildComparison({ environment: environment, ecs: await loadEcs(platform, values.env), prices, source: relative(io.cwd, file) || file });
    const written = writeComparison(io.cwd, values.out, data);
    for (const line of data.consistency) io.stderr.write(`berth: warning: the GKE and ECS renderings differ (the comparison is void there): ${line}\n`);
    if (values.output === 'json') {
      return jsonResult('json', io.stdout, 0, {
        files: written.map((p) => relative(io.cwd, p)),
        options: data.options.map((o) => ({ label: o.label, machine: o.machine, nodes: o.nodes, monthly: o.monthly })),
      });
    }
    for (const path of written) io.stdout.write(`${relative(io.cwd, path)}\n`);
    for (const o of data.options)
      io.stdout.write(
        `  ${o.label.padEnd(28)} ${o.machine ? `${o.nodes} × ${o.machine}`.padEnd(20) : ''.padEnd(20)} $${o.monthly.toFixed(2)}/month (estimate)\n`,
      );
    return 0;
  } catch (error) {
    return reportFailure(error, io, outputOf(args));
  }
}
