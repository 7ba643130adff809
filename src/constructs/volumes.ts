import { createHash } from 'node:crypto';
import type { Volume, VolumeMount } from 'cdk8s-plus-27/lib/imports/k8s.js';
import { parseQuantity } from '../declaration/rules.js';
import type { MountDeclaration, ServiceDeclaration } from '../declaration/types.js';
import { qty } from './kube.js';

/** Name of the StatefulSet's volumeClaimTemplate (PVCs are `data-<service>-<ordinal>`). */
export const STORAGE_VOLUME = 'data';

/** What every pod gets for local disk: the /tmp emptyDir's 256Mi, plus room for logs and the writable layer. */
export const BASE_EPHEMERAL_STORAGE = { request: '256Mi', limit: '1Gi' };

const PREFIX: Readonly<Record<'emptyDir' | 'secret' | 'configMap', string>> = { emptyDir: 'scratch', secret: 'secret', configMap: 'config' };

/** The declared mounts (and the storage mount) as pod volumes and container volume mounts. */
export function declaredVolumes(s: Pick<ServiceDeclaration, 'mounts' | 'storage'>): { volumes: Volume[]; mounts: VolumeMount[] } {
  const names = volumeNames(s.mounts ?? []);
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  (s.mounts ?? []).forEach((m, i) => {
    const name = names[i]!;
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
    return `${PREFIX[kind]}-${m.path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`.replace(/-+$/, '');
  });
  return base.map((name, i) => {
    const taken = base.some((other, j) => j !== i && other === name);
    if (!taken && name.length <= 63) return name;
    const hash = createHash('sha256').update(mounts[i]!.path).digest('hex').slice(0, 8);
    return `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
  });
}

/**
 * The container's `ephemeral-storage` request and limit: the base values plus every emptyDir's size,
 * because emptyDir usage counts against the pod's local-storage limit (kubelet evicts beyond it).
 */
export function ephemeralStorage(s: Pick<ServiceDeclaration, 'mounts'>): { request: string; limit: string } {
  const extra = (s.mounts ?? []).reduce((sum, m) => sum + (m.emptyDir === undefined ? 0 : parseQuantity(m.emptyDir) ?? 0), 0);
  if (extra === 0) return BASE_EPHEMERAL_STORAGE;
  return {
    request: formatBytes(parseQuantity(BASE_EPHEMERAL_STORAGE.request)! + extra),
    limit: formatBytes(parseQuantity(BASE_EPHEMERAL_STORAGE.limit)! + extra),
  };
}

/** Bytes as the largest exact binary unit (`1280Mi`, `3Gi`), else whole bytes. */
export function formatBytes(bytes: number): string {
  const whole = Math.ceil(bytes);
  for (const [unit, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (whole % size === 0) return `${whole / size}${unit}`;
  }
  return `${whole}`;
}
