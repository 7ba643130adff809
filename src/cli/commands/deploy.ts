import type { Command } from '../command.js';
import { readParent, parentFor } from '../../deploy/applyset.js';
import {
  CLUSTER_EXIT_CODES,
  SHARED_HELP,
  berthVersion,
  connect,
  fail,
  loadEnvironment,
  makeContext,
  parse,
  parseDuration,
  reporterFor,
  requireEnv,
} from '../cluster-flags.js';
import { deployEnvironment } from '../../deploy/deploy.js';
import { UsageError } from '../flags.js';
import { getOptional } from '../../deploy/live.js';
import type { Reporter } from '../../deploy/report.js';
import { currentRevision, renderAtRevision } from '../../render/revision.js';
import type { RenderingSource } from '../../render/source.js';
import type { RenderedEnvironment } from '../../render/types.js';
import type { CommandIo } from '../command.js';
import { sourceFor } from '../platform-file.js';
import type { KubeClient } from '../../deploy/client.js';
import type { DeployContext } from '../../deploy/context.js';

const HELP = `Usage: berth deploy --env NAME [target] [options]

Applies one environment with server-side apply (field manager "berth"), after a preflight of everything that
would change (a server-side dry run; in a namespace that does not exist yet, a check against the server's
OpenAPI v3 schemas); nothing is written if anything is rejected. Waits for every Deployment to roll out and the load balancer to report every
backend HEALTHY; then prunes objects that are no longer declared (ApplySet, kubectl-compatible).
Migrations (jobs with beforeDeploy) run after the preflight and before any workload change, and must complete
(bounded by --timeout, even with --no-wait); a failed one stops the deploy with exit code 8.

${SHARED_HELP}Deploy:
  --diff              show field-level changes while applying
  --timeout DUR       bound the whole wait, and every request to the API server (connect and answer,
                      retries included) (default 10m)
  --no-wait           apply (and prune) without waiting
  --no-wait-lb        wait for Deployments only, not the load balancer
  --no-prune          keep objects that are no longer declared
  --adopt             take over declared objects that exist but are not members of this environment's ApplySet
                      (otherwise an error, exit 9); each is recorded in its berth.dev/adopted-at annotation
  --force-conflicts   take over fields other field managers own (otherwise a conflict lists them, exit 9)
  --revision REV      deploy the declaration as of a git revision, or "previous" (the one deployed before the last change);
                      YAML declarations only (--file), not --app / cdk8s.yaml; checked before anything is shown

Examples:
  berth deploy -e production -f platform.yaml --kubeconfig ~/.kube/config --context prod
  berth deploy -e staging --project acme --location europe-west1 --cluster main
  berth deploy -e production --revision previous        # roll back
  berth deploy -e production -o json > result.json      # one JSON document; exitCode as the process's

${CLUSTER_EXIT_CODES}`;

const EXTRA = {
  diff: { type: 'boolean' },
  timeout: { type: 'string', default: '10m' },
  'no-wait': { type: 'boolean' },
  'no-wait-lb': { type: 'boolean' },
  'no-prune': { type: 'boolean' },
  revision: { type: 'string' },
  adopt: { type: 'boolean' },
  'force-conflicts': { type: 'boolean' },
} as const;

/** The environment to deploy and the source revision to record (YAML declarations in a clean git checkout only). */
async function source(
  ctx: DeployContext,
  io: CommandIo,
  values: { file?: string; app?: string; env?: string; revision?: string },
): Promise<{ env: RenderedEnvironment; revision?: string }> {
  const src: RenderingSource = sourceFor(values, io.cwd, io);
  const revision = values.revision;
  if (!revision) {
    const recorded = src.kind === 'declaration' ? currentRevision(src.file) : undefined; // git runs while the declaration renders
    const { env } = await loadEnvironment(values, io, src);
    return { env, revision: await recorded };
  }
  if (src.kind !== 'declaration') {
    throw new UsageError(
      `--revision renders a YAML declaration as of a git revision; the source here is a cdk8s app (${src.from}). ` +
        `Check out the revision and deploy from there, or pass --file`,
    );
  }
  const file = src.file;
  const name = requireEnv(values);
  let rev = revision;
  if (revision === 'previous') {
    const { env: now } = await loadEnvironment(values, io, src);
    const p = parentFor(name, now.namespace);
    const prev = readParent(await getOptional(ctx, `/api/v1/namespaces/${p.namespace}/secrets/${p.name}`))?.previousRevision;
    if (!prev) throw new UsageError(`no previous revision recorded for environment "${name}" (deploy from a clean git checkout records one)`);
    rev = prev;
  }
  const rendered = await renderAtRevision(file, name, rev); // an unknown revision fails here, before any announcement
  ctx.reporter.info(`rolling back to revision ${rev}`);
  return rendered;
}

export const deploy: Command = async (args, io) => {
  let reporter: Reporter | undefined;
  let client: KubeClient | undefined;
  const started = Date.now();
  try {
    const { values } = parse('deploy', args, EXTRA);
    if (values.help) return (io.stdout.write(HELP), 0);
    requireEnv(values);
    const timeoutMs = parseDuration(values.timeout);
    reporter = reporterFor(values, io, !!values.diff);
    const conn = await connect(values, io, timeoutMs);
    client = conn.client;
    const ctx = makeContext(client, io, reporter, Number(values.concurrency));
    const { env, revision } = await source(ctx, io, values);
    reporter.info(`berth deploy: environment ${env.name} (namespace ${env.namespace}) -> ${conn.target}`);
    const result = await deployEnvironment(ctx, env, {
      tooling: `berth/v${berthVersion()}`,
      wait: !values['no-wait'],
      waitLb: !values['no-wait-lb'],
      timeoutMs,
      prune: !values['no-prune'],
      revision,
      adopt: !!values.adopt,
      forceConflicts: !!values['force-conflicts'],
    });
    const count = (a: string) => result.planned.filter((p) => p.action === a).length;
    const c = client.counters;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    reporter.info(
      `${env.name}: ${count('create')} created, ${count('update')} configured, ${count('unchanged')} unchanged, ${result.pruned.length} pruned; ` +
        `${c.requests} requests (${c.writes} writes) in ${secs}s` +
        (result.rows.length ? `; ${result.rows.length} rollout check(s) ready` : ''),
    );
    reporter.done({
      ok: true,
      exitCode: 0,
      environment: env.name,
      namespace: env.namespace,
      revision,
      created: count('create'),
      configured: count('update'),
      unchanged: count('unchanged'),
      pruned: result.pruned,
      requests: c.requests,
      writes: c.writes,
      retries: c.retries,
      seconds: Number(secs),
    });
    return 0;
  } catch (err) {
    return fail(err, io, reporter, client ? { requests: client.counters.requests, writes: client.counters.writes } : {});
  } finally {
    client?.close();
  }
};
