import { readFileSync } from 'node:fs';
import { dirname, join, resolve, relative, sep } from 'node:path';
import { InputError } from '../../declaration/errors.js';
import { askInit, splitList, type InitAnswers } from '../../init/prompt.js';
import { starterPlatform, withGitignoreBlock } from '../../init/starter.js';
import { githubWorkflow, WORKFLOW_PATH } from '../../init/workflow.js';
import { kindOf, LinkError, mkdirNoFollow, requireNoLink, writeFileNoFollow } from '../../render/no-follow.js';
import type { Command } from '../command.js';
import { reportError } from '../errors.js';
import { FlagError, parseFlags } from '../flags.js';

const HELP = `Usage: berth init [--name web] [--image IMAGE] [--host HOST] [--environments production,staging] [--port 8080]
                  [--ci github] [--yes] [--file platform.yaml]

Writes a starter declaration (commented, valid as written: one service, the given environments) with the
"# yaml-language-server: $schema=..." line for editor completion, and adds berth's scratch patterns to
.gitignore. Refuses to overwrite an existing declaration (or to write through a symbolic link).

On a terminal, asks for every value not given by flag (the default in brackets; enter keeps it; an invalid
answer is asked again with the reason) and whether to add the GitHub Actions workflow. Questions go to stderr.
-y, --yes (or stdin that is not a terminal, as in CI) never asks: flags and defaults only.

--ci github also writes ${WORKFLOW_PATH}: on a push to main, one job per environment (the first one
last) authenticates with Workload Identity Federation and runs berth validate and berth deploy. It reads the
repository variables WIF_PROVIDER, DEPLOY_SERVICE_ACCOUNT, GKE_PROJECT, GKE_LOCATION and GKE_CLUSTER (no
secrets); its header lists the one-time gcloud commands. Never overwritten.

Examples:
  berth init
  berth init --yes --ci github
  berth init --name api --image europe-docker.pkg.dev/acme/apps/api:1.4.2 --host api.acme.com --environments production,staging

Exit codes:
  0 ok (written), 2 bad flags, an invalid value, or a file already exists (nothing written)
`;

export const init: Command = async (args, io) => {
  try {
    const { values } = parseFlags('init', args, {
      name: { type: 'string' },
      image: { type: 'string' },
      host: { type: 'string' },
      environments: { type: 'string' },
      port: { type: 'string' },
      file: { type: 'string', default: 'platform.yaml' },
      ci: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
    });
    if (values.help) return (io.stdout.write(HELP), 0);
    if (values.ci !== undefined && values.ci !== 'github')
      throw new FlagError(`--ci ${values.ci}: the one CI berth writes a workflow for is github (--ci github). See berth init --help.`);
    const target = resolve(io.cwd, values.file);
    const shown = relative(io.cwd, target) || target;
    refuseExisting(target, shown);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !Number.isInteger(port)) throw new InputError(`--port ${values.port}: must be a whole number, e.g. --port 8080`);
    const given = {
      name: values.name,
      image: values.image,
      host: values.host,
      environments: values.environments === undefined ? undefined : splitList(values.environments),
      port,
    };
    starterPlatform(given);
    if (values.ci !== undefined) refuseWorkflow(io.cwd);
    const interactive = io.stdin?.isTTY === true && values.yes !== true;
    const answers: InitAnswers = interactive ? await askInit(io.stdin, io.stderr, given, values.ci === undefined) : given;
    const ci = values.ci !== undefined || answers.ci === true;
    if (ci) refuseWorkflow(io.cwd);
    const wrote = writeStarter(io.cwd, target, shown, { ...answers, ci });
    io.stdout.write(`wrote ${wrote.join(' and ')}\nnext: npx berth validate && npx berth synth\n`);
    return 0;
  } catch (error) {
    return reportError(error, io.stderr);
  }
};

/** Writes the declaration, the .gitignore additions and (when asked) the workflow; returns what it wrote, for the user. */
function writeStarter(cwd: string, target: string, shown: string, answers: InitAnswers): string[] {
  const text = starterPlatform(answers);
  const gitignore = resolve(cwd, '.gitignore');
  const kind = kindOf(gitignore);
  if (kind !== undefined && kind !== 'file')
    throw kind === 'link' ? new LinkError(gitignore, '.gitignore') : new InputError(`${gitignore} is not a regular file`);
  const ignored = withGitignoreBlock(kind === 'file' ? readFileSync(gitignore, 'utf8') : undefined);
  writeFileNoFollow(target, text);
  const wrote = [shown];
  if (ignored !== undefined) {
    writeFileNoFollow(gitignore, ignored);
    wrote.push('.gitignore additions');
  }
  if (answers.ci) {
    mkdirNoFollow(cwd, dirname(WORKFLOW_PATH), 'berth init never writes through a link');
    writeFileNoFollow(join(cwd, WORKFLOW_PATH), githubWorkflow(answers.environments ?? ['production'], relative(cwd, target).split(sep).join('/')));
    wrote.push(WORKFLOW_PATH);
  }
  return wrote;
}

/** The workflow is never overwritten nor written through a link (checked before anything is written). */
function refuseWorkflow(cwd: string): void {
  requireNoLink(cwd, WORKFLOW_PATH, 'berth init never writes through a link');
  const kind = kindOf(join(cwd, WORKFLOW_PATH));
  if (kind !== undefined) throw new InputError(`${WORKFLOW_PATH} already exists; berth init never overwrites it. Remove it or leave out --ci`);
  for (const dir of ['.github', '.github/workflows']) {
    const k = kindOf(join(cwd, dir));
    if (k !== undefined && k !== 'dir') throw new InputError(`${dir} is not a folder; berth init writes ${WORKFLOW_PATH}`);
  }
}

function refuseExisting(target: string, shown: string): void {
  const kind = kindOf(target);
  if (kind === 'link') throw new LinkError(shown, 'berth init never writes through a link');
  if (kind !== undefined) throw new InputError(`${shown} already exists; berth init never overwrites a declaration. Edit it, or pass --file another.yaml`);
  const folder = kindOf(dirname(target));
  if (folder === undefined)
    throw new InputError(
      `--file ${shown}: the folder ${dirname(shown)} does not exist; create it first (mkdir -p ${dirname(shown)}), or pass --file platform.yaml`,
    );
  if (folder === 'link') throw new LinkError(dirname(shown), 'berth init never writes through a link');
  if (folder !== 'dir') throw new InputError(`--file ${shown}: ${dirname(shown)} is not a folder; pass --file platform.yaml`);
}
