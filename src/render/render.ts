import type { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { cdk8s } from '../constructs/cjs.js';
import { EnvironmentChart } from '../constructs/environment-chart.js';
import { JOB_LABEL, SHARED_LABEL } from '../constructs/labels.js';
import { NETWORK_POLICY_COMPONENT } from '../constructs/network-policies.js';
import { effectiveServices, namespaceOf } from '../declaration/effective.js';
import { DeclarationError } from '../declaration/errors.js';
import { resolvedJobs } from '../declaration/jobs.js';
import { platformNetworkPlan } from '../declaration/network.js';
import { didYouMean } from '../declaration/shape.js';
import type { LayoutName, PlatformDeclaration, ServiceDeclaration } from '../declaration/types.js';
import { validatePlatform } from '../declaration/validate.js';
import { checkRendered, type CheckOptions } from './checks.js';
import { validateConstructs } from './construct-validation.js';
import { isInternal } from '../declaration/load-balancer.js';
import { DEFAULT_LAYOUT, layoutOf } from '../declaration/env-knobs.js';
import { sortForApply } from './order.js';
import type { PhaseTimer } from './phase-timer.js';
import { routesSummary } from './routes-summary.js';
import type { KubeObject, RenderedEnvironment, RenderedFile } from './types.js';
import { toYamlStream } from './yaml.js';

export interface RenderOptions {
  /** Only these environments. @default every environment */
  readonly environments?: readonly string[];
  /** Records where the time goes (BERTH_PROFILE). @default none */
  readonly timer?: PhaseTimer;
}

/**
 * Declaration → rendered objects and files, in memory, deterministic. Validates first (the same
 * validator the YAML path uses), builds one cdk8s chart per environment, checks the result against
 * GKE's rules, and serializes it. Environments come back sorted by name.
 */
export function renderPlatform(platform: PlatformDeclaration, options: RenderOptions = {}): RenderedEnvironment[] {
  return platformCharts(platform, options).map(({ name, chart, declaration, services }) => {
    const summary = routesSummary(name, namespaceOf(platform, name), declaration, services);
    const checks = { internal: isInternal(declaration) };
    return renderChart(name, chart.targetNamespace, chart, { summary, checks, timer: options.timer, layout: layoutOf(declaration) });
  });
}

/** One environment's chart, as renderPlatform builds it (before it is rendered). */
export interface PlatformChart {
  readonly name: string;
  readonly chart: EnvironmentChart;
  readonly declaration: PlatformDeclaration['environments'][string];
  readonly services: readonly ServiceDeclaration[];
}

/** Validates the declaration and builds one EnvironmentChart per (selected) environment, in one cdk8s App, sorted by name. */
export function platformCharts(platform: PlatformDeclaration, options: RenderOptions = {}): PlatformChart[] {
  validatePlatform(platform);
  options.timer?.lap('validate');
  const names = selectEnvironments(Object.keys(platform.environments), options.environments);
  const app = new cdk8s.App();
  const charts = names.map((name) => {
    const services = effectiveServices(platform, name).map((e) => e.service);
    const declaration = platform.environments[name];
    const network = platformNetworkPlan(platform, name) ?? null;
    const chart = new EnvironmentChart(app, name, { environment: name, declaration, services, jobs: resolvedJobs(platform, name), network });
    return { name, chart, declaration, services };
  });
  options.timer?.lap('construct (cdk8s tree)');
  return charts;
}

/** How objects become an environment's files, and what is checked on the way. */
export interface ObjectRenderOptions {
  /** GKE checks' options. @default {} */
  readonly checks?: CheckOptions;
  /** Records where the time goes (BERTH_PROFILE). @default none */
  readonly timer?: PhaseTimer;
  /** How objects are split into files (the environment's `layout`). @default DEFAULT_LAYOUT ("single-file") */
  readonly layout?: LayoutName;
}

/** renderChart's options: ObjectRenderOptions plus the environment's routes summary. */
export interface ChartRenderOptions extends ObjectRenderOptions {
  /** The content of `routes.md`. @default none (no routes.md) */
  readonly summary?: string;
}

/**
 * Renders any chart as an environment (used for charts extended with escape hatches, too): runs the
 * chart's construct validations (`node.addValidation`, as cdk8s's `App.synth()` does), then asks each
 * ApiObject for its JSON (`toJson()`, cdk8s's contract: Lazy values resolved).
 */
export function renderChart(name: string, namespace: string, chart: Chart, options: ChartRenderOptions = {}): RenderedEnvironment {
  const constructs = chart.node.findAll();
  validateConstructs(name, constructs);
  const extra = options.summary === undefined ? [] : [{ path: 'routes.md', content: options.summary }];
  const objects = apiObjectsOf(constructs).map((o) => o.toJson() as KubeObject);
  options.timer?.lap('node.validate + toJson');
  return renderObjects(name, namespace, objects, extra, options);
}

/**
 * Plain objects → an environment: sorted for apply, checked (the same checks whatever their source:
 * a declaration, a chart, or the manifests of a cdk8s app), serialized into berth's files (one `resources.yaml`, or a
 * file per service with `layout: per-service`), plus `extraFiles` (e.g. `routes.md`).
 */
export function renderObjects(
  name: string,
  namespace: string,
  raw: readonly KubeObject[],
  extraFiles: readonly RenderedFile[] = [],
  options: ObjectRenderOptions = {},
): RenderedEnvironment {
  const objects = sortForApply(raw);
  checkRendered(name, objects, options.checks ?? {});
  options.timer?.lap('sort + GKE checks');
  const objectFiles = (options.layout ?? DEFAULT_LAYOUT) === 'single-file' ? [lazyFile(SINGLE_FILE, objects)] : filesOf(objects);
  const files = [...objectFiles, ...extraFiles];
  return { name, namespace, objects, files: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

/**
 * Every ApiObject among the chart's constructs. `Chart.toJson()` would also build cdk8s's dependency graph to order
 * objects, and berth orders them itself (by kind, namespace and name), so it asks each object directly.
 */
function apiObjectsOf(constructs: readonly IConstruct[]): ApiObject[] {
  return constructs.filter((c): c is ApiObject => c instanceof cdk8s.ApiObject);
}

/**
 * Namespace → `00-namespace.yaml`; berth's shared PriorityClasses → `00-priority-classes.yaml`; the
 * environment's ResourceQuota and LimitRange → `00-quota.yaml`; a service's objects → `app-<service>.yaml`; the environment's
 * load-balancer objects → `ingress.yaml`; a job's → `job-<job>.yaml`; any other object (added in TypeScript, no service label)
 * → its own `extra-<kind>-<name>.yaml`.
 */
function filesOf(objects: readonly KubeObject[]): RenderedFile[] {
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const path = fileOf(o);
    const group = groups.get(path) ?? [];
    group.push(o);
    groups.set(path, group);
  }
  return [...groups].map(([path, group]) => lazyFile(path, group));
}

/**
 * A file whose YAML is serialized on first read and kept: commands that consume the objects (deploy, diff, prune)
 * never pay for YAML they do not use. The objects are the environment's own and are not mutated afterwards.
 */
function lazyFile(path: string, objects: readonly KubeObject[]): RenderedFile {
  let content: string | undefined;
  return {
    path,
    get content(): string {
      return (content ??= toYamlStream(objects));
    },
  };
}

/** The one file of every object of an environment with `layout: single-file`. */
const SINGLE_FILE = 'resources.yaml';

/** The layout a rendering's list of files (its `.berth-files`) shows: `single-file` if it holds resources.yaml. */
export function layoutOfFiles(paths: readonly string[]): LayoutName {
  return paths.includes(SINGLE_FILE) ? 'single-file' : 'per-service';
}

const INGRESS_FILE_KINDS = new Set(['Ingress', 'ManagedCertificate', 'FrontendConfig']);

function fileOf(o: KubeObject): string {
  const service = o.metadata.labels?.['app.kubernetes.io/name'];
  const job = o.metadata.labels?.[JOB_LABEL];
  if (o.kind === 'Namespace') return '00-namespace.yaml';
  if (o.kind === 'PriorityClass' && o.metadata.labels?.[SHARED_LABEL] === 'true') return '00-priority-classes.yaml';
  if ((o.kind === 'ResourceQuota' || o.kind === 'LimitRange') && !service) return '00-quota.yaml';
  if (o.kind === 'NetworkPolicy' && o.metadata.labels?.['app.kubernetes.io/component'] === NETWORK_POLICY_COMPONENT) return 'network-policies.yaml';
  if (job) return `job-${job}.yaml`;
  if (service) return `app-${service}.yaml`;
  if (INGRESS_FILE_KINDS.has(o.kind)) return 'ingress.yaml';
  return `extra-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`.replace(/[^a-z0-9.-]/g, '-');
}

/** The wanted environments among `declared` (all of them, sorted, when none are wanted); a typo is a DeclarationError with a hint. */
export function selectEnvironments(declared: readonly string[], wanted: readonly string[] | undefined): string[] {
  const all = [...declared].sort();
  if (!wanted) return all;
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    throw new DeclarationError(
      unknown.map((w) => {
        const hint = didYouMean(w, all);
        return {
          path: 'environments',
          value: w,
          message: 'is not a declared environment',
          fix: hint ? `did you mean "${hint}"?` : `use one of: ${all.join(', ')}`,
        };
      }),
    );
  }
  return all.filter((n) => wanted.includes(n));
}
