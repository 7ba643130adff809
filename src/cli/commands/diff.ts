import type { Command } from '../command.js';
import { SHARED_HELP, berthVersion, connect, fail, loadEnvironment, makeContext, parse, reporterFor } from '../../deploy/cli-shared.js';
import type { KubeClient } from '../../deploy/client.js';
import { deployEnvironment } from '../../deploy/deploy.js';
import { EXIT } from '../../deploy/errors.js';
import type { Reporter } from '../../deploy/report.js';

const HELP = `Usage: berth diff --env NAME [target] [options]

Shows, per object, what "berth deploy" would do: created, changed (field by field, from a server-side dry run
compared with live state), unchanged, or pruned. Writes nothing.
Exit code: 0 nothing to do, 1 differences found, other codes as for deploy.

${SHARED_HELP}  --all               also list unchanged objects
`;

export const diff: Command = async (args, io) => {
  let reporter: Reporter | undefined;
  let client: KubeClient | undefined;
  try {
    const { values } = parse(args, { all: { type: 'boolean' } });
    if (values.help) return io.stdout.write(HELP), 0;
    const { env } = loadEnvironment(values, io);
    reporter = reporterFor(values, io, true);
    const conn = await connect(values, io);
    client = conn.client;
    const ctx = makeContext(client, io, reporter, Number(values.concurrency));
    const r = await deployEnvironment(ctx, env, {
      tooling: `berth/v${berthVersion()}`, wait: false, waitLb: false, timeoutMs: 0, prune: true, dryRun: true,
    });
    const changed = r.planned.filter((p) => p.action !== 'unchanged');
    if (values.all) for (const p of r.planned.filter((x) => x.action === 'unchanged')) reporter.info(`${p.desired.kind} ${p.desired.metadata.name} unchanged`);
    const same = changed.length === 0 && r.toPrune.length === 0;
    reporter.info(same ? `${env.name}: in sync (${r.planned.length} objects)` :
      `${env.name}: ${r.planned.filter((p) => p.action === 'create').length} to create, ${r.planned.filter((p) => p.action === 'update').length} to change, ${r.toPrune.length} to prune, ${r.planned.length - changed.length} unchanged`);
    reporter.done({
      ok: true, exitCode: same ? EXIT.ok : EXIT.differences, environment: env.name,
      objects: r.planned.map((p) => ({ object: `${p.desired.kind} ${p.desired.metadata.name}`, action: p.action, changes: p.changes })),
      prune: r.toPrune,
    });
    return same ? EXIT.ok : EXIT.differences;
  } catch (err) {
    return fail(err, io, reporter);
  } finally {
    client?.close();
  }
};
