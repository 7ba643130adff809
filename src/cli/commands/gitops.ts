/**
 * `berth gitops`: commit an environment's rendered manifests to a GitOps repository (and push),
 * and `berth gitops init`: the Argo CD / Flux object that points a cluster at that folder.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderEnvironment, renderSource, sourcePath } from '../../render/source.js';
import { kindOf, LinkError, writeFileNoFollow } from '../../render/no-follow.js';
import { DEFAULT_PATH, folderFor } from '../../gitops/commit.js';
import { GitopsError } from '../../gitops/errors.js';
import { gitRaw } from '../../gitops/git.js';
import { initManifest } from '../../gitops/init.js';
import { publish, type PublishResult } from '../../gitops/publish.js';
import { describeSource } from '../../gitops/source.js';
import { isRemoteUrl } from '../../gitops/workspace.js';
import type { Command, CommandIo } from '../command.js';
import { reportError } from '../errors.js';
import { COMMON_EXIT_RULES, EXIT, exitCodeOf, isParseArgsError } from '../exit-codes.js';
import { sourceFor } from '../platform-file.js';
import { hasCredentials, redactUrls, redacting } from '../../gitops/redact.js';

const HELP = `Usage: berth gitops --repo <url|path> (--env NAME | --all) [options]
       berth gitops init --env NAME (--argocd | --flux) --repo <url|path> [--path P] [--branch B] [--write FILE] [--file F | --app CMD]

Commits the rendered manifests of an environment to <path> in a GitOps repository, one commit per
environment, only when the rendering changed ("no changes" otherwise, exit 0). Files berth did not
write are never touched; <path>/kustomization.yaml lists berth's manifests for Argo CD / Flux.

  --repo <url|path>   GitOps repository: a URL (cloned to a temp dir) or a local checkout (clean, on a branch)
  --env NAME          environment to publish (repeatable); --all for every environment
  --path P            folder per environment, {env} is replaced (default ${DEFAULT_PATH})
  --branch B          branch to commit to (default: the remote's default branch / the checkout's branch)
  --push              push; if the remote moved meanwhile, fetch, re-apply on top and retry (never forced)
  --pr-branch NAME    commit to this new branch (for a pull request) instead of --branch
  --author "N <e>"    commit author (default: your git identity, else berth <berth@users.noreply.local>)
  --message TEXT      subject line instead of the generated one (the body still lists every change)
  --file F            declaration file (default: the app of ./cdk8s.yaml, else ./platform.yaml, else ./berth.yaml)
  --app COMMAND       render a cdk8s app instead (run with CDK8S_OUTDIR set, one chart per environment)

  --write FILE        (init) write the manifest to FILE instead of stdout (was --output before; --output is
                      the output format on every command)
  -o, --output text   text is the only format of gitops

Examples:
  berth gitops --repo git@github.com:acme/gitops.git -e production --push
  berth gitops --repo ../gitops --all
  berth gitops init -e production --flux --repo git@github.com:acme/gitops.git --write flux.yaml

Exit codes: 0 ok or no changes, 1 git/push failed (nothing committed), 2 bad input or refused checkout.
`;

/** Every message of `berth gitops` passes through URL-credential redaction (git's own output included). */
export const gitops: Command = (args, io) => gitopsCommand(args, { ...io, stdout: redacting(io.stdout), stderr: redacting(io.stderr) });

const gitopsCommand: Command = async (args, io) => {
  try {
    if (args[0] === 'init') return await init(args.slice(1), io).catch((error: unknown) => failed(error, io, ''));
    const values = parseFlags(args);
    if (values.help) return (io.stdout.write(HELP), 0);
    const repo = required(values.repo, '--repo <url|path>: the GitOps repository (a git URL or a local checkout)');
    const wanted = selectEnvironments(values.env, values.all);
    const rendering = sourceFor(values, io.cwd, io);
    const environments = await renderSource(rendering, { environments: wanted, env: io.env, log: (text) => io.stderr.write(text), signal: io.signal });
    const result = await publish({
      repo,
      environments,
      path: values.path,
      branch: values.branch,
      push: values.push ?? false,
      prBranch: values['pr-branch'],
      author: values.author,
      message: values.message,
      source: await describeSource(sourcePath(rendering), io.env),
      cwd: io.cwd,
      env: io.env,
      signal: io.signal,
      progress: (line) => io.stderr.write(`berth: ${line}\n`),
    });
    report(result, io, result.workspace.mode === 'clone');
    return 0;
  } catch (error) {
    return failed(error, io);
  }
};

function parseFlags(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      repo: { type: 'string' },
      env: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      path: { type: 'string' },
      branch: { type: 'string' },
      push: { type: 'boolean' },
      'pr-branch': { type: 'string' },
      author: { type: 'string' },
      message: { type: 'string' },
      file: { type: 'string' },
      app: { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
}

function failed(error: unknown, io: CommandIo, suffix = 'Nothing was committed.\n'): number {
  if (error instanceof GitopsError) {
    io.stderr.write(`berth gitops: ${error.message}\n${suffix}`);
    return exitCodeOf(error, COMMON_EXIT_RULES, EXIT.failed);
  }
  if (isParseArgsError(error)) {
    io.stderr.write(`berth gitops: ${(error as Error).message}. See berth gitops --help.\n`);
    return exitCodeOf(error, COMMON_EXIT_RULES, EXIT.failed);
  }
  return reportError(error, io.stderr);
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new GitopsError(`missing ${what}. See berth gitops --help.`, 2);
  return value;
}

function selectEnvironments(env: string[] | undefined, all: boolean | undefined): string[] | undefined {
  if (all && env !== undefined) throw new GitopsError('give either --env NAME or --all, not both.', 2);
  if (!all && env === undefined) throw new GitopsError('which environment? Pass --env NAME (e.g. --env production) or --all.', 2);
  return all ? undefined : env;
}

function report(result: PublishResult, io: CommandIo, clone: boolean): void {
  const committed = result.results.filter((r) => r.commit !== undefined);
  for (const r of result.results) {
    if (r.commit === undefined) io.stdout.write(`${r.environment}: no changes (${r.folder} is up to date)\n`);
    else io.stdout.write(`${r.environment}: committed ${r.commit.slice(0, 7)} to ${r.folder} on ${result.branch}\n  ${firstLine(r.message)}\n`);
  }
  if (committed.length === 0) return;
  if (result.pushed) {
    const retried = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
    const where = result.workspace.mode === 'clone' ? result.workspace.label : (result.workspace.remote ?? 'origin');
    io.stdout.write(`pushed ${result.branch} to ${where}${retried}\n`);
    return;
  }
  if (clone) {
    for (const r of committed) io.stdout.write(`\n${r.message ?? ''}`);
    io.stdout.write(`\nnot pushed: dry run, the clone of ${result.workspace.label} was discarded. Add --push to publish.\n`);
  } else {
    io.stdout.write(`not pushed: the commit is in ${result.workspace.label}; push it yourself or rerun with --push.\n`);
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? '').split('\n')[0] ?? '';
}

async function init(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      env: { type: 'string' },
      argocd: { type: 'boolean' },
      flux: { type: 'boolean' },
      repo: { type: 'string' },
      path: { type: 'string' },
      branch: { type: 'string' },
      file: { type: 'string' },
      app: { type: 'string' },
      write: { type: 'string' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return (io.stdout.write(HELP), 0);
  if (values.output !== undefined && values.output !== 'text')
    throw new GitopsError(`init: --output is the format (text); write the manifest to a file with --write ${values.output}.`, 2);
  if (values.argocd === values.flux) throw new GitopsError('init: choose exactly one of --argocd or --flux.', 2);
  const environment = required(values.env, '--env NAME: the environment the cluster should sync');
  // Renders the environment: validates its name (did-you-mean on typos) and gives its namespace.
  const rendered = await renderEnvironment(sourceFor(values, io.cwd, io), environment, {
    env: io.env,
    log: (text) => io.stderr.write(text),
    signal: io.signal,
  });
  const { url, branch } = await repositoryUrl(required(values.repo, '--repo <url>: the URL the cluster clones'), io);
  const text = initManifest({
    tool: values.argocd ? 'argocd' : 'flux',
    environment,
    namespace: rendered.namespace,
    repoUrl: url,
    branch: values.branch ?? branch,
    folder: folderFor(values.path ?? DEFAULT_PATH, environment),
  });
  if (values.write === undefined) return (io.stdout.write(text), 0);
  const target = resolve(io.cwd, values.write);
  if (kindOf(target) === 'link') throw new GitopsError(`init: ${LinkError.text(values.write, '--write')}.`, 2);
  writeFileNoFollow(target, text);
  io.stdout.write(`wrote ${values.write}: apply it to the cluster where ${values.argocd ? 'Argo CD' : 'Flux'} runs (kubectl apply -f ${values.write})\n`);
  return 0;
}

/** A URL as given, or a local checkout's upstream remote URL and branch (the cluster cannot clone a laptop path). */
async function repositoryUrl(repo: string, io: CommandIo): Promise<{ url: string; branch?: string }> {
  const found = await repositoryUrlOf(repo, io);
  if (hasCredentials(found.url)) {
    throw new GitopsError(
      `init: the repository URL ${redactUrls(found.url)} carries credentials, which would be written into the manifest. ` +
        'Pass the URL without them (e.g. https://github.com/acme/gitops.git or git@github.com:acme/gitops.git) and give the cluster its ' +
        'credentials separately (argocd repo add …, or flux create secret git …).',
      2,
    );
  }
  return found;
}

async function repositoryUrlOf(repo: string, io: CommandIo): Promise<{ url: string; branch?: string }> {
  if (isRemoteUrl(repo)) return { url: repo, branch: await defaultBranch(repo, io) };
  const dir = resolve(io.cwd, repo);
  const branch = await gitRaw(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: dir, env: io.env }).catch(() => undefined);
  const name = branch?.code === 0 ? branch.stdout.trim() : undefined;
  const remote = name ? await gitRaw(['config', '--get', `branch.${name}.remote`], { cwd: dir, env: io.env }) : undefined;
  const url = await gitRaw(['remote', 'get-url', remote?.code === 0 ? remote.stdout.trim() : 'origin'], { cwd: dir, env: io.env });
  if (url.code !== 0 || !isRemoteUrl(url.stdout.trim())) {
    throw new GitopsError(`init: --repo ${repo} is a local path; pass the URL the cluster clones (e.g. --repo git@github.com:acme/gitops.git).`, 2);
  }
  return { url: url.stdout.trim(), branch: name };
}

/** The remote's default branch (`git ls-remote --symref URL HEAD`), so Flux follows the branch the repository uses. */
async function defaultBranch(url: string, io: CommandIo): Promise<string | undefined> {
  const found = await gitRaw(['ls-remote', '--symref', url, 'HEAD'], { cwd: io.cwd, env: io.env }).catch(() => undefined);
  const branch = found?.code === 0 ? /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(found.stdout)?.[1] : undefined;
  if (!branch) io.stderr.write(`berth gitops: init: could not read the default branch of ${redactUrls(url)}; pass --branch (Flux: main assumed)\n`);
  return branch;
}
