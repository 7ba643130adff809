/** `berth init` on a terminal (src/init/prompt.ts): asks for what the flags left out, re-asks on invalid answers. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { init } from '../../src/cli/commands/init.js';
import { loadPlatformFile } from '../../src/declaration/load.js';
import { WORKFLOW_PATH } from '../../src/init/workflow.js';
import { captureIo, tempDir } from '../helpers.js';

/** A repository and an io whose stdin is a terminal that has `lines` typed into it (then, if `end`, closed). */
function terminal(lines: readonly string[], { isTTY = true, end = true } = {}) {
  const dir = tempDir('berth-init-tty-');
  const stdin = Object.assign(new PassThrough(), { isTTY });
  stdin.write(lines.map((l) => `${l}\n`).join(''));
  if (end) stdin.end();
  return { dir, io: { ...captureIo(dir), stdin } };
}

/** The questions as printed: each label, its default in brackets, then ": " (or " " after [y/N]). */
const LABEL =
  /(Service name|Container image \(pinned tag or digest\)|Public host name|Environments \(comma-separated, production-like first\)|Port the container listens on|Add a GitHub Actions deploy workflow\?) \[[^\]]*\]:? /g;
const questions = (err: string) => err.match(LABEL) ?? [];

describe('berth init on a terminal', () => {
  it('asks for every value in turn (defaults in brackets, on stderr) and writes the answers', async () => {
    // GIVEN a terminal where the user types every answer
    const { dir, io } = terminal(['shop', 'registry.example.com/shop:2.0.1', 'shop.acme.com', 'production, staging', '9000', 'n']);
    // WHEN init runs without flags
    expect(await init([], io)).toBe(0);
    // THEN every question went to stderr with its default, stdout only says what was written
    expect(questions(io.err())).toEqual([
      'Service name [web]: ',
      'Container image (pinned tag or digest) [registry.example.com/shop:1.0.0]: ',
      'Public host name [shop.example.com]: ',
      'Environments (comma-separated, production-like first) [production]: ',
      'Port the container listens on [8080]: ',
      'Add a GitHub Actions deploy workflow? [y/N] ',
    ]);
    expect(io.out()).toBe('wrote platform.yaml and .gitignore additions\nnext: npx berth validate && npx berth synth\n');
    // AND the declaration holds the answers
    const platform = loadPlatformFile(join(dir, 'platform.yaml'));
    expect(Object.keys(platform.environments)).toEqual(['production', 'staging']);
    expect(platform.services).toEqual([expect.objectContaining({ name: 'shop', image: 'registry.example.com/shop:2.0.1', host: 'shop.acme.com', port: 9000 })]);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'platform.yaml']);
  });

  it('keeps each default on an empty line; later defaults follow the name given', async () => {
    // GIVEN a terminal where the user names the service, then presses enter for everything, and answers y
    const { dir, io } = terminal(['api', '', '', '', '', 'y']);
    // WHEN init runs THEN the defaults derived from "api" were offered and kept, and the workflow was written
    expect(await init([], io)).toBe(0);
    expect(questions(io.err())[1]).toBe('Container image (pinned tag or digest) [registry.example.com/api:1.0.0]: ');
    const platform = loadPlatformFile(join(dir, 'platform.yaml'));
    expect(platform.services).toEqual([expect.objectContaining({ name: 'api', image: 'registry.example.com/api:1.0.0', host: 'api.example.com', port: 8080 })]);
    expect(Object.keys(platform.environments)).toEqual(['production']);
    expect(readFileSync(join(dir, WORKFLOW_PATH), 'utf8')).toContain('npx berth deploy --env production');
  });

  it("asks again, with the validator's reason, after an invalid name, a :latest image and a non-numeric port", async () => {
    // GIVEN a terminal where the user first types invalid answers, then valid ones
    const { dir, io } = terminal([
      'Shop_1',
      'shop',
      'registry.example.com/shop:latest',
      'registry.example.com/shop:1.0.1',
      '',
      'prod,Staging',
      'prod,staging',
      'eighty',
      '80',
      '',
    ]);
    // WHEN init runs
    expect(await init([], io)).toBe(0);
    // THEN each refused answer got its reason and the same question again
    const err = io.err();
    expect(err).toContain('"Shop_1": must be an RFC 1035 label');
    expect(err).toContain('Fix: use e.g. "shop-1"');
    expect(err).toContain('"registry.example.com/shop:latest": uses ":latest"');
    expect(err).toContain('"Staging": environment name must be an RFC 1123 label');
    expect(err).toContain('port eighty: must be a whole number');
    const asked = questions(err).map((q) => q.replace(/ \[.*/, ''));
    expect(asked).toEqual([
      'Service name',
      'Service name',
      'Container image (pinned tag or digest)',
      'Container image (pinned tag or digest)',
      'Public host name',
      'Environments (comma-separated, production-like first)',
      'Environments (comma-separated, production-like first)',
      'Port the container listens on',
      'Port the container listens on',
      'Add a GitHub Actions deploy workflow?',
    ]);
    // AND the valid answers were written
    const platform = loadPlatformFile(join(dir, 'platform.yaml'));
    expect(platform.services).toEqual([expect.objectContaining({ name: 'shop', image: 'registry.example.com/shop:1.0.1', port: 80 })]);
    expect(Object.keys(platform.environments)).toEqual(['prod', 'staging']);
  });

  it('asks only for what the flags left out (and not about CI when --ci is given)', async () => {
    // GIVEN flags for name and environments and --ci github
    const { dir, io } = terminal(['', '', '']);
    // WHEN init runs
    expect(await init(['--name', 'shop', '--environments', 'production,staging', '--ci', 'github'], io)).toBe(0);
    // THEN only image, host and port were asked
    expect(questions(io.err()).map((q) => q.replace(/ \[.*/, ''))).toEqual([
      'Container image (pinned tag or digest)',
      'Public host name',
      'Port the container listens on',
    ]);
    expect(readdirSync(join(dir, '.github', 'workflows'))).toEqual(['berth-deploy.yaml']);
  });

  it.each([
    ['--yes on a terminal', ['--yes'], true],
    ['-y on a terminal', ['-y'], true],
    ['stdin that is not a terminal', [], false],
  ])('%s never asks: flags and defaults only', async (_, args, isTTY) => {
    // GIVEN a stdin with an answer waiting (never closed: a question would wait forever)
    const { dir, io } = terminal(['shop'], { isTTY, end: false });
    // WHEN init runs THEN nothing was asked and the default name was used
    expect(await init(args, io)).toBe(0);
    expect(io.err()).toBe('');
    expect(loadPlatformFile(join(dir, 'platform.yaml')).services.map((s) => s.name)).toEqual(['web']);
  });

  it('an invalid flag fails at once on a terminal too (exit 2, nothing asked, nothing written)', async () => {
    const { dir, io } = terminal(['shop']);
    expect(await init(['--name', 'Shop_1'], io)).toBe(2);
    expect(questions(io.err())).toEqual([]);
    expect(io.err()).toContain('Shop_1');
    expect(readdirSync(dir)).toEqual([]);
  });
});
