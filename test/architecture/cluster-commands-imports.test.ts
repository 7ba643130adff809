/**
 * The cluster commands (deploy, diff, prune, status) start fast: nothing they load by static imports pulls in
 * @kubernetes/client-node (about half a second to load: its config pulls in the whole generated API). berth reads
 * kubeconfigs itself; client-node is loaded only by a dynamic import(), for a legacy kubeconfig auth-provider.
 * Type-only imports are erased by the compiler and do not count.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const HEAVY = '@kubernetes/client-node';

/** The module specifiers a file loads when it is evaluated: static imports and re-exports that survive compilation. */
export function staticImports(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  for (const node of file.statements) {
    if (ts.isImportDeclaration(node) && !isTypeOnlyImport(node)) found.push((node.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && !isTypeOnlyExport(node)) found.push((node.moduleSpecifier as ts.StringLiteral).text);
  }
  return found;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'`: loaded for its effects
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  const clause = node.exportClause;
  return node.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
}

/** Every module reachable from `entry` (src/-relative) by static imports, and the packages each imports. */
export function reachable(entry: string, read: (path: string) => string = (p) => readFileSync(resolve(SRC, p), 'utf8')): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length) {
    const path = queue.pop()!;
    if (packages.has(path)) continue;
    const specs = staticImports(read(path));
    packages.set(
      path,
      specs.filter((s) => !s.startsWith('.')),
    );
    for (const s of specs.filter((x) => x.startsWith('.'))) queue.push(relative(SRC, resolve(SRC, dirname(path), s)).replace(/\.js$/, '.ts'));
  }
  return packages;
}

/** The chains `a.ts -> b.ts` of modules that import `pkg` (or one of its sub-paths). */
function importersOf(graph: Map<string, string[]>, pkg: string): string[] {
  return [...graph].filter(([, pkgs]) => pkgs.some((p) => p === pkg || p.startsWith(`${pkg}/`))).map(([path]) => path);
}

describe('the cluster commands load without @kubernetes/client-node', () => {
  it.each(['deploy', 'diff', 'prune', 'status'])('berth %s: no module it loads statically imports client-node', (command) => {
    // GIVEN the command's module  WHEN its static import graph is walked
    const graph = reachable(`cli/commands/${command}.ts`);
    // THEN it reaches the kubeconfig and connection code, and none of its modules imports client-node
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['cli/connect.ts', 'deploy/kubeconfig.ts', 'deploy/connection.ts']));
    expect(importersOf(graph, HEAVY)).toEqual([]);
  });

  it('client-node is only loaded by a dynamic import, for a legacy auth-provider', () => {
    // GIVEN the module that does need it  THEN its import is dynamic (not in the static list) and its type import erased
    const source = readFileSync(resolve(SRC, 'deploy/auth-provider.ts'), 'utf8');
    expect(source).toContain(`await import('${HEAVY}')`);
    expect(staticImports(source)).not.toContain(HEAVY);
  });
});

describe('the walk itself', () => {
  const files: Record<string, string> = {
    'a.ts': "import { b } from './b.js';\nimport type { T } from 'heavy';\nexport { c } from './c.js';",
    'b.ts': "import { type X, type Y } from 'heavy';\nconst m = await import('heavy');",
    'c.ts': "import { type X, z } from 'heavy/sub';",
  };

  it('follows imports and re-exports, ignores type-only and dynamic imports, and catches a mixed one', () => {
    // GIVEN planted modules  WHEN walked from a.ts
    const graph = reachable('a.ts', (p) => files[p]);
    // THEN all three are reached and only c.ts (a value import from a sub-path) counts as importing the package
    expect([...graph.keys()].sort()).toEqual(['a.ts', 'b.ts', 'c.ts']);
    expect(importersOf(graph, 'heavy')).toEqual(['c.ts']);
  });

  it('counts side-effect and default imports', () => {
    expect(staticImports("import 'heavy';\nimport H from 'heavy2';\nimport * as N from 'heavy3';")).toEqual(['heavy', 'heavy2', 'heavy3']);
  });
});
