/** The Go-built scanners CI builds into the cache folder (.ci/run), and the example platforms they check. */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `.ci/run` builds cyclonus, kube-score and actionlint (`BERTH_TOOLS_DIR` overrides). */
export const TOOLS_DIR = process.env.BERTH_TOOLS_DIR ?? join(homedir(), '.cache', 'berth', 'tools');

/** The tool's path; a clear failure (not a skip) when CI's build step did not run. */
export function tool(name: 'cyclonus' | 'kube-score' | 'actionlint'): string {
  const path = join(TOOLS_DIR, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run .ci/run (it builds ${name} from its Go module into ${TOOLS_DIR})`);
  return path;
}

/** charts/platform.yaml and every charts/examples/*.yaml. */
export const PLATFORM_FILES: readonly string[] = [
  'charts/platform.yaml',
  ...readdirSync('charts/examples')
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `charts/examples/${f}`),
];
