// npm run cluster:up — builds the binaries if needed and starts the local control plane.
import { up } from './cluster.js';

try {
  const s = await up({ owner: 'cli' });
  process.stdout.write(
    `server:     ${s.server}\nkubeconfig: ${s.kubeconfig}\nnodes:      ${s.nodes.join(', ')}\n` +
      `versions:   kubernetes ${s.versions.kubernetes}, etcd ${s.versions.etcd}, kwok ${s.versions.kwok}\n` +
      `stop with:  npm run cluster:down\n`,
  );
} catch (e) {
  process.stderr.write(`[cluster] cluster:up failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
