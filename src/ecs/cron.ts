/**
 * A Kubernetes 5-field cron schedule as an EventBridge Scheduler `cron(min hour dom month dow year)`.
 * EventBridge wants `?` in day-of-month or day-of-week, numbers weekdays 1-7 from Sunday and has no `/` in
 * day-of-week; schedules it cannot express exactly are reported, not approximated.
 */

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** `{ expression }` for EventBridge Scheduler, or `{ problem }` saying why it cannot be expressed. */
export function schedulerCron(schedule: string): { expression: string } | { problem: string } {
  const text = schedule.trim();
  const [min, hour, dom, month, dow] = (MACROS[text] ?? text).split(/\s+/) as [string, string, string, string, string];
  if (dom !== '*' && dom !== '?' && dow !== '*' && dow !== '?') {
    return { problem: 'sets both day-of-month and day-of-week (cron runs on either); EventBridge allows only one' };
  }
  if (dow.includes('/')) return { problem: 'steps through days of the week ("/"), which EventBridge does not support there' };
  const days = dow === '*' || dow === '?' ? '?' : dow.split(',').map(dayItem).join(',');
  return { expression: `cron(${min} ${hour} ${days === '?' ? dom.replace('?', '*') : '?'} ${month} ${days} *)` };
}

/** A weekday item (`1`, `1-5`, `mon`, `7`) with names, which mean the same on both sides; `5-7` is `FRI-SAT,SUN`. */
function dayItem(item: string): string {
  const [from, to] = item.split('-').map((d) => (/^\d+$/.test(d) ? DAYS[Number(d) % 7] : d.toUpperCase()));
  if (to === undefined) return from;
  if (to === 'SUN' && from !== 'SUN') return `${from}-SAT,SUN`;
  return `${from}-${to}`;
}
