import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { packageRoot } from '../../src/cli/platform-file.js';

const SRC = join(packageRoot(), 'src');

/** Every module a source file imports, statically or with import(), resolved to a path under src/ or a package name. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"`]([^'"`]+)['"`]/g)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts') : s));
}

/** Files reachable from `entry` through imports inside src/, with every package they import. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (rel: string): void => {
    if (files.has(rel)) return;
    files.add(rel);
    for (const imp of importsOf(join(SRC, rel))) {
      if (imp.endsWith('.ts')) visit(imp);
      else packages.add(imp);
    }
  };
  visit(entry);
  return { files, packages };
}

const entries = (dir: string): string[] =>
  readdirSync(join(SRC, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`);

describe('the ECS stage stays out of the Kubernetes path', () => {
  it.each([...entries('render'), ...entries('deploy'), ...entries('gitops'), 'cli/commands/synth.ts', 'cli/commands/deploy.ts'])(
    '%s reaches neither src/ecs nor aws-cdk-lib',
    (entry) => {
      // GIVEN the synth/deploy modules WHEN their import graph is followed THEN no ECS module and no aws-cdk-lib
      const { files, packages } = reachable(entry);
      expect([...files].filter((f) => f.startsWith('ecs/'))).toEqual([]);
      expect([...packages].filter((p) => p.startsWith('aws-cdk-lib'))).toEqual([]);
    },
  );

  it('the graph walk does find aws-cdk-lib where it is used', () => {
    expect([...reachable('ecs/synth.ts').packages]).toContain('aws-cdk-lib');
  });
});
