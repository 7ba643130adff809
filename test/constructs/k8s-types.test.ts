/**
 * src/constructs/k8s-types.ts is generated (scripts/write-k8s-types.mjs) from cdk8s-plus-27, a devDependency:
 * the structs berth's constructs are typed with, so neither the package nor its .d.ts files need cdk8s-plus-27.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

describe('k8s-types.ts', () => {
  it('equals a fresh generation from the structs src/ uses', () => {
    // GIVEN the committed file WHEN the generator checks it THEN it is current (else: npm run k8s-types)
    const r = spawnSync(process.execPath, ['scripts/write-k8s-types.mjs', '--check'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('holds types only: no runtime import of cdk8s-plus-27 anywhere in src/', () => {
    // GIVEN the generated module THEN it declares, never defines (no value to import at run time)
    const text = readFileSync('src/constructs/k8s-types.ts', 'utf8');
    expect(text).toMatch(/^export interface PodTemplateSpec \{/m);
    expect(text).not.toMatch(/^export (const|function|class|enum) /m);
    expect(text).not.toMatch(/^import /m);
    // AND no file of src/ imports cdk8s-plus-27
    const grep = spawnSync('grep', ['-rln', "from 'cdk8s-plus-27", 'src'], { encoding: 'utf8' });
    expect(grep.stdout).toBe('');
  });
});
