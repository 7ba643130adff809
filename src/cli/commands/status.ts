import type { Command } from '../command.js';
import { CLUSTER_EXIT_CODES, SHARED_HELP, onCluster } from '../cluster-flags.js';
import { EXIT } from '../exit-codes.js';
import { statusEnvironment } from '../../deploy/status.js';

const HELP = `Usage: berth status --env NAME [target] [--no-wait-lb]

One look at an environment: objects missing or drifted from the declaration, rollout state of every
Deployment (with pod-level reasons), the load balancer's address and backend health, and stale objects.

${SHARED_HELP}  --no-wait-lb        ignore the load balancer

Examples:
  berth status -e production --kubeconfig ~/.kube/config
  berth status -e production -o json | jq .readiness

${CLUSTER_EXIT_CODES}`;

export const status: Command = (args, io) =>
  onCluster(
    args,
    io,
    { command: 'status', options: { timeout: { type: 'string', default: '2m' }, 'no-wait-lb': { type: 'boolean' } }, help: HELP },
    async ({ values, env, ctx, reporter }) => {
      const s = await statusEnvironment(ctx, env, !values['no-wait-lb']);
      for (const o of s.objects) if (o.state !== 'in sync') reporter.info(`${o.object}: ${o.state}`);
      for (const r of s.rows) reporter.info(`${r.ready ? 'ready    ' : 'not ready'} ${r.object}: ${r.message}`);
      for (const x of s.stale) reporter.info(`${x}: no longer declared (berth prune deletes it)`);
      const drift = s.objects.filter((o) => o.state !== 'in sync').length;
      reporter.info(
        `${env.name}: ${s.objects.length - drift}/${s.objects.length} objects in sync, ` +
          `${s.rows.filter((r) => r.ready).length}/${s.rows.length} ready, ${s.stale.length} stale`,
      );
      const code = s.healthy ? EXIT.ok : EXIT.differences;
      reporter.done({ ok: true, exitCode: code, environment: env.name, objects: s.objects, readiness: s.rows, stale: s.stale });
      return code;
    },
  );
