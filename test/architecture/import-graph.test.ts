/**
 * The one-direction flow, checked over every import of src/ (static, `export ... from` and dynamic `import()`):
 * declaration → constructs → render → deploy / gitops / ecs (→ compare); deploy and gitops never import each
 * other, deploy and gitops consume rendered objects and never run the pipeline themselves; only src/cli wires
 * several stages together.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** One import edge: `from` imports `to`, both paths relative to src/ (`deploy/apply.ts`). */
interface Edge {
  readonly from: string;
  readonly to: string;
}

/** What each top-level folder of src/ may import besides itself ('*': anything). */
const ALLOWED: Readonly<Record<string, readonly string[] | '*'>> = {
  declaration: [],
  git: [],
  constructs: ['declaration'],
  render: ['declaration', 'constructs', 'git'],
  deploy: ['render', 'constructs'],
  gitops: ['render', 'git'],
  ecs: ['declaration', 'constructs'],
  compare: ['declaration', 'render', 'ecs'],
  init: ['declaration'],
  cli: '*',
  /** The package's TypeScript API (src/index.ts): re-exports the declaration, the chart and the renderer. */
  'index.ts': ['declaration', 'constructs', 'render'],
};

/** The rendering pipeline itself (loading, rendering, running an app, rendering a past revision): only the CLI starts it. */
const PIPELINE = ['render/render.ts', 'render/source.ts', 'render/app.ts', 'render/revision.ts'];
const PIPELINE_USERS = new Set(['render', 'cli', 'index.ts']);

/** Stages that consume a rendering; a module importing two of them is wiring, which is the CLI's job. */
const CONSUMERS = ['deploy', 'gitops', 'ecs', 'compare'];

const stageOf = (path: string): string => path.split('/')[0];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of every file under src/, resolved to a src/-relative `.ts` path. */
export function importEdges(root: string): Edge[] {
  return sourceFiles(root).flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return info.importedFiles
      .filter((f) => f.fileName.startsWith('.'))
      .map((f) => ({ from: relative(root, file), to: relative(root, resolve(dirname(file), f.fileName)).replace(/\.js$/, '.ts') }));
  });
}

/** Every edge that breaks the flow, as `from -> to: why`. */
export function violations(edges: readonly Edge[]): string[] {
  const found: string[] = [];
  for (const { from, to } of edges) {
    const [a, b] = [stageOf(from), stageOf(to)];
    if (to.startsWith('..')) found.push(`${from} -> ${to}: imports from outside src/`);
    if (a === b) continue;
    const allowed = ALLOWED[a];
    if (allowed === undefined) found.push(`${from} -> ${to}: src/${a} is not a known stage (add it to ALLOWED)`);
    else if (allowed !== '*' && !allowed.includes(b)) found.push(`${from} -> ${to}: ${a} may not import ${b}`);
    if (PIPELINE.includes(to) && !PIPELINE_USERS.has(a)) found.push(`${from} -> ${to}: only the CLI runs the rendering pipeline`);
  }
  const consumersOf = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (stageOf(from) === 'cli' || !CONSUMERS.includes(stageOf(to)) || stageOf(to) === stageOf(from)) continue;
    consumersOf.set(stageOf(from), (consumersOf.get(stageOf(from)) ?? new Set()).add(stageOf(to)));
  }
  for (const [stage, used] of consumersOf) {
    if (used.size > 1) found.push(`src/${stage} imports ${[...used].sort().join(' and ')}: only src/cli wires several stages`);
  }
  return found;
}

describe('the import graph of src/', () => {
  const edges = importEdges(SRC);

  it('is read (sanity: the CLI imports deploy, gitops, render)', () => {
    // GIVEN every file under src/  WHEN its imports are resolved  THEN the CLI's known edges are among them
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'cli/commands/deploy.ts', to: 'deploy/deploy.ts' });
    expect(edges).toContainEqual({ from: 'cli/commands/gitops.ts', to: 'gitops/errors.ts' });
    expect(edges.filter((e) => e.from === 'gitops/git.ts').map((e) => e.to)).toContain('git/git.ts');
  });

  it('follows the one-direction flow', () => {
    // THEN no edge breaks a rule
    expect(violations(edges)).toEqual([]);
  });

  it('nothing outside src/cli imports the rendering pipeline or two consuming stages', () => {
    const outside = edges.filter((e) => !PIPELINE_USERS.has(stageOf(e.from)));
    expect(outside.filter((e) => PIPELINE.includes(e.to))).toEqual([]);
    expect(edges.filter((e) => stageOf(e.from) === 'deploy' && ['declaration', 'gitops'].includes(stageOf(e.to)))).toEqual([]);
    expect(edges.filter((e) => stageOf(e.from) === 'gitops' && ['declaration', 'deploy'].includes(stageOf(e.to)))).toEqual([]);
  });
});

describe('the flow check itself', () => {
  it.each([
    ['deploy runs the pipeline', { from: 'deploy/source.ts', to: 'render/render.ts' }, /only the CLI runs the rendering pipeline/],
    ['deploy loads a declaration', { from: 'deploy/source.ts', to: 'declaration/load.ts' }, /deploy may not import declaration/],
    ['gitops imports deploy', { from: 'gitops/publish.ts', to: 'deploy/client.ts' }, /gitops may not import deploy/],
    ['deploy imports gitops', { from: 'deploy/deploy.ts', to: 'gitops/git.ts' }, /deploy may not import gitops/],
    ['render imports deploy', { from: 'render/write.ts', to: 'deploy/apply.ts' }, /render may not import deploy/],
    ['an unknown folder', { from: 'misc/x.ts', to: 'deploy/apply.ts' }, /src\/misc is not a known stage/],
  ])('reports %s', (_name, edge, why) => {
    // GIVEN one planted bad edge  WHEN checked  THEN it is reported with the reason
    expect(violations([edge]).join('\n')).toMatch(why);
  });

  it('reports a module outside src/cli that wires two consuming stages', () => {
    const edges = [
      { from: 'compare/x.ts', to: 'ecs/synth.ts' },
      { from: 'compare/x.ts', to: 'deploy/deploy.ts' },
    ];
    expect(violations(edges).join('\n')).toMatch(/src\/compare imports deploy and ecs: only src\/cli wires several stages/);
  });

  it('resolves both `../x/y.js` and `./y.js` forms, `export from` and dynamic import()', () => {
    // GIVEN the real CLI command that lazily imports the ECS stage
    const ecs = importEdges(SRC)
      .filter((e) => e.from === 'cli/commands/ecs.ts')
      .map((e) => e.to);
    // THEN its dynamic import and its sibling import are both resolved
    expect(ecs).toEqual(expect.arrayContaining(['ecs/synth.ts', 'cli/errors.ts']));
  });
});
