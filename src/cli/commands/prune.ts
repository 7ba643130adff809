import type { Command } from '../command.js';
import { SHARED_HELP, berthVersion, connect, fail, loadEnvironment, makeContext, parse, reporterFor } from '../../deploy/cli-shared.js';
import type { KubeClient } from '../../deploy/client.js';
import type { Reporter } from '../../deploy/report.js';
import { pruneEnvironment } from '../../deploy/status.js';

const HELP = `Usage: berth prune --env NAME [target] [--dry-run]

Deletes objects that berth applied to the environment earlier (members of its ApplySet) and that are no longer
declared. Objects berth does not own are never touched. Nothing is applied.

${SHARED_HELP}  --dry-run           only list what would be deleted
`;

export const prune: Command = async (args, io) => {
  let reporter: Reporter | undefined;
  let client: KubeClient | undefined;
  try {
    const { values } = parse(args, { 'dry-run': { type: 'boolean' } });
    if (values.help) return io.stdout.write(HELP), 0;
    const { env } = loadEnvironment(values, io);
    reporter = reporterFor(values, io);
    const conn = await connect(values, io);
    client = conn.client;
    const ctx = makeContext(client, io, reporter, Number(values.concurrency));
    const pruned = await pruneEnvironment(ctx, env, `berth/v${berthVersion()}`, !!values['dry-run']);
    reporter.info(`${env.name}: ${pruned.length} object(s) ${values['dry-run'] ? 'would be ' : ''}pruned`);
    reporter.done({ ok: true, exitCode: 0, environment: env.name, pruned, dryRun: !!values['dry-run'] });
    return 0;
  } catch (err) {
    return fail(err, io, reporter);
  } finally {
    client?.close();
  }
};
