/**
 * V8 settings for berth's own process. berth is a short-lived command: most of its functions run for a fraction
 * of a second, and V8's default tier-up budget has them optimized by TurboFan on background threads just before
 * the process ends. A larger budget leaves that to the functions that stay hot (the YAML writer, hashing,
 * comparing), which cuts CPU time by 15–25% and does not slow the run (BENCHMARKS.md, "V8 tier-up budget").
 */

/** V8's `--interrupt-budget` for berth: bytecode budget before a function is considered for optimization (V8's default 66 KiB). */
export const INTERRUPT_BUDGET = 500_000;

/**
 * The V8 flags berth sets for itself with `v8.setFlagsFromString`, given the node flags of this process: none when
 * the user chose an interrupt budget there (theirs wins). Node's command line is the only place a user can: node
 * refuses to start with it in NODE_OPTIONS ("is not allowed in NODE_OPTIONS").
 */
export function v8Tuning(execArgv: readonly string[]): string[] {
  const userSet = execArgv.some((a) => /^--interrupt[-_]budget(=|$)/.test(a));
  return userSet ? [] : [`--interrupt-budget=${INTERRUPT_BUDGET}`];
}
