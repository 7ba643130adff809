/** A cdk8s app as a rendering source: run like the cdk8s CLI runs it, read back, checked, written like a declaration. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitops } from '../../src/cli/commands/gitops.js';
import { synth } from '../../src/cli/commands/synth.js';
import { validate } from '../../src/cli/commands/validate.js';
import { renderApp } from '../../src/render/app.js';
import { chooseSource, SourceError } from '../../src/render/source.js';
import { captureIo, find, snapshotDir, tempDir } from '../helpers.js';

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    berth.dev/environment: production\n';
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  CURRENCY: EUR\n';
const BAD_CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example.com/report:1.0.0
`;

/** A folder with `app.mjs`, a stand-in cdk8s app that writes `files` (name → YAML) into CDK8S_OUTDIR, as app.synth() does. */
function appDir(files: Record<string, string>, extra = ''): string {
  const dir = tempDir('berth-app-test-');
  writeFileSync(
    join(dir, 'app.mjs'),
    `import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const out = process.env.CDK8S_OUTDIR;
for (const [name, text] of Object.entries(${JSON.stringify(files)})) {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), text);
}
console.log('synthesized');
${extra}
`,
  );
  return dir;
}
const node = `"${process.execPath}" app.mjs`;

describe('renderApp', () => {
  test('one chart file per environment: namespace from the Namespace, objects without one placed in it, one resources.yaml', async () => {
    // GIVEN an app that writes production.k8s.yaml (the default cdk8s layout) and 0001-staging.k8s.yaml (indexed)
    const dir = appDir({
      'production.k8s.yaml': `${NAMESPACE}---\n${CONFIG_MAP}`,
      '0001-staging.k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop-staging\n',
    });
    const log: string[] = [];
    // WHEN rendered
    const envs = await renderApp({ command: node, cwd: dir, env: { PATH: process.env.PATH }, log: (t) => log.push(t) });
    // THEN each chart is an environment, named after its chart id
    expect(envs.map((e) => [e.name, e.namespace])).toEqual([
      ['production', 'shop'],
      ['staging', 'shop-staging'],
    ]);
    const production = envs[0];
    expect(find(production.objects, 'ConfigMap', 'settings').metadata.namespace).toBe('shop');
    expect(production.files.map((f) => f.path)).toEqual(['resources.yaml']);
    expect(log.join('')).toContain('synthesized');
  });

  test("a folder berth's own writer wrote keeps its layout, so an app's `layout: per-service` survives", async () => {
    // GIVEN an app that wrote production/ a file per object kind (per-service) and staging/ one resources.yaml, each
    // with the .berth-files list berth's writer keeps
    const staging = CONFIG_MAP.replace('  name: settings\n', '  name: settings\n  namespace: shop-staging\n');
    const dir = appDir({
      'production/.berth-files': '# written by berth\n00-namespace.yaml\nextra-configmap-settings.yaml\n',
      'production/00-namespace.yaml': NAMESPACE,
      'production/extra-configmap-settings.yaml': CONFIG_MAP,
      'staging/.berth-files': 'resources.yaml\n',
      'staging/resources.yaml': staging,
    });
    // WHEN rendered
    const [production, stagingEnv] = await renderApp({ command: node, cwd: dir, env: { PATH: process.env.PATH } });
    // THEN each keeps the layout its folder shows
    expect(production.files.map((f) => f.path)).toEqual(['00-namespace.yaml', 'extra-configmap-settings.yaml']);
    expect(stagingEnv.files.map((f) => f.path)).toEqual(['resources.yaml']);
  });

  test('--env picks environments, with a hint on a typo', async () => {
    const dir = appDir({ 'production.k8s.yaml': NAMESPACE });
    await expect(renderApp({ command: node, cwd: dir, env: {} }, ['prodution'])).rejects.toThrow(
      /"prodution": is not a declared environment.*did you mean "production"/,
    );
  });

  test('a failing app stops everything, naming the command, its exit code and its last output', async () => {
    const dir = appDir({}, 'console.error("TypeError: cannot read chart"); process.exit(3);');
    await expect(renderApp({ command: node, cwd: dir, env: {} })).rejects.toThrow(
      /app ".*app.mjs" \(in .*\) failed with exit code 3; nothing was rendered\. Its last output:\n.*TypeError: cannot read chart/s,
    );
  });

  test.each([
    ['no manifests', {}, /wrote no manifests into CDK8S_OUTDIR/],
    ['a chart id that is no environment name', { 'Prod_1.k8s.yaml': NAMESPACE }, /environment "Prod_1" \(from the chart id\) is not a valid name/],
    [
      'a document that is no object',
      { 'production.k8s.yaml': `${NAMESPACE}---\n- just a list\n` },
      /production.k8s.yaml \(document 2\): not a Kubernetes object/,
    ],
    ['no way to tell the namespace', { 'production.k8s.yaml': CONFIG_MAP }, /chart "production" of the app: cannot tell its namespace/],
    ['the same object twice', { 'production.k8s.yaml': `${NAMESPACE}---\n${CONFIG_MAP}---\n${CONFIG_MAP}` }, /ConfigMap "settings" appears twice/],
  ])('an app writing %s is a SourceError', async (_what, files, message) => {
    const dir = appDir(files);
    const failure = renderApp({ command: node, cwd: dir, env: {} });
    await expect(failure).rejects.toThrow(SourceError);
    await expect(failure).rejects.toThrow(message);
  });

  test('the app runs in its folder through a shell with CDK8S_OUTDIR set, as the cdk8s CLI runs it', async () => {
    // GIVEN a shell command (not a program) that uses the variable itself
    const dir = tempDir();
    const command = `printf '${NAMESPACE.replace(/\n/g, '\\n')}' > "$CDK8S_OUTDIR/production.k8s.yaml" && pwd > "${join(dir, 'ran-in')}"`;
    // WHEN rendered THEN the shell expanded it, in the given folder
    const [env] = await renderApp({ command, cwd: dir, env: { PATH: process.env.PATH } });
    expect(env.namespace).toBe('shop');
    expect(readFileSync(join(dir, 'ran-in'), 'utf8').trim()).toBe(dir);
  });
});

describe('choosing the source', () => {
  test('--file, else --app, else ./cdk8s.yaml, else ./platform.yaml, else ./berth.yaml', () => {
    const dir = tempDir();
    expect(chooseSource({ file: 'p.yaml' }, dir)).toEqual({ kind: 'declaration', file: join(dir, 'p.yaml') });
    expect(chooseSource({ app: 'node main.js' }, dir)).toEqual({ kind: 'app', command: 'node main.js', cwd: dir, from: '--app' });
    writeFileSync(join(dir, 'berth.yaml'), 'services: []\n');
    expect(chooseSource({}, dir)).toEqual({ kind: 'declaration', file: join(dir, 'berth.yaml') });
    writeFileSync(join(dir, 'platform.yaml'), 'services: []\n');
    expect(chooseSource({}, dir)).toEqual({ kind: 'declaration', file: join(dir, 'platform.yaml') });
    writeFileSync(join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node lib/main.js\n');
    expect(chooseSource({}, dir)).toEqual({ kind: 'app', command: 'node lib/main.js', cwd: dir, from: join(dir, 'cdk8s.yaml') });
    expect(chooseSource({ file: 'p.yaml' }, dir).kind).toBe('declaration');
  });

  test('nothing to read is an error naming what was looked for and berth init, never the bundled example', () => {
    const dir = tempDir();
    expect(() => chooseSource({}, dir)).toThrow(SourceError);
    expect(() => chooseSource({}, dir)).toThrow(
      /no declaration found in .*--file, --app, \.\/platform\.yaml, \.\/berth\.yaml, \.\/cdk8s\.yaml.*npx berth init/,
    );
  });

  test.each([
    ['--file and --app together', {}, { file: 'p.yaml', app: 'node a.js' }, /either --file .* or --app .*, not both/],
    ['an empty --app', {}, { app: ' ' }, /--app needs a command/],
    ['a cdk8s.yaml without app', { 'cdk8s.yaml': 'language: typescript\n' }, {}, /cdk8s.yaml: needs "app: <command>"/],
    ['a cdk8s.yaml that is no YAML', { 'cdk8s.yaml': 'app: [\n' }, {}, /cdk8s.yaml: not valid YAML/],
  ])('%s is a SourceError', (_what, files: Record<string, string>, flags, message) => {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    expect(() => chooseSource(flags, dir)).toThrow(message);
  });
});

describe('berth synth and validate with --app', () => {
  test("synth writes berth's layout and ownership list for an app", async () => {
    const dir = appDir({ 'production.k8s.yaml': `${NAMESPACE}---\n${CONFIG_MAP}` });
    const io = captureIo(dir);
    expect(await synth(['--app', node, '--out', 'out'], io)).toBe(0);
    expect(readFileSync(join(dir, 'out/production/.berth-files'), 'utf8')).toContain('resources.yaml\n');
    expect(io.out()).toContain('out/production: 2 objects in 1 file (namespace shop)');
    expect(io.err()).toContain('synthesized'); // the app's output goes to stderr: stdout stays berth's
  });

  test('an app object failing the checks: exit 2, the object and field named, nothing written', async () => {
    // GIVEN an app whose CronJob has no security context, and an earlier rendering on disk
    const dir = appDir({ 'production.k8s.yaml': `${NAMESPACE}---\n${BAD_CRONJOB}` });
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'keep.txt'), 'mine\n');
    const before = snapshotDir(join(dir, 'out'));
    // WHEN validated and synthesized
    const v = captureIo(dir);
    expect(await validate(['--app', node], v)).toBe(2);
    const s = captureIo(dir);
    expect(await synth(['--app', node, '--out', 'out'], s)).toBe(2);
    // THEN the message names the CronJob and the field, and nothing was written
    expect(v.err()).toContain(
      'CronJob "report": spec.jobTemplate.spec.template.spec.containers[0] ("report").securityContext.allowPrivilegeEscalation must be false',
    );
    expect(s.err()).toContain('environment "production" fails');
    expect(snapshotDir(join(dir, 'out'))).toEqual(before);
    expect(existsSync(join(dir, 'out', 'production'))).toBe(false);
  });

  test('a cdk8s.yaml in the working folder is the source when no --file is given', async () => {
    const dir = appDir({ 'production.k8s.yaml': NAMESPACE });
    writeFileSync(join(dir, 'cdk8s.yaml'), `app: ${JSON.stringify(node)}\n`);
    const io = captureIo(dir);
    expect(await validate([], io)).toBe(0);
    expect(io.out()).toMatch(/app ".*app.mjs" \(.*cdk8s.yaml\): valid \(1 environments, 0 service deployments\)/);
  });
});

describe('berth gitops init --app', () => {
  test("the Argo CD Application targets the namespace of the app's chart", async () => {
    // GIVEN an app whose production chart lives in namespace "shop"
    const dir = appDir({ 'production.k8s.yaml': NAMESPACE });
    // WHEN the Argo CD object is generated from it
    const io = captureIo(dir);
    expect(await gitops(['init', '--env', 'production', '--argocd', '--repo', 'git@github.com:acme/gitops.git', '--app', node], io)).toBe(0);
    // THEN its destination is the app's namespace
    expect(io.out()).toMatch(/destination:\n\s+server: \S+\n\s+namespace: shop\n/);
  });

  test('an unknown environment of the app: exit 2 with a hint', async () => {
    const dir = appDir({ 'production.k8s.yaml': NAMESPACE });
    const io = captureIo(dir);
    expect(await gitops(['init', '--env', 'prod', '--argocd', '--repo', 'git@github.com:acme/gitops.git', '--app', node], io)).toBe(2);
    expect(io.err()).toContain('"prod": is not a declared environment. Fix: use one of: production');
  });
});
