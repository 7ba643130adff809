/**
 * Where a synth's time goes, for `BERTH_PROFILE=1 berth synth` (printed to stderr): wall time per phase,
 * summed over environments, from the process start (node startup and module loading come first).
 * Only the CLI creates one; rendering functions take it as an optional argument and do nothing without it.
 */
export class PhaseTimer {
  private last: number;
  private readonly phases = new Map<string, number>();

  /** `start` is a `performance.now()` reading; 0 is the process start. @default 0 */
  constructor(start = 0) {
    this.last = start;
  }

  /** Adds the time since the previous lap (or the start) to `phase`. */
  lap(phase: string): void {
    const now = performance.now();
    this.phases.set(phase, (this.phases.get(phase) ?? 0) + now - this.last);
    this.last = now;
  }

  /** One line per phase (`  <phase>  <ms> ms`), then the total and the process's CPU time (user+sys). */
  report(): string {
    const rows = [...this.phases].map(([phase, ms]) => `  ${phase.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms`);
    const total = [...this.phases.values()].reduce((a, b) => a + b, 0);
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    return (
      [
        'berth profile (wall time per phase):',
        ...rows,
        `  ${'total'.padEnd(28)} ${total.toFixed(0).padStart(6)} ms`,
        `  cpu user ${(cpu.user / 1000).toFixed(0)} ms, sys ${(cpu.system / 1000).toFixed(0)} ms; rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, ` +
          `heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`,
      ].join('\n') + '\n'
    );
  }
}
