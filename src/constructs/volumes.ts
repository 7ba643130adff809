import { createHash } from 'node:crypto';
import type { Volume, VolumeMount } from './k8s-types.js';
import { parseQuantity } from '../declaration/rules.js';
import { DEFAULT_SCRATCH } from '../declaration/knobs.js';
import type { MountDeclaration, ServiceDeclaration } from '../declaration/types.js';
import { qty } from './kube.js';

/** Name of the StatefulSet's volumeClaimTemplate (PVCs are `data-<service>-<ordinal>`). */
export const STORAGE_VOLUME = 'data';

/** What every pod gets for local disk by default: the /tmp emptyDir's 256Mi, plus room for logs and the writable layer. */
export const BASE_EPHEMERAL_STORAGE = { request: '256Mi', limit: '1Gi' };
/** Room above the declared volumes for container logs and the writable layer (the limit only). */
export const LOG_HEADROOM = '768Mi';

const PREFIX: Readonly<Record<'emptyDir' | 'secret' | 'configMap', string>> = { emptyDir: 'scratch', secret: 'secret', configMap: 'config' };

type VolumeFields = Pick<ServiceDeclaration, 'mounts' | 'storage' | 'writable'>;

/** Declared mounts, then each `writable` path as an emptyDir mount of its size. */
function allMounts(s: Pick<ServiceDeclaration, 'mounts' | 'writable'>): MountDeclaration[] {
  return [...(s.mounts ?? []), ...Object.entries(s.writable ?? {}).map(([path, size]) => ({ path, emptyDir: size }))];
}

/** The declared mounts and writable paths (and the storage mount) as pod volumes and container volume mounts. */
export function declaredVolumes(s: VolumeFields): { volumes: Volume[]; mounts: VolumeMount[] } {
  const all = allMounts(s);
  const names = volumeNames(all);
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  all.forEach((m, i) => {
    const name = names[i];
    if (m.emptyDir !== undefined) volumes.push({ name, emptyDir: { sizeLimit: qty(m.emptyDir) } });
    if (m.secret !== undefined) volumes.push({ name, secret: { secretName: m.secret } });
    if (m.configMap !== undefined) volumes.push({ name, configMap: { name: m.configMap } });
    mounts.push({ name, mountPath: m.path, readOnly: m.emptyDir === undefined ? true : undefined });
  });
  if (s.storage) mounts.push({ name: STORAGE_VOLUME, mountPath: s.storage.path });
  return { volumes, mounts };
}

/**
 * Volume names derived from source kind and path (`/var/cache/app` as emptyDir → `scratch-var-cache-app`):
 * stable when mounts are reordered. A name that would be too long or taken twice gets a short hash of the path.
 */
function volumeNames(mounts: readonly MountDeclaration[]): string[] {
  const base = mounts.map((m) => {
    const kind = m.emptyDir !== undefined ? 'emptyDir' : m.secret !== undefined ? 'secret' : 'configMap';
    return `${PREFIX[kind]}-${m.path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')}`.replace(/-+$/, '');
  });
  return base.map((name, i) => {
    const taken = base.some((other, j) => j !== i && other === name);
    if (!taken && name.length <= 63) return name;
    const hash = createHash('sha256').update(mounts[i].path).digest('hex').slice(0, 8);
    return `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
  });
}

/**
 * The container's `ephemeral-storage`, derived from what the pod may write (emptyDir usage counts against the
 * pod's local-storage limit; the kubelet evicts beyond it):
 * - request = scratch (/tmp, default 256Mi) + every `writable` size + every emptyDir mount's size;
 * - limit = request + 768Mi for container logs and the writable layer.
 * With no declaration this is the former fixed 256Mi / 1Gi.
 */
export function ephemeralStorage(s: Pick<ServiceDeclaration, 'mounts' | 'writable' | 'scratch'>): { request: string; limit: string } {
  const volumes = allMounts(s).reduce((sum, m) => sum + (m.emptyDir === undefined ? 0 : (parseQuantity(m.emptyDir) ?? 0)), 0);
  const request = parseQuantity(s.scratch ?? DEFAULT_SCRATCH)! + volumes;
  return { request: formatBytes(request), limit: formatBytes(request + parseQuantity(LOG_HEADROOM)!) };
}

/** Bytes as the largest exact binary unit (`1280Mi`, `3Gi`), else whole bytes. */
export function formatBytes(bytes: number): string {
  const whole = Math.ceil(bytes);
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (whole % size === 0) return `${whole / size}${unit}`;
  }
  return `${whole}`;
}
