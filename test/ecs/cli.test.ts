import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ecs } from '../../src/cli/commands/ecs.js';
import { packageRoot } from '../../src/cli/platform-file.js';
import { captureIo, snapshotDir, tempDir } from '../helpers.js';

const SHOP = resolve(packageRoot(), 'charts/examples/grpc-shop.yaml');
const ALL_DISABLED = stringify({
  environments: { production: {}, staging: { services: { api: { enabled: false } } } },
  services: [{ name: 'api', image: 'registry.example.com/api:1.4.2', port: 8000, host: 'api.example.com', health: '/healthz', memory: '512Mi', cpu: '250m' }],
});

describe('berth ecs', () => {
  it('writes template.json and mapping.md, byte-identical on a second run', async () => {
    // GIVEN the gRPC shop WHEN berth ecs runs twice THEN the same two files
    const dir = tempDir();
    const io = captureIo(dir);
    expect(await ecs(['--env', 'production', '--file', SHOP, '--launch', 'fargate'], io)).toBe(0);
    const first = snapshotDir(join(dir, 'ecs'));
    expect(Object.keys(first)).toEqual(['production/mapping.md', 'production/template.json']);
    expect(await ecs(['--env', 'production', '--file', SHOP, '--launch', 'fargate'], captureIo(dir))).toBe(0);
    expect(snapshotDir(join(dir, 'ecs'))).toEqual(first);
    expect(io.out()).toMatch(/ecs\/production: template.json \(\d+ resources, fargate\), mapping.md/);
  });

  it.each([
    ['unknown launch type', ['--env', 'production', '--file', SHOP, '--launch', 'k8s'], /--launch "k8s" is not a launch type; use ec2 or fargate/],
    ['unknown environment', ['--env', 'prod', '--file', SHOP], /environment "prod" is not declared; declared: production, staging/],
    ['environment with no services', ['--env', 'staging', '--file', 'all-disabled.yaml'], /environment "staging" runs no services/],
    ['missing --env', ['--file', SHOP], /--env is required/],
    ['a cdk8s app source', ['--env', 'production', '--app', 'node main.js'], /needs a YAML declaration.*pass --file platform.yaml/],
    ['an invalid declaration', ['--env', 'production', '--file', 'bad.yaml'], /bad\.yaml.*services\[0\]\.memory/],
  ])('refuses %s: exit 2, nothing written', async (_name, args, message) => {
    // GIVEN bad input WHEN berth ecs runs THEN a clear error, exit 2 and no output folder
    const dir = tempDir();
    writeFileSync(join(dir, 'all-disabled.yaml'), ALL_DISABLED);
    writeFileSync(join(dir, 'bad.yaml'), ALL_DISABLED.replace('512Mi', '512MB'));
    const io = captureIo(dir);
    expect(await ecs(args, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(existsSync(join(dir, 'ecs'))).toBe(false);
  });

  it('refuses an output folder that is a symbolic link, writing nothing through it', async () => {
    const dir = tempDir();
    const elsewhere = tempDir();
    mkdirSync(join(dir, 'ecs'));
    symlinkSync(elsewhere, join(dir, 'ecs', 'production'));
    const io = captureIo(dir);
    expect(await ecs(['--env', 'production', '--file', SHOP], io)).toBe(2);
    expect(io.err()).toMatch(/is a symbolic link/);
    expect(snapshotDir(elsewhere)).toEqual({});
    expect(existsSync(join(dir, 'ecs', 'production', 'template.json'))).toBe(false);
    expect(readFileSync(SHOP, 'utf8')).toContain('frontend');
  });
});
