/** Cron schedules and time zones as the Kubernetes CronJob controller accepts them (robfig/cron standard syntax). */
import type { RuleResult } from './rules.js';

/** The macros Kubernetes accepts in place of five fields. */
export const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const EXAMPLE =
  'write five fields "minute hour day-of-month month day-of-week", e.g. "30 2 * * *" (02:30 every day), or @hourly/@daily/@weekly/@monthly/@yearly';

/** A 5-field cron expression (lists, ranges, steps, month and weekday names) or a macro. */
export function checkCron(schedule: string): RuleResult {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return ['sets a time zone inside the schedule, which Kubernetes rejects', 'remove the TZ= prefix and set "timeZone" instead'];
  if (text.startsWith('@')) {
    return (CRON_MACROS as readonly string[]).includes(text) ? undefined : ['is not a known cron macro', `use one of ${CRON_MACROS.join(', ')}`];
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return [`has ${parts.length} field${parts.length === 1 ? '' : 's'}, a cron schedule has 5`, EXAMPLE];
  for (let i = 0; i < 5; i++) {
    const problem = checkField(parts[i], FIELDS[i]);
    if (problem) return [`${FIELDS[i].name} field "${parts[i]}" ${problem}`, EXAMPLE];
  }
  return undefined;
}

function checkField(field: string, f: Field): string | undefined {
  for (const item of field.split(',')) {
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0 || range === undefined || range === '') return 'is malformed';
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return `has an invalid step "/${step}"`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return 'is malformed';
    const values = bounds.map((b) => valueOf(b, f));
    if (values.some((v) => v === undefined))
      return `must hold numbers ${f.min}-${f.max}${f.names ? ` or names ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}`;
    if (values.some((v) => v! < f.min || v! > f.max)) return `is out of range ${f.min}-${f.max}`;
    if (values.length === 2 && values[0]! > values[1]!) return 'has a range that ends before it starts';
  }
  return undefined;
}

function valueOf(token: string, f: Field): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const i = f.names?.indexOf(token.toUpperCase()) ?? -1;
  return i < 0 ? undefined : i + f.min;
}

/** An IANA time zone name the runtime knows (the CronJob controller reads the same tz database). */
export function checkTimeZone(zone: string): RuleResult {
  const fix = 'use an IANA time zone name such as "Europe/Paris", "America/New_York" or "Etc/UTC"';
  if (zone.trim() !== zone || zone === '' || /^[+-]|^(Local)$/.test(zone)) return ['is not an IANA time zone name', fix];
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return ['is not an IANA time zone name', fix];
  }
  // Intl ignores case; the controller's tz database lookup does not.
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())
    return ['is not spelt as in the IANA database (names are case-sensitive)', `write "${resolved}"`];
  return undefined;
}
