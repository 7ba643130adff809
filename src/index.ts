/**
 * berth's TypeScript API, the package entry (`import { EnvironmentChart, validatePlatform } from 'berth'`):
 * the declaration types, the validator every command uses, the chart that renders one environment of a
 * declaration inside a cdk8s app of your own, and the renderer behind `berth synth`.
 * See README "A platform in TypeScript (a cdk8s app)" and charts/examples/typescript-app.
 */
export type * from './declaration/types.js';
export { DeclarationError, InputError, type DeclarationIssue } from './declaration/errors.js';
export { validatePlatform, type DeclarationSource } from './declaration/validate.js';
export { loadPlatformFile, loadPlatformText } from './declaration/load.js';
export { effectiveServices, namespaceOf, type EffectiveService } from './declaration/effective.js';
export { EnvironmentChart, type EnvironmentChartProps } from './constructs/environment-chart.js';
export { renderPlatform, type RenderOptions } from './render/render.js';
export type { KubeObject, RenderedEnvironment, RenderedFile } from './render/types.js';
