// Locates (or builds once per machine) the control-plane binaries:
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok.
//
// Order of preference:
//   1. $KUBEBUILDER_ASSETS (envtest convention): prebuilt binaries, nothing is built.
//   2. ~/.cache/berth/cluster/<k8s version>-<hash of go.mod/go.sum/mains>/ (or $BERTH_CLUSTER_CACHE/...).
//   3. `go build` of test/cluster/go into that cache folder.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'] as const;
export type BinaryName = (typeof BINARIES)[number];
export type BinPaths = Record<BinaryName, string> & { dir: string; source: 'KUBEBUILDER_ASSETS' | 'cache' | 'built' };

const log = (msg: string): void => {
  process.stderr.write(`[cluster] ${msg}\n`);
};

/** Walks up from the working directory to the folder holding berth's package.json. */
export function findRepoRoot(start = process.cwd()): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'test', 'cluster', 'go', 'go.mod'))) return dir;
    const parent = join(dir, '..');
    if (parent === dir) throw new Error(`cannot find berth's repository root above ${start}`);
    dir = parent;
  }
}

export function goModuleDir(repoRoot: string): string {
  return join(repoRoot, 'test', 'cluster', 'go');
}

/** Versions pinned in test/cluster/go/go.mod. */
export function pinnedVersions(repoRoot: string): { kubernetes: string; etcd: string; kwok: string } {
  const gomod = readFileSync(join(goModuleDir(repoRoot), 'go.mod'), 'utf8');
  const pick = (mod: string): string => {
    const m = new RegExp(`^\\s*${mod.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm').exec(gomod);
    if (!m?.[1]) throw new Error(`${mod} not required in go.mod`);
    return m[1];
  };
  return { kubernetes: pick('k8s.io/kubernetes'), etcd: pick('go.etcd.io/etcd/server/v3'), kwok: pick('sigs.k8s.io/kwok') };
}

/**
 * go build flags. The -X flags stamp the release into the binaries as Kubernetes' own build does
 * (hack/lib/version.sh); without them /version reports v0.0.0-master and clients that parse it break.
 */
export function buildArgs(repoRoot: string, outDir: string): string[] {
  const k8s = pinnedVersions(repoRoot).kubernetes;
  const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(k8s) ?? [];
  const x: string[] = [];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    x.push(`-X ${pkg}.gitVersion=${k8s}`, `-X ${pkg}.gitMajor=${major}`, `-X ${pkg}.gitMinor=${minor}`, `-X ${pkg}.gitTreeState=clean`);
  }
  return ['build', '-trimpath', '-buildvcs=false', `-ldflags=-s -w ${x.join(' ')}`, '-o', outDir + '/', './cmd/...'];
}

/** Cache key: k8s version plus a hash of everything that decides the build output. */
export function cacheKey(repoRoot: string): string {
  const dir = goModuleDir(repoRoot);
  const h = createHash('sha256');
  h.update(readFileSync(join(dir, 'go.mod')));
  h.update(readFileSync(join(dir, 'go.sum')));
  for (const name of readdirSync(join(dir, 'cmd')).sort()) {
    h.update(name);
    h.update(readFileSync(join(dir, 'cmd', name, 'main.go')));
  }
  h.update(process.platform + '/' + process.arch);
  h.update(buildArgs(repoRoot, '').join(' '));
  return `${pinnedVersions(repoRoot).kubernetes}-${h.digest('hex').slice(0, 12)}`;
}

export function cacheDir(repoRoot: string): string {
  const base = process.env.BERTH_CLUSTER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'berth', 'cluster');
  return join(base, cacheKey(repoRoot));
}

function paths(dir: string, source: BinPaths['source']): BinPaths {
  const out = { dir, source } as BinPaths;
  for (const b of BINARIES) out[b] = join(dir, b);
  return out;
}

function missing(dir: string): string[] {
  return BINARIES.filter((b) => !existsSync(join(dir, b)));
}

/** Returns the binaries without building; undefined if they still need a build. */
export function findBinaries(repoRoot: string): BinPaths | undefined {
  const assets = process.env.KUBEBUILDER_ASSETS;
  if (assets) {
    const gone = missing(assets);
    if (gone.length > 0) {
      throw new Error(
        `KUBEBUILDER_ASSETS=${assets} lacks ${gone.join(', ')}; berth's rig needs ${BINARIES.join(', ')} there ` +
          `(unset KUBEBUILDER_ASSETS to build them from test/cluster/go instead)`,
      );
    }
    return paths(assets, 'KUBEBUILDER_ASSETS');
  }
  const dir = cacheDir(repoRoot);
  return missing(dir).length === 0 ? paths(dir, 'cache') : undefined;
}

/** Finds or builds the binaries. The first build takes a while (Go compiles Kubernetes). */
export async function ensureBinaries(repoRoot: string): Promise<BinPaths> {
  const found = findBinaries(repoRoot);
  if (found) {
    log(`binaries: ${found.dir} (${found.source})`);
    return found;
  }
  const dir = cacheDir(repoRoot);
  const v = pinnedVersions(repoRoot);
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the Go toolchain (`go`) is needed to build the test control plane, or set KUBEBUILDER_ASSETS');
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`building kubernetes ${v.kubernetes}, etcd ${v.etcd}, kwok ${v.kwok} into ${dir} ` + `(first build on this machine: ~30 min on 2 cores, once)`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', buildArgs(repoRoot, tmp), { cwd: goModuleDir(repoRoot), stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`go build failed (exit ${code ?? signal})`))));
  });
  const gone = missing(tmp);
  if (gone.length > 0) throw new Error(`go build did not produce ${gone.join(', ')}`);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`built in ${Math.round((Date.now() - started) / 1000)}s`);
  pruneOldBuilds(dir);
  return paths(dir, 'built');
}

/** Removes builds of other versions (~0.5 GB each) that no running process uses. */
function pruneOldBuilds(current: string): void {
  const base = dirname(current);
  const inUse = new Set<string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      inUse.add(dirname(readlinkSync(`/proc/${e}/exe`)));
    } catch {
      /* not ours to read, or gone */
    }
  }
  for (const name of readdirSync(base)) {
    const dir = join(base, name);
    if (dir === current || name.includes('.tmp-') || inUse.has(dir)) continue;
    log(`removing old build ${dir}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
