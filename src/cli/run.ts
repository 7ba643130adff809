import type { Command, CommandIo } from './command.js';

/** Every subcommand, its module under ./commands and a one-line description. */
const COMMANDS: Readonly<Record<string, string>> = {
  init: 'write a starter platform.yaml (one service, commented, with the editor schema line) here',
  synth: 'render the declaration into dist/<environment>/ (default: ./platform.yaml)',
  validate: 'check the declaration and report every problem; writes nothing',
  deploy: 'apply an environment to a cluster (server-side apply, prune, wait)',
  diff: 'show what deploy would create, change and prune',
  prune: 'delete objects berth applied earlier that are no longer declared',
  status: 'show rollout and load balancer state of an environment',
  gitops: 'commit an environment\'s rendering to a GitOps repository',
  ecs: 'write CloudFormation for Amazon ECS and a feature mapping for one environment',
  compare: 'GKE or ECS? features and estimated monthly cost of one environment (HTML report)',
};

export const USAGE = `Usage: berth <command> [options]

Commands:
${Object.entries(COMMANDS).map(([n, d]) => `  ${n.padEnd(9)} ${d}`).join('\n')}

Run "berth <command> --help" for a command's options.
`;

/** Dispatches `berth <command> ...` to its module; returns the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (!(name in COMMANDS)) {
    io.stderr.write(`berth: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const mod = (await import(`./commands/${name}.js`)) as Record<string, Command>;
  const command = mod[name];
  if (!command) throw new Error(`internal: ./commands/${name}.js does not export "${name}"`);
  return command(rest, io);
}
