/**
 * The commit message: a subject a reviewer can approve at a glance
 * (`production: api 1.4.2 → 1.4.3, billing: memory 512Mi → 1Gi, +notifications, −legacy-reports`)
 * and a body with the source commit and the full per-service list.
 */
import type { RenderedFile } from '../render/types.js';
import { factsOf, objectsOf, type RenderingFacts, type ServiceFacts } from './facts.js';

/**
 * Longest subject before fragments fold into "and N more". Above git's customary 72 so that the
 * typical release (a few services) reads in full, as in the issue's own example (93 characters).
 */
export const SUBJECT_LIMIT = 100;

export interface ChangeSummary {
  /** Subject fragments, in order: changed services, +added, −removed, then shared objects. */
  readonly fragments: readonly string[];
  /** One line per change, for the body. */
  readonly details: readonly string[];
}

/** Compares berth's previous files with the new ones. */
export function summarizeChanges(previous: readonly RenderedFile[], next: readonly RenderedFile[]): ChangeSummary {
  const before = factsOf(objectsOf(previous));
  const after = factsOf(objectsOf(next));
  const changed: Change[] = [];
  for (const [service, facts] of after.services) {
    const old = before.services.get(service);
    if (old !== undefined) changed.push(...serviceChange(service, old, facts));
  }
  const added = [...after.services.keys()].filter((s) => !before.services.has(s));
  const removed = [...before.services.keys()].filter((s) => !after.services.has(s));
  const shared = sharedChanges(before, after);
  const serviceFragments = [...changed.map((c) => c.fragment), ...added.map((s) => `+${s}`), ...removed.map((s) => `−${s}`)];
  return {
    fragments: serviceFragments.length > 0 ? serviceFragments : shared.map((c) => c.fragment),
    details: [
      ...changed.flatMap((c) => c.details),
      ...added.map((s) => `+${s}: new service${describeNew(after.services.get(s))}`),
      ...removed.map((s) => `−${s}: removed`),
      ...shared.flatMap((c) => c.details),
    ],
  };
}

interface Change {
  readonly fragment: string;
  readonly details: readonly string[];
}

function serviceChange(service: string, old: ServiceFacts, next: ServiceFacts): Change[] {
  const image = imageChange(old.images, next.images);
  const others: string[] = [];
  const details: string[] = image ? image.details.map((d) => `${service}: ${d}`) : [];
  const note = (label: string, from: string | undefined, to: string | undefined): void => {
    if (from === to) return;
    const text = `${label} ${from ?? 'none'} → ${to ?? 'none'}`;
    others.push(text);
    details.push(`${service}: ${text}`);
  };
  note('replicas', old.replicas, next.replicas);
  note('memory', old.memory, next.memory);
  note('cpu', old.cpu, next.cpu);
  for (const host of next.hosts.filter((h) => !old.hosts.includes(h))) others.push(`+${host}`);
  for (const host of old.hosts.filter((h) => !next.hosts.includes(h))) others.push(`−${host}`);
  if (old.hosts.join() !== next.hosts.join()) details.push(`${service}: hosts ${list(old.hosts)} → ${list(next.hosts)}`);
  const rest = changedKeys(old.rest, next.rest);
  if (rest.length > 0) {
    if (!image && others.length === 0) others.push(`${rest.map((k) => k.split('/')[0]).join(', ')} changed`);
    details.push(`${service}: other changes in ${rest.join(', ')}`);
  }
  if (!image && others.length === 0) return [];
  const fragment = image ? `${service} ${image.fragment}${others.length > 0 ? ` (${others.join(', ')})` : ''}` : `${service}: ${others.join(', ')}`;
  return [{ fragment, details }];
}

/** `1.4.2 → 1.4.3` when one container's tag moved; whole references when repositories changed. */
function imageChange(old: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>): { fragment: string; details: string[] } | undefined {
  const names = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  const moved = names.filter((n) => old[n] !== next[n]);
  if (moved.length === 0) return undefined;
  const named = names.length > 1;
  const details = moved.map((n) => `image ${named ? `(${n}) ` : ''}${old[n] ?? 'none'} → ${next[n] ?? 'none'}`);
  const pairs = moved.map((n) => shortPair(old[n], next[n]));
  return { fragment: pairs.join(', '), details };
}

function shortPair(from: string | undefined, to: string | undefined): string {
  if (from === undefined || to === undefined) return `${shortImage(from)} → ${shortImage(to)}`;
  const a = splitImage(from);
  const b = splitImage(to);
  return a.repository === b.repository ? `${a.version} → ${b.version}` : `${shortImage(from)} → ${shortImage(to)}`;
}

function shortImage(image: string | undefined): string {
  if (image === undefined) return 'none';
  const { repository, version } = splitImage(image);
  return `${repository.split('/').pop()}:${version}`;
}

/** `repo/name:tag@sha256:…` → repository and a short version (tag, else 12 digest characters). */
export function splitImage(image: string): { repository: string; version: string } {
  const [reference = image, digest] = image.split('@');
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? reference.slice(0, colon) : reference;
  const shortDigest = digest === undefined ? undefined : digest.replace(/^sha256:/, '').slice(0, 12);
  const version = hasTag ? reference.slice(colon + 1) : shortDigest !== undefined ? `@${shortDigest}` : 'untagged';
  return { repository, version };
}

function sharedChanges(before: RenderingFacts, after: RenderingFacts): Change[] {
  const keys = [...new Set([...Object.keys(before.shared), ...Object.keys(after.shared)])].sort();
  const changes: Change[] = [];
  for (const k of keys) {
    const [was, is] = [before.shared[k], after.shared[k]];
    if (was === is) continue;
    const verb = was === undefined ? 'added' : is === undefined ? 'removed' : 'changed';
    changes.push({ fragment: `${k} ${verb}`, details: [`${k} ${verb}`] });
  }
  return changes;
}

function changedKeys(old: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(old), ...Object.keys(next)])].filter((k) => old[k] !== next[k]).sort();
}

function describeNew(facts: ServiceFacts | undefined): string {
  if (facts === undefined) return '';
  const images = Object.values(facts.images);
  const parts = [images.length > 0 ? images.join(', ') : undefined, facts.hosts.length > 0 ? facts.hosts.join(', ') : undefined];
  const text = parts.filter((p) => p !== undefined).join('; ');
  return text ? ` (${text})` : '';
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

/** `env: a, b, and 3 more`, at most SUBJECT_LIMIT characters when fragments allow. */
export function subjectLine(environment: string, fragments: readonly string[]): string {
  const prefix = `${environment}: `;
  if (fragments.length === 0) return `${prefix}re-rendered, no object changes`;
  const full = prefix + fragments.join(', ');
  if (length(full) <= SUBJECT_LIMIT) return full;
  for (let kept = fragments.length - 1; kept >= 1; kept--) {
    const candidate = `${prefix}${fragments.slice(0, kept).join(', ')}, and ${fragments.length - kept} more`;
    if (length(candidate) <= SUBJECT_LIMIT) return candidate;
  }
  return `${prefix}${fragments[0]}${fragments.length > 1 ? `, and ${fragments.length - 1} more` : ''}`;
}

function length(text: string): number {
  return [...text].length;
}

/** Subject, the source line, then every change. */
export function commitMessage(options: { environment: string; summary: ChangeSummary; source: string; subject?: string }): string {
  const subject = options.subject ?? subjectLine(options.environment, options.summary.fragments);
  const details = options.summary.details.map((line) => `- ${line}\n`).join('');
  return `${subject}\n\nRendered by berth from ${options.source}\n${details ? `\n${details}` : ''}`;
}
