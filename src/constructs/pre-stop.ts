import type { ServiceDeclaration } from '../declaration/types.js';
import type { DrainTimings } from './drain-budget.js';

/**
 * The app container's `lifecycle.preStop`: Kubernetes runs ONE handler before SIGTERM, so a declared command
 * and the drain sleep cannot be two handlers. berth picks:
 * - port, no command: the native `sleep` handler (1.30+; needs nothing in the image);
 * - port and a command: `exec` of `/bin/sh -c '"$@"; exec sleep N' pre-stop <command…>`: the command runs
 *   first, then the pod keeps serving for the drain sleep, even when the command fails. The image needs
 *   `/bin/sh` and `sleep`; for an image without a shell set `drainSleepSeconds: 0` (the command alone);
 * - no port (a worker: nothing to drain) or `drainSleepSeconds: 0`: `exec` of the command alone;
 * - neither: no hook.
 * The hook's time counts against the termination grace period (drainSeconds + 30).
 * The 1.27 structs lack the `sleep` handler, so this is plain JSON.
 */
export function preStopLifecycle(s: Pick<ServiceDeclaration, 'port' | 'preStop'>, drain: DrainTimings): object | undefined {
  const sleep = s.port === undefined ? 0 : drain.preStopSleepSeconds;
  const command = s.preStop && s.preStop.length > 0 ? [...s.preStop] : undefined;
  if (command && sleep > 0) return { preStop: { exec: { command: ['/bin/sh', '-c', `"$@"; exec sleep ${sleep}`, 'pre-stop', ...command] } } };
  if (command) return { preStop: { exec: { command } } };
  if (sleep > 0) return { preStop: { sleep: { seconds: sleep } } };
  return undefined;
}
