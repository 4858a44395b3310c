// SLA targets: how long the helpdesk promises to take, by priority. The confirmation email quotes
// the target for the incident's priority, so the wording here is what customers read.
import type { Priority } from './types';
import { addBusinessTime, BusinessCalendar, isRealDate } from './business-calendar';

export const PRIORITIES: readonly Priority[] = [1, 2, 3, 4, 5];

const PRIORITY_NAMES: Record<Priority, string> = {
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Planning',
};

/** The default promise: critical in 4 hours, planning within a week. Format: `<priority>=<amount><m|h|d>`. */
export const DEFAULT_SLA_TARGETS = '1=4h,2=8h,3=24h,4=72h,5=168h';

const MINUTES_PER_UNIT = { m: 1, h: 60, d: 24 * 60 } as const;
/** A target beyond a year is a typo, and a huge one would overflow the due date. */
export const MAX_SLA_TARGET_MINUTES = 365 * 24 * 60;
const TARGET_PART = /^([0-9]+)\s*=\s*([0-9]+)\s*([mhd])$/i;

/**
 * '1=4h,2=8h,...' -> { 1: 240, 2: 480, ... } in minutes. Every priority 1..5 must be given, once,
 * with a whole positive amount in minutes (m), hours (h) or days (d). Empty parts (a trailing comma)
 * are ignored. Throws an Error naming the part that is wrong.
 */
export function parseSlaTargets(spec: string): Record<Priority, number> {
  if (typeof spec !== 'string') throw new Error('SLA targets must be a string such as ' + DEFAULT_SLA_TARGETS);
  const found: Partial<Record<Priority, number>> = {};
  for (const rawPart of spec.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const match = TARGET_PART.exec(part);
    const expected = `expected <priority 1-5>=<amount><m|h|d>, e.g. 3=24h`;
    if (!match) throw new Error(`Invalid SLA target '${part}': ${expected}`);
    const priority = parsePriority(match[1]);
    if (priority === null) throw new Error(`Invalid SLA target '${part}': priority must be 1 to 5`);
    const amount = Number(match[2]);
    const minutes = amount * MINUTES_PER_UNIT[match[3].toLowerCase() as keyof typeof MINUTES_PER_UNIT];
    if (amount <= 0) throw new Error(`Invalid SLA target '${part}': the amount must be greater than zero`);
    if (minutes > MAX_SLA_TARGET_MINUTES) throw new Error(`Invalid SLA target '${part}': more than 365 days`);
    if (found[priority] !== undefined) throw new Error(`Invalid SLA target '${part}': priority ${priority} is given twice`);
    found[priority] = minutes;
  }
  const missing = PRIORITIES.filter((p) => found[p] === undefined);
  if (missing.length > 0) {
    throw new Error(`SLA targets '${spec}' miss priority ${missing.join(', ')} (every priority 1 to 5 needs a target)`);
  }
  return found as Record<Priority, number>;
}

/** The default targets, parsed once. */
export const DEFAULT_SLA_TARGET_MINUTES: Readonly<Record<Priority, number>> = Object.freeze(
  parseSlaTargets(DEFAULT_SLA_TARGETS),
);

/** The target for one priority, in minutes. */
export function slaTargetMinutes(
  priority: Priority,
  targets: Readonly<Record<Priority, number>> = DEFAULT_SLA_TARGET_MINUTES,
): number {
  const minutes = targets[priority];
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) {
    throw new Error(`No SLA target for priority ${String(priority)}`);
  }
  return minutes;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const DAY_HOUR_MINUTE: [number, string][] = [[MINUTES_PER_UNIT.d, 'day'], [MINUTES_PER_UNIT.h, 'hour'], [1, 'minute']];

/** Minutes in the largest of these units first, zero units skipped: 1560 -> '1 day 2 hours'. */
function formatMinutes(minutes: number, units: [number, string][]): string {
  if (typeof minutes !== 'number' || !Number.isSafeInteger(minutes) || minutes < 0) {
    throw new Error(`SLA target must be a whole, non-negative number of minutes, got ${String(minutes)}`);
  }
  if (minutes === 0) return '0 minutes';
  const parts: string[] = [];
  let rest = minutes;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    rest %= size;
    if (n > 0) parts.push(plural(n, unit));
  }
  return parts.join(' ');
}

/** 240 -> '4 hours', 1560 -> '1 day 2 hours', 30 -> '30 minutes': largest units first, zero units skipped. */
export function formatSlaTarget(minutes: number): string {
  return formatMinutes(minutes, DAY_HOUR_MINUTE);
}

// An explicit offset is required: a date-time without one is read in the machine's local time
// zone, which would make the due date differ between workers (and between run and replay).
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** When the SLA falls due: creation time plus the target, as an ISO 8601 UTC string. Pure: no clock. */
export function slaDueAt(createdAtIso: string, minutes: number): string {
  if (typeof createdAtIso !== 'string' || !ISO_WITH_OFFSET.test(createdAtIso)) {
    throw new Error(`Incident creation time must be an ISO 8601 date-time with a zone, got ${JSON.stringify(createdAtIso)}`);
  }
  const created = Date.parse(createdAtIso);
  // Date.parse rolls 2024-02-30 over into March; a date that does not exist is refused instead.
  if (Number.isNaN(created) || !isRealDate(createdAtIso.slice(0, 10))) {
    throw new Error(`Incident creation time ${JSON.stringify(createdAtIso)} is not a real date`);
  }
  if (typeof minutes !== 'number' || !Number.isSafeInteger(minutes) || minutes < 0) {
    throw new Error(`SLA target must be a whole, non-negative number of minutes, got ${String(minutes)}`);
  }
  return new Date(created + minutes * 60_000).toISOString();
}

/** The due time of a target counted in working time on the calendar, or in wall time without one. */
export function slaDueAtOn(calendar: BusinessCalendar | null, createdAtIso: string, minutes: number): string {
  const wall = slaDueAt(createdAtIso, minutes);
  return calendar ? new Date(addBusinessTime(calendar, Date.parse(createdAtIso), minutes * 60_000)).toISOString() : wall;
}

/** How the confirmation states a due time: 'Monday 14 December 2026, 09:11 (Europe/Berlin)'. */
export function formatSlaDueAt(dueAtIso: string, timeZone: string): string {
  // Assembled from the parts: ICU versions differ in the words and commas they put between them.
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(dueAtIso));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (${timeZone})`;
}

/**
 * How the confirmation states a target: in hours of working time when a calendar counts it ('72 hours
 * of working time', not '3 days', which a reader would take for three working days).
 */
export function formatSlaTargetOn(calendar: BusinessCalendar | null, minutes: number): string {
  return calendar ? `${formatMinutes(minutes, DAY_HOUR_MINUTE.slice(1))} of working time` : formatSlaTarget(minutes);
}

/** 1 -> '1 - Critical' (the ServiceNow wording). */
export function priorityLabel(p: Priority): string {
  const name = PRIORITY_NAMES[p];
  if (name === undefined) throw new Error(`Unknown priority ${String(p)}`);
  return `${p} - ${name}`;
}

/**
 * A priority from a table item, a CLI flag or a parsing rule: the number 1..5, the same as a string
 * ('3'), its label ('3 - Moderate') or its name ('moderate'), case-insensitively. Anything else -> null.
 */
export function parsePriority(value: unknown): Priority | null {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1 && value <= 5 ? (value as Priority) : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  if (/^[1-5]$/.test(text)) return Number(text) as Priority;
  for (const p of PRIORITIES) {
    const name = PRIORITY_NAMES[p].toLowerCase();
    if (text === name || text === priorityLabel(p).toLowerCase()) return p;
  }
  return null;
}
