/**
 * A cdk8s app as a rendering source: run its command the way the cdk8s CLI does (through a shell,
 * with `CDK8S_OUTDIR` set to an empty temporary folder), read the manifests it writes there, and turn
 * each chart into an environment: the same checks, files and ownership rules as a YAML declaration.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import jsYaml from 'js-yaml';
import type { LayoutName } from '../declaration/types.js';
import { KUSTOMIZATION_FILE } from './kustomization.js';
import { OWNERSHIP_FILE, parseOwnership } from './ownership.js';
import { layoutOfFiles, renderObjects, selectEnvironments } from './render.js';
import { SourceError } from './source-error.js';
import type { KubeObject, RenderedEnvironment, RenderedFile } from './types.js';

export interface AppRun {
  /** Shell command, e.g. `node lib/main.js` (cdk8s.yaml's `app`). */
  readonly command: string;
  /** Folder the command runs in. */
  readonly cwd: string;
  /** Environment variables for the command (CDK8S_OUTDIR is added). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives everything the app prints (stdout and stderr), so berth's own stdout stays clean. */
  readonly log?: (chunk: string) => void;
  readonly signal?: AbortSignal;
}

/** Runs the app and renders the environments it synthesized (only `wanted` ones when given). */
export async function renderApp(run: AppRun, wanted?: readonly string[]): Promise<RenderedEnvironment[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'berth-app-'));
  try {
    await runApp(run, outdir);
    return renderAppOutput(outdir, `app "${run.command}"`, wanted);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Renders what a cdk8s app synthesized into `outdir` (`label` names the app in errors). */
export function renderAppOutput(outdir: string, label: string, wanted?: readonly string[]): RenderedEnvironment[] {
  const charts = readCharts(outdir, label);
  const names = selectEnvironments([...charts.keys()], wanted);
  return names.map((name) => environmentOf(name, charts.get(name)!));
}

function runApp(run: AppRun, outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.command, {
      shell: true,
      cwd: run.cwd,
      env: { ...definedOnly(run.env), CDK8S_OUTDIR: outdir },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: run.signal,
    });
    let tail = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-2000);
      run.log?.(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (e) => reject(e.name === 'AbortError' ? e : new SourceError(`app "${run.command}" could not be started in ${run.cwd}: ${e.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const last = tail.trim().split('\n').slice(-5).join('\n  ');
      reject(
        new SourceError(
          `app "${run.command}" (in ${run.cwd}) failed with ${signal ? `signal ${signal}` : `exit code ${code}`}; ` +
            `nothing was rendered${last ? `. Its last output:\n  ${last}` : ''}`,
        ),
      );
    });
  });
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * What one chart of the app wrote: its manifests (file → documents), non-manifest files berth's writer listed, and
 * the layout of a folder berth's writer wrote (so `layout: per-service` in the app's declaration survives).
 */
interface ChartOutput {
  readonly manifests: Map<string, unknown[]>;
  readonly carried: RenderedFile[];
  /** @default DEFAULT_LAYOUT (a chart berth's writer did not write) */
  layout?: LayoutName;
}

const MANIFEST = /\.ya?ml$/;
const INDEX_PREFIX = /^\d{4}-/;

/**
 * Charts by environment name. cdk8s names output after the chart id: `<chart>.k8s.yaml` (one file per
 * chart, the default), or a folder `<chart>/` (one file per resource; also what berth's own writer
 * produces), with a `0000-` prefix when charts depend on each other.
 */
function readCharts(outdir: string, label: string): Map<string, ChartOutput> {
  const charts = new Map<string, ChartOutput>();
  const chart = (name: string) => charts.get(name) ?? charts.set(name, { manifests: new Map(), carried: [] }).get(name)!;
  for (const entry of readdirSync(outdir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(outdir, entry.name);
    if (entry.isDirectory()) readFolder(path, chart(checkedName(entry.name.replace(INDEX_PREFIX, ''), entry.name)));
    else if (MANIFEST.test(entry.name)) {
      const name = checkedName(
        entry.name
          .replace(MANIFEST, '')
          .replace(/\.k8s$/, '')
          .replace(INDEX_PREFIX, ''),
        entry.name,
      );
      chart(name).manifests.set(entry.name, parseManifests(path, entry.name));
    }
  }
  if (charts.size === 0) throw new SourceError(`${label} wrote no manifests into CDK8S_OUTDIR; it must call app.synth() (cdk8s) with the default outdir`);
  return charts;
}

function readFolder(dir: string, out: ChartOutput): void {
  const listed = new Set(safeOwned(dir));
  if (listed.size > 0) out.layout = layoutOfFiles([...listed]);
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const rel = relative(dir, path).split('\\').join('/');
      if (entry.isDirectory()) walk(path);
      else if (rel === KUSTOMIZATION_FILE && listed.has(rel))
        continue; // berth's own (synth writes a fresh one)
      else if (MANIFEST.test(entry.name)) out.manifests.set(relative(join(dir, '..'), path), parseManifests(path, rel));
      else if (listed.has(rel)) out.carried.push({ path: rel, content: readFileSync(path, 'utf8') });
    }
  };
  walk(dir);
}

function safeOwned(dir: string): string[] {
  try {
    return parseOwnership(readFileSync(join(dir, OWNERSHIP_FILE), 'utf8'));
  } catch {
    return [];
  }
}

function checkedName(name: string, file: string): string {
  if (/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) return name;
  throw new SourceError(
    `the app wrote "${file}": environment "${name}" (from the chart id) is not a valid name; name each chart after its environment, e.g. ` +
      `new EnvironmentChart(app, 'production', ...)`,
  );
}

function parseManifests(path: string, label: string): unknown[] {
  try {
    return jsYaml.loadAll(readFileSync(path, 'utf8')).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    throw new SourceError(`the app wrote ${label}, which is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function environmentOf(name: string, chart: ChartOutput): RenderedEnvironment {
  const objects: KubeObject[] = [];
  for (const [file, docs] of chart.manifests) docs.forEach((doc, i) => objects.push(asObject(doc, `${file} (document ${i + 1})`)));
  const namespace = namespaceOf(name, objects);
  const placed = objects.map((o) => withNamespace(o, namespace));
  rejectDuplicates(name, placed);
  return renderObjects(name, namespace, placed, chart.carried, { layout: chart.layout });
}

function asObject(doc: unknown, where: string): KubeObject {
  const o = doc as Partial<KubeObject> | null;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    !Array.isArray(o) &&
    typeof o.apiVersion === 'string' &&
    typeof o.kind === 'string' &&
    typeof o.metadata?.name === 'string';
  if (!ok) throw new SourceError(`${where}: not a Kubernetes object (needs apiVersion, kind and metadata.name)`);
  return o as KubeObject;
}

/**
 * The environment's namespace: the Namespace labeled `berth.dev/environment: <env>` (berth's
 * EnvironmentChart writes it), else the chart's only Namespace, else the one namespace its objects name.
 */
function namespaceOf(env: string, objects: readonly KubeObject[]): string {
  const namespaces = objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1');
  const labeled = namespaces.filter((n) => n.metadata.labels?.['berth.dev/environment'] === env);
  if (labeled.length === 1) return labeled[0].metadata.name;
  if (namespaces.length === 1) return namespaces[0].metadata.name;
  const named = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined))];
  if (namespaces.length === 0 && named.length === 1) return named[0];
  throw new SourceError(
    `chart "${env}" of the app: cannot tell its namespace (${namespaces.length} Namespace objects, objects in ${named.length} namespaces); ` +
      `use berth's EnvironmentChart, or add exactly one Namespace to the chart`,
  );
}

/** Kinds that live outside namespaces; any other object without one is placed in the environment's. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

function withNamespace(o: KubeObject, namespace: string): KubeObject {
  if (o.metadata.namespace !== undefined || CLUSTER_SCOPED.has(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

function rejectDuplicates(env: string, objects: readonly KubeObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion.split('/').slice(0, -1).join('/')}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
    if (seen.has(key)) throw new SourceError(`chart "${env}" of the app: ${o.kind} "${o.metadata.name}" appears twice; give each object its own name`);
    seen.add(key);
  }
}
