/**
 * Peak-RSS probe for benchmarked child processes, loaded with `node --import <this file>`.
 *
 * On exit, appends `<pid> <maxRSS KiB> <user CPU µs> <system CPU µs>` (getrusage of this process) to the file named by
 * BERTH_BENCH_RSS_FILE. Descendant node processes inherit the env and append their own line; the
 * harness takes the maximum RSS (what GNU `time -f %M` reports for a process tree) and sums CPU time.
 * Keeps the benchmark free of a dependency on GNU time.
 */
import { appendFileSync } from 'node:fs';

const target = process.env.BERTH_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    try {
      const u = process.resourceUsage();
      appendFileSync(target, `${process.pid} ${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}\n`);
    } catch {
      // never change the benchmarked program's outcome
    }
  });
}
