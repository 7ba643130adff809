// npm run cluster:down — stops every process of the local control plane (by PID) and removes .cluster/.
import { down } from './cluster.js';

try {
  await down();
} catch (e) {
  process.stderr.write(`[cluster] cluster:down failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
