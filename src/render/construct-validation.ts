import type { IConstruct } from 'constructs';
import { RenderCheckError } from './checks.js';

/** A construct validation (`node.addValidation`) failed: synth stops and writes nothing (exit 2, as for a failed check). */
export class ConstructValidationError extends RenderCheckError {
  constructor(environment: string, problems: readonly string[]) {
    super(environment, problems);
    this.name = 'ConstructValidationError';
    this.message =
      `environment "${environment}" fails ${problems.length} construct validation${problems.length === 1 ? '' : 's'}:\n` +
      `${problems.map((p) => `  ${p}`).join('\n')}`;
  }
}

/**
 * Runs every validation added with `node.addValidation` on `constructs` (a scope's `node.findAll()`), as
 * cdk8s's `App.synth()` does, and throws one ConstructValidationError listing each message as `[<construct path>] <message>`.
 */
export function validateConstructs(environment: string, constructs: readonly IConstruct[]): void {
  const problems: string[] = [];
  for (const c of constructs) {
    for (const message of c.node.validate()) problems.push(`[${c.node.path}] ${message}`);
  }
  if (problems.length > 0) throw new ConstructValidationError(environment, problems);
}
