/** Defaults of berth's pods that the ECS stage mirrors (the GKE side resolves them in src/constructs/pod-options.ts). */

/** UID and GID of a service's processes when the declaration sets none (resolved in src/declaration/defaults.ts). */
export { DEFAULT_RUN_AS_ID } from '../declaration/defaults.js';
/** ECS stops a container at most 120 s after SIGTERM (`stopTimeout`). */
export const MAX_STOP_TIMEOUT_SECONDS = 120;
