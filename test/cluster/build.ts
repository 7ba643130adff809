// npm run cluster:build — builds (or finds) the control-plane binaries without starting anything.
// Prints the folder holding them; usable as KUBEBUILDER_ASSETS elsewhere.
import { ensureBinaries, findRepoRoot, pinnedVersions } from './binaries.js';

try {
  const root = findRepoRoot();
  const v = pinnedVersions(root);
  const bins = await ensureBinaries(root);
  process.stdout.write(`kubernetes ${v.kubernetes}, etcd ${v.etcd}, kwok ${v.kwok}: ${bins.dir}\n`);
} catch (e) {
  process.stderr.write(`[cluster] cluster:build failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
