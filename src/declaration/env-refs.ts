/**
 * `$(NAME)` references between environment variables. Kubernetes expands a reference only to a variable
 * defined EARLIER in the container's env list, leaves unknown ones literal, and reads `$$` as a literal `$`.
 * So berth lists secretEnv entries first (declared order), then plain env in declared order with each
 * variable's dependencies moved before it; unknown references and cycles are declaration errors.
 */
import type { ServiceDeclaration } from './types.js';

/** The names referenced by `$(NAME)` in a value, in order of appearance (`$$(X)` is an escaped literal). */
export function referencesIn(value: string): string[] {
  const refs: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') continue;
    if (value[i + 1] === '$') {
      i++;
      continue;
    }
    if (value[i + 1] !== '(') continue;
    const end = value.indexOf(')', i + 2);
    if (end < 0) break;
    refs.push(value.slice(i + 2, end));
    i = end;
  }
  return refs;
}

/** The value with every `$(NAME)` reference removed (escaped `$$` kept), for credential detection. */
export function withoutReferences(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const end = value[i] === '$' && value[i + 1] === '(' ? value.indexOf(')', i + 2) : -1;
    if (value[i] === '$' && value[i + 1] === '$') out += value[i] + value[++i];
    else if (end >= 0) i = end;
    else out += value[i];
  }
  return out;
}

/** A reference problem: `variable` refers to `reference`, which is unknown or part of a cycle. */
export interface ReferenceProblem {
  readonly variable: string;
  readonly reference: string;
  readonly kind: 'unknown' | 'cycle';
}

/** Unknown references and reference cycles among a service's env and secretEnv. */
export function referenceProblems(s: Pick<ServiceDeclaration, 'env' | 'secretEnv'>): ReferenceProblem[] {
  const env = s.env ?? {};
  const known = new Set([...Object.keys(env), ...Object.keys(s.secretEnv ?? {})]);
  const problems: ReferenceProblem[] = [];
  for (const [variable, value] of Object.entries(env)) {
    for (const reference of referencesIn(value)) if (!known.has(reference)) problems.push({ variable, reference, kind: 'unknown' });
  }
  const cycle = findCycle(env);
  if (cycle) problems.push({ variable: cycle[0], reference: cycle[1], kind: 'cycle' });
  return problems;
}

/** Plain env names in render order: declared order, each variable after the plain variables it references. */
export function plainEnvOrder(env: Readonly<Record<string, string>>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name)) return; // done, or a cycle (rejected by validation): keep declared order
    state.set(name, 'visiting');
    for (const ref of referencesIn(env[name])) if (ref in env) visit(ref);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(env)) visit(name);
  return order;
}

/** The first reference cycle among plain variables, as [variable, the reference closing the cycle]. */
function findCycle(env: Readonly<Record<string, string>>): [string, string] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): [string, string] | undefined => {
    state.set(name, 'visiting');
    for (const ref of referencesIn(env[name])) {
      if (!(ref in env)) continue;
      if (state.get(ref) === 'visiting') return [name, ref];
      const found = state.has(ref) ? undefined : visit(ref);
      if (found) return found;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(env)) {
    const found = state.has(name) ? undefined : visit(name);
    if (found) return found;
  }
  return undefined;
}
