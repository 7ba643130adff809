import type { Command } from '../command.js';
import { CLUSTER_EXIT_CODES, SHARED_HELP, berthVersion, onCluster } from '../cluster-flags.js';
import { deployEnvironment } from '../../deploy/deploy.js';
import { EXIT } from '../exit-codes.js';

const HELP = `Usage: berth diff --env NAME [target] [options]

Shows, per object, what "berth deploy" would do: created, changed (field by field, from a server-side dry run
compared with live state), unchanged, or pruned. Writes nothing.

${SHARED_HELP}  --all               also list unchanged objects
  --adopt             preview taking over declared objects that exist but are not this environment's
  --force-conflicts   preview taking over fields other field managers own

Examples:
  berth diff -e production -f platform.yaml --kubeconfig ~/.kube/config
  berth diff -e staging --all -o json

${CLUSTER_EXIT_CODES}`;

export const diff: Command = (args, io) =>
  onCluster(
    args,
    io,
    {
      command: 'diff',
      options: { timeout: { type: 'string', default: '2m' }, all: { type: 'boolean' }, adopt: { type: 'boolean' }, 'force-conflicts': { type: 'boolean' } },
      help: HELP,
      showChanges: true,
    },
    async ({ values, env, ctx, reporter }) => {
      const r = await deployEnvironment(ctx, env, {
        tooling: `berth/v${berthVersion()}`,
        wait: false,
        waitLb: false,
        timeoutMs: 0,
        prune: true,
        dryRun: true,
        adopt: !!values.adopt,
        forceConflicts: !!values['force-conflicts'],
      });
      const changed = r.planned.filter((p) => p.action !== 'unchanged');
      if (values.all)
        for (const p of r.planned.filter((x) => x.action === 'unchanged')) reporter.info(`${p.desired.kind} ${p.desired.metadata.name} unchanged`);
      const same = changed.length === 0 && r.toPrune.length === 0;
      reporter.info(
        same
          ? `${env.name}: in sync (${r.planned.length} objects)`
          : `${env.name}: ${r.planned.filter((p) => p.action === 'create').length} to create, ` +
              `${r.planned.filter((p) => p.action === 'update').length} to change, ${r.toPrune.length} to prune, ` +
              `${r.planned.length - changed.length} unchanged`,
      );
      reporter.done({
        ok: true,
        exitCode: same ? EXIT.ok : EXIT.differences,
        environment: env.name,
        objects: r.planned.map((p) => ({ object: `${p.desired.kind} ${p.desired.metadata.name}`, action: p.action, changes: p.changes })),
        prune: r.toPrune,
      });
      return same ? EXIT.ok : EXIT.differences;
    },
  );
