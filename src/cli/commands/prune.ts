import type { Command } from '../command.js';
import { CLUSTER_EXIT_CODES, SHARED_HELP, berthVersion, onCluster } from '../cluster-flags.js';
import { pruneEnvironment } from '../../deploy/status.js';

const HELP = `Usage: berth prune --env NAME [target] [--dry-run]

Deletes objects that berth applied to the environment earlier (members of its ApplySet) and that are no longer
declared. Objects berth does not own are never touched. Nothing is applied.

${SHARED_HELP}  --dry-run           only list what would be deleted

Examples:
  berth prune -e production --dry-run
  berth prune -e production -f platform.yaml --kubeconfig ~/.kube/config

${CLUSTER_EXIT_CODES}`;

export const prune: Command = (args, io) =>
  onCluster(
    args,
    io,
    { command: 'prune', options: { timeout: { type: 'string', default: '2m' }, 'dry-run': { type: 'boolean' } }, help: HELP },
    async ({ values, env, ctx, reporter }) => {
      const pruned = await pruneEnvironment(ctx, env, `berth/v${berthVersion()}`, !!values['dry-run']);
      reporter.info(`${env.name}: ${pruned.length} object(s) ${values['dry-run'] ? 'would be ' : ''}pruned`);
      reporter.done({ ok: true, exitCode: 0, environment: env.name, pruned, dryRun: !!values['dry-run'] });
      return 0;
    },
  );
