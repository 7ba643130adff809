import { createRequire } from 'node:module';
import type * as Cdk8s from 'cdk8s';
import type * as K8s from 'cdk8s-plus-27/lib/imports/k8s.js';

/*
 * cdk8s and the Kubernetes structs are CommonJS. A static ESM `import` of them makes Node scan their
 * source with cjs-module-lexer on every start (the k8s structs are 2.5 MB): measured here as 0.2–0.5 s
 * of a ~1 s synth. `require()` skips that scan; the types still come from the packages.
 * Import cdk8s values through this module (tests too), so every caller shares one module instance.
 */
const require = createRequire(import.meta.url);

export const cdk8s: typeof Cdk8s = require('cdk8s');

/** The typed Kubernetes 1.27 API structs that cdk8s-plus-27 ships (`cdk8s import k8s` output). */
export const k8s: typeof K8s = require('cdk8s-plus-27/lib/imports/k8s.js');
