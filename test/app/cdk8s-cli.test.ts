/**
 * The cdk8s CLI (pinned devDependency) and berth agree: `npx cdk8s synth` gives the bytes of
 * `berth synth --file charts/platform.yaml`, and berth reads the same cdk8s.yaml. Also: `berth gitops`
 * publishes the TypeScript example through --app, patched fields included.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { gitops } from '../../src/cli/commands/gitops.js';
import { synth } from '../../src/cli/commands/synth.js';
import { examplePlatformFile } from '../../src/cli/platform-file.js';
import { captureIo, snapshotDir, tempDir, type Json } from '../helpers.js';
import { captureIo as gitIo } from '../gitops/cli-io.js';
import { checkout, remoteFile, remoteSubjects, sandbox } from '../gitops/helpers.js';
import { compiledRoot, SHOP_APP } from './compiled.js';

const objectsOf = (text: string): Json[] => parseAllDocuments(text).map((d) => d.toJS() as Json);

const root = compiledRoot();
const SLOW = 120_000;

/** `berth synth --file charts/platform.yaml` in-process: the reference bytes. */
async function reference(): Promise<Record<string, string>> {
  const out = tempDir();
  expect(await synth(['--file', examplePlatformFile(), '--out', out, '--quiet'], captureIo(root))).toBe(0);
  return snapshotDir(out);
}

describe('npx cdk8s synth and berth synth', () => {
  test(
    'the pinned cdk8s CLI writes the same bytes as berth synth (cdk8s.yaml runs charts/main.ts)',
    async () => {
      // GIVEN an output folder holding a file cdk8s did not write
      const out = tempDir();
      const stray = join(out, 'notes.txt');
      execFileSync('sh', ['-c', `echo mine > "${stray}"`]);
      // WHEN the cdk8s CLI synthesizes the repository's app into it
      execFileSync(join(root, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '--output', out], {
        cwd: root,
        stdio: 'pipe',
        env: { PATH: process.env.PATH ?? '' },
      });
      // THEN every byte equals berth's own rendering, and the cdk8s CLI emptied the folder first (notes.txt is gone)
      expect(snapshotDir(out)).toEqual(await reference());
    },
    SLOW,
  );

  test(
    "berth synth without --file in the repository takes cdk8s.yaml's app and writes the same bytes",
    async () => {
      const out = tempDir();
      const io = captureIo(root);
      expect(await synth(['--out', out, '--quiet'], { ...io, env: { PATH: process.env.PATH } })).toBe(0);
      expect(snapshotDir(out)).toEqual(await reference());
    },
    SLOW,
  );
});

describe('berth gitops --app', () => {
  test(
    'publishes the TypeScript example with its patched fields; a second run has no changes',
    async () => {
      // GIVEN a GitOps repository checkout
      const box = sandbox();
      try {
        const repo = checkout(box, 'gitops');
        const args = ['--repo', repo, '--env', 'production', '--app', SHOP_APP, '--push'];
        // WHEN the example app is published
        const first = gitIo(root, { ...box.env, SHOP_NAMESPACE: 'shop' });
        expect(await gitops(args, first)).toBe(0);
        // THEN the commit holds berth's files, the app's own objects and the patched Deployment
        const published = objectsOf(remoteFile(box, 'environments/production/resources.yaml') ?? '');
        const web = published.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!;
        expect(web.spec.minReadySeconds).toBe(15);
        expect(JSON.stringify(web.spec.template.spec)).toContain('"name":"shop-settings"');
        expect(published.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'shop-settings')!.data.CURRENCY).toBe('EUR');
        expect(published.some((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'api-from-web')).toBe(true);
        // AND publishing again changes nothing (the rendering is stable)
        const again = gitIo(root, { ...box.env, SHOP_NAMESPACE: 'shop' });
        const subjects = remoteSubjects(box);
        expect(await gitops(args, again)).toBe(0);
        expect(again.out()).toContain('production: no changes');
        expect(remoteSubjects(box)).toEqual(subjects);
      } finally {
        rmSync(box.root, { recursive: true, force: true });
      }
    },
    SLOW,
  );
});

test('the README documents what the cdk8s CLI does to files it did not write', () => {
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('The cdk8s CLI deletes its whole output folder before every synth');
});
