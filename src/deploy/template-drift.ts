/**
 * Drift over the whole pod template berth declares: containers, init containers, volumes and environment variables
 * that exist live but are not declared (an injected container, `kubectl set env`). Server-side apply never removes
 * what another field manager added, so berth finds them by name, reports them, and (with `--force-conflicts`)
 * removes them with a JSON patch guarded by the object's resourceVersion. Values are never shown.
 */
import type { KubeObject } from '../render/types.js';

export interface Extra {
  /** Human path, e.g. `spec.template.spec.containers[name=web].env[name=DEBUG]`. */
  readonly path: string;
  /** JSON pointer of the live element (for removal). */
  readonly pointer: string;
  readonly what: string;
}

type Json = Record<string, unknown>;
type Named = { name?: string } & Json;

function templateOf(obj: KubeObject): { base: string[]; spec: Json | undefined } {
  const o = obj as unknown as { kind: string; spec?: { template?: { spec?: Json }; jobTemplate?: { spec?: { template?: { spec?: Json } } } } };
  if (o.kind === 'CronJob') return { base: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], spec: o.spec?.jobTemplate?.spec?.template?.spec };
  if (['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(o.kind)) return { base: ['spec', 'template', 'spec'], spec: o.spec?.template?.spec };
  return { base: [], spec: undefined };
}

function names(list: unknown): Set<string> {
  return new Set(Array.isArray(list) ? (list as Named[]).map((x) => x.name ?? '') : []);
}

function extrasIn(want: unknown, have: unknown, path: string, pointer: string, label: string): Extra[] {
  if (!Array.isArray(have)) return [];
  const declared = names(want);
  return (have as Named[]).flatMap((x, i) =>
    declared.has(x.name ?? '')
      ? []
      : [
          {
            path: `${path}[name=${x.name}]`,
            pointer: `${pointer}/${i}`,
            what: `${label} "${x.name}" is not declared`,
          },
        ],
  );
}

/** Undeclared containers, init containers, volumes and env vars in `live`'s pod template. */
export function templateExtras(desired: KubeObject, live: KubeObject | undefined): Extra[] {
  const want = templateOf(desired);
  if (!live || !want.spec) return [];
  const have = templateOf(live);
  if (!have.spec) return [];
  const path = want.base.join('.');
  const pointer = '/' + want.base.join('/');
  const out: Extra[] = [];
  out.push(...extrasIn(want.spec.volumes, have.spec.volumes, `${path}.volumes`, `${pointer}/volumes`, 'volume'));
  for (const list of ['initContainers', 'containers'] as const) {
    out.push(...extrasIn(want.spec[list], have.spec[list], `${path}.${list}`, `${pointer}/${list}`, list === 'containers' ? 'container' : 'init container'));
    const declared = new Map((Array.isArray(want.spec[list]) ? (want.spec[list] as Named[]) : []).map((c) => [c.name, c]));
    (Array.isArray(have.spec[list]) ? (have.spec[list] as Named[]) : []).forEach((c, i) => {
      const d = declared.get(c.name);
      if (d) out.push(...extrasIn(d.env, c.env, `${path}.${list}[name=${c.name}].env`, `${pointer}/${list}/${i}/env`, 'environment variable'));
    });
  }
  return out;
}

/** JSON patch removing the extras (highest index first within a list), guarded by `resourceVersion`. */
export function removalPatch(extras: readonly Extra[], resourceVersion: string | undefined): Json[] {
  const ops: Json[] = resourceVersion ? [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }] : [];
  // deeper pointers (env entries) before their containers; within one list, higher indices first
  const sorted = [...extras].sort(
    (a, b) => b.pointer.split('/').length - a.pointer.split('/').length || b.pointer.localeCompare(a.pointer, undefined, { numeric: true }),
  );
  return [...ops, ...sorted.map((e) => ({ op: 'remove', path: e.pointer }))];
}
