/**
 * Credentials in repository URLs are never printed and never written (issue 14): `gitops init` refuses a --repo
 * URL with credentials (given, or a checkout's remote), and every `gitops` message redacts them (planted strings).
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { gitops } from '../../src/cli/commands/gitops.js';
import { examplePlatformFile } from '../../src/cli/platform-file.js';
import { hasCredentials, redactUrls } from '../../src/gitops/redact.js';
import { captureIo } from './cli-io.js';
import { checkout, run, sandbox } from './helpers.js';

const box = sandbox();
const SECRET = 'planted-pass-8c1d';

afterAll(() => rmSync(box.root, { recursive: true, force: true }));

async function berth(...args: string[]) {
  const io = captureIo(box.root, box.env);
  const code = await gitops(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('redactUrls / hasCredentials', () => {
  it('hides a password or an http(s) user (a token), keeps an SSH user name', () => {
    expect(redactUrls(`fatal: unable to access 'https://bot:${SECRET}@github.com/acme/gitops.git/'`)).toBe(
      "fatal: unable to access 'https://***@github.com/acme/gitops.git/'",
    );
    expect(redactUrls(`https://ghp_${SECRET}@github.com/a/b`)).toBe('https://***@github.com/a/b');
    expect(redactUrls('ssh://git@github.com/acme/gitops.git and git@github.com:acme/gitops.git')).toBe(
      'ssh://git@github.com/acme/gitops.git and git@github.com:acme/gitops.git',
    );
    expect(hasCredentials(`ssh://git:${SECRET}@host/r.git`)).toBe(true);
    expect(hasCredentials('git@github.com:acme/gitops.git')).toBe(false);
  });
});

describe('gitops init', () => {
  it.each([
    ['a password', `https://bot:${SECRET}@github.com/acme/gitops.git`],
    ['a token as user name', `https://${SECRET}@github.com/acme/gitops.git`],
  ])('refuses a --repo URL with %s (exit 2), printing it redacted', async (_what, url) => {
    // WHEN init is given a URL with credentials
    const r = await berth('init', '--env', 'production', '--argocd', '--repo', url, '--file', examplePlatformFile());
    // THEN it refuses, names the redacted URL and the fix, prints no manifest and no secret
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/the repository URL https:\/\/\*\*\*@github\.com\/acme\/gitops\.git carries credentials/);
    expect(r.out).toBe('');
    expect(r.err + r.out).not.toContain(SECRET);
  });

  it('refuses a local checkout whose remote URL carries credentials', async () => {
    // GIVEN a checkout whose origin has a token in its URL
    const dir = checkout(box, 'cred-remote');
    run(box.env, dir, ['remote', 'set-url', 'origin', `https://x-access-token:${SECRET}@github.com/acme/gitops.git`]);
    const r = await berth('init', '--env', 'production', '--flux', '--repo', dir, '--file', examplePlatformFile());
    expect(r.code).toBe(2);
    expect(r.err + r.out).not.toContain(SECRET);
  });

  it('accepts an SSH URL', async () => {
    const r = await berth('init', '--env', 'production', '--argocd', '--repo', 'git@github.com:acme/gitops.git', '--file', examplePlatformFile());
    expect(r.code).toBe(0);
    expect(r.out).toContain('repoURL: git@github.com:acme/gitops.git');
  });
});

describe('gitops', () => {
  it('a clone that fails with credentials in the URL never prints them', async () => {
    // WHEN the repository cannot be reached (nothing listens on 127.0.0.1:1)
    const r = await berth(
      '--repo',
      `https://bot:${SECRET}@127.0.0.1:1/acme/gitops.git`,
      '--env',
      'production',
      '--file',
      examplePlatformFile(),
      '--path',
      path.join('environments'),
    );
    // THEN it fails, and no message holds the password
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('https://***@127.0.0.1:1/acme/gitops.git');
    expect(r.err + r.out).not.toContain(SECRET);
  });
});
