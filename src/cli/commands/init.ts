import { readFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { InputError } from '../../declaration/errors.js';
import { starterPlatform, withGitignoreBlock } from '../../init/starter.js';
import { kindOf, LinkError, writeFileNoFollow } from '../../render/no-follow.js';
import type { Command } from '../command.js';
import { reportError } from '../errors.js';
import { parseFlags } from '../flags.js';

const HELP = `Usage: berth init [--name web] [--image IMAGE] [--host HOST] [--environments production,staging] [--port 8080] [--file platform.yaml]

Writes a starter declaration (commented, valid as written: one service, the given environments) with the
"# yaml-language-server: $schema=..." line for editor completion, and adds berth's scratch patterns to
.gitignore. Refuses to overwrite an existing declaration (or to write through a symbolic link).

Examples:
  berth init
  berth init --name api --image europe-docker.pkg.dev/acme/apps/api:1.4.2 --host api.acme.com --environments production,staging

Exit codes:
  0 ok (written), 2 bad flags or the file already exists (nothing written)
`;

export const init: Command = async (args, io) => {
  try {
    const { values } = parseFlags('init', args, {
      name: { type: 'string' }, image: { type: 'string' }, host: { type: 'string' }, environments: { type: 'string' },
      port: { type: 'string' }, file: { type: 'string', default: 'platform.yaml' },
    });
    if (values.help) return io.stdout.write(HELP), 0;
    const target = resolve(io.cwd, values.file!);
    const shown = relative(io.cwd, target) || target;
    refuseExisting(target, shown);
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !Number.isInteger(port)) throw new InputError(`--port ${values.port}: must be a whole number, e.g. --port 8080`);
    const environments = values.environments?.split(',').map((e) => e.trim()).filter(Boolean);
    const text = starterPlatform({ name: values.name, image: values.image, host: values.host, environments, port });
    const gitignore = resolve(io.cwd, '.gitignore');
    const kind = kindOf(gitignore);
    if (kind !== undefined && kind !== 'file') throw kind === 'link' ? new LinkError(gitignore, '.gitignore') : new InputError(`${gitignore} is not a regular file`);
    const ignored = withGitignoreBlock(kind === 'file' ? readFileSync(gitignore, 'utf8') : undefined);
    writeFileNoFollow(target, text);
    if (ignored !== undefined) writeFileNoFollow(gitignore, ignored);
    io.stdout.write(`wrote ${shown}${ignored !== undefined ? ' and .gitignore additions' : ''}\nnext: npx berth validate && npx berth synth\n`);
    return 0;
  } catch (error) {
    return reportError(error, io.stderr);
  }
};

function refuseExisting(target: string, shown: string): void {
  const kind = kindOf(target);
  if (kind === 'link') throw new LinkError(shown, 'berth init never writes through a link');
  if (kind !== undefined) throw new InputError(`${shown} already exists; berth init never overwrites a declaration. Edit it, or pass --file another.yaml`);
}
