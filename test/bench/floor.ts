/**
 * The deploy benchmark's floor: raw server-side-apply PATCHes of every object under a folder of YAML manifests, no
 * preflight, no live read, 16 in flight (Namespaces first, then everything else at once). What any apply tool must
 * at least send.
 *
 *   node lib/test/bench/floor.js <kubeconfig> <folder>      # prints {"objects":N,"requests":N,"writes":N}
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { KubeClient } from '../../src/deploy/client.js';
import { ResourceResolver } from '../../src/deploy/context.js';
import { kubeConfigFromFile } from '../../src/deploy/kubeconfig.js';
import { mapLimit } from '../../src/deploy/order.js';
import type { KubeObject } from '../../src/render/types.js';

function manifests(dir: string): KubeObject[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return manifests(path);
      if (!name.endsWith('.yaml')) return [];
      return (loadAll(readFileSync(path, 'utf8')) as KubeObject[]).filter((o) => o && typeof o === 'object' && o.kind);
    });
}

async function main(kubeconfig: string, dir: string): Promise<void> {
  const client = new KubeClient(kubeConfigFromFile(kubeconfig, undefined), { concurrency: 16 });
  const resources = new ResourceResolver(client);
  const objects = manifests(dir);
  const apply = async (obj: KubeObject) =>
    client.request({
      method: 'PATCH',
      path: await resources.pathOf(obj),
      query: { fieldManager: 'floor', force: 'true' },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
  await mapLimit(
    objects.filter((o) => o.kind === 'Namespace'),
    16,
    apply,
  );
  await mapLimit(
    objects.filter((o) => o.kind !== 'Namespace'),
    16,
    apply,
  );
  client.close();
  process.stdout.write(JSON.stringify({ objects: objects.length, requests: client.counters.requests, writes: client.counters.writes }) + '\n');
}

const [kubeconfig, dir] = process.argv.slice(2);
if (!kubeconfig || !dir) {
  process.stderr.write('usage: floor.js <kubeconfig> <folder>\n');
  process.exit(2);
}
main(kubeconfig, dir).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
