import type { Command, CommandIo } from './command.js';
import { berthVersion } from './version.js';
import { closestCommand } from './flags.js';

/** Every subcommand, its module under ./commands and a one-line description. */
const COMMANDS: Readonly<Record<string, string>> = {
  init: 'write a starter platform.yaml (one service, commented, with the editor schema line) here',
  synth: 'render the declaration into dist/<environment>/ (default: ./platform.yaml)',
  validate: 'check the declaration and report every problem; writes nothing',
  deploy: 'apply an environment to a cluster (server-side apply, prune, wait)',
  diff: 'show what deploy would create, change and prune',
  prune: 'delete objects berth applied earlier that are no longer declared',
  status: 'show rollout and load balancer state of an environment',
  gitops: "commit an environment's rendering to a GitOps repository",
  ecs: 'write CloudFormation for Amazon ECS and a feature mapping for one environment',
  compare: 'GKE or ECS? features and estimated monthly cost of one environment (HTML report)',
};

/** The command names, for tests and completion. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

export const USAGE = `Usage: berth <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([n, d]) => `  ${n.padEnd(9)} ${d}`)
  .join('\n')}

Global:
  -h, --help          this text; "berth <command> --help" or "berth help <command>" for a command's
  -V, --version       berth's version

Examples:
  berth validate -f platform.yaml
  berth synth -f platform.yaml --out dist
  berth deploy -e production --kubeconfig ~/.kube/config
  berth help deploy

Exit codes: 0 ok, 2 bad usage (unknown command or flag); each command's help lists its own.
`;

/** Dispatches `berth <command> ...` to its module; returns the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return (io.stderr.write(USAGE), 2);
  if (name === '--help' || name === '-h') return (io.stdout.write(USAGE), 0);
  if (name === '--version' || name === '-V' || name === 'version') return (io.stdout.write(`berth ${berthVersion()}\n`), 0);
  if (name === 'help') return help(rest, io);
  if (!(name in COMMANDS)) return unknownCommand(name, io);
  return (await load(name))(rest, io);
}

async function load(name: string): Promise<Command> {
  const mod = (await import(`./commands/${name}.js`)) as Record<string, Command>;
  const command = mod[name];
  if (!command) throw new Error(`internal: ./commands/${name}.js does not export "${name}"`);
  return command;
}

/** `berth help [command [subcommand]]`: the command's own --help. */
async function help(rest: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...sub] = rest;
  if (name === undefined) return (io.stdout.write(USAGE), 0);
  if (!(name in COMMANDS)) return unknownCommand(name, io);
  return (await load(name))([...sub, '--help'], io);
}

function unknownCommand(name: string, io: CommandIo): number {
  const hint = closestCommand(name, COMMAND_NAMES);
  io.stderr.write(`berth: unknown command "${name}".${hint ? ` Did you mean "berth ${hint}"?` : ''} Run "berth --help" for the list.\n`);
  return 2;
}
