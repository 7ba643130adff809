import { createRequire } from 'node:module';
import type * as Cdk8s from 'cdk8s';

/*
 * cdk8s is CommonJS. A static ESM `import` makes Node scan its sources with cjs-module-lexer on every
 * start (measured here at 0.2–0.4 s of a ~1 s synth); `require()` skips that scan, and the types still
 * come from the package. Import cdk8s values through this module (tests too), so every caller shares
 * one module instance.
 */
export const cdk8s: typeof Cdk8s = createRequire(import.meta.url)('cdk8s');
