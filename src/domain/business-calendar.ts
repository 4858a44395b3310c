// Business calendars: when the helpdesk works (a time zone, working hours per weekday, holidays), and
// SLA arithmetic on them: the instant a target in business time falls due, and the business time between
// two instants (for a clock that pauses). Pure and deterministic: the same inputs give the same instant on
// every worker and in replay. Local times are read through Intl's time zone data, so daylight-saving
// changes move the working hours with the wall clock.
import { isJsonObject } from './json-object';

export interface BusinessCalendar {
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  /** Working intervals per weekday (index 0 = Sunday), minutes from local midnight [start, end), sorted. */
  week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  /** Local dates without working time, YYYY-MM-DD, sorted. */
  holidays: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A target that finds no working time within ten years is a calendar without working hours. */
const MAX_DAYS = 3660;
export const MAX_HOLIDAYS = 5000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at this instant, in ms (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function localDateOf(ms: number, timeZone: string): LocalDate {
  const local = new Date(ms + offsetAt(ms, timeZone));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

const isoDate = (d: LocalDate) => `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

function nextDay(d: LocalDate): LocalDate {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/**
 * The instant of a local wall time (minutes after local midnight; 1440 is the next midnight). A time that
 * occurs twice (clocks going back) is its first occurrence; one that does not occur (clocks going forward)
 * is moved forward by the gap, as a wall clock would show it.
 */
export function zonedInstant(date: LocalDate, minuteOfDay: number, timeZone: string): number {
  const local = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * 60_000;
  const before = offsetAt(local - DAY_MS, timeZone);
  const after = offsetAt(local + DAY_MS, timeZone);
  const valid = [local - before, local - after].filter((c) => c + offsetAt(c, timeZone) === local);
  return valid.length > 0 ? Math.min(...valid) : local - before;
}

/** Every working interval of one local day, as instants; none on a holiday. */
function workingIntervals(calendar: BusinessCalendar, date: LocalDate, holidays: ReadonlySet<string>): [number, number][] {
  if (holidays.has(isoDate(date))) return [];
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return calendar.week[weekday].map(([start, end]) => [zonedInstant(date, start, calendar.timeZone), zonedInstant(date, end, calendar.timeZone)]);
}

/** When `durationMs` of working time after `startMs` has passed: the due time of a business-time target. */
export function addBusinessTime(calendar: BusinessCalendar, startMs: number, durationMs: number): number {
  if (durationMs <= 0) return startMs;
  const holidays = new Set(calendar.holidays);
  let remaining = durationMs;
  let date = localDateOf(startMs, calendar.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, date = nextDay(date)) {
    for (const [start, end] of workingIntervals(calendar, date, holidays)) {
      const from = Math.max(start, startMs);
      if (end <= from) continue;
      if (remaining <= end - from) return from + remaining;
      remaining -= end - from;
    }
  }
  throw new Error(`The calendar (${calendar.timeZone}) has no working time within ${MAX_DAYS} days`);
}

/** Working time between two instants: how much of a business-time target a clock running from `fromMs` used. */
export function businessTimeBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const holidays = new Set(calendar.holidays);
  let total = 0;
  let date = localDateOf(fromMs, calendar.timeZone);
  const last = isoDate(localDateOf(toMs, calendar.timeZone));
  for (let i = 0; i < MAX_DAYS; i++, date = nextDay(date)) {
    for (const [start, end] of workingIntervals(calendar, date, holidays)) total += Math.max(0, Math.min(end, toMs) - Math.max(start, fromMs));
    if (isoDate(date) === last) return total;
  }
  return total;
}

/** Round the clock, every day, in UTC: business time is wall time. */
export const ALWAYS_OPEN: BusinessCalendar = { timeZone: 'UTC', week: WEEKDAYS.map(() => [[0, 1440]] as const), holidays: [] };

// ---- The calendar as an admin writes it (JSON) -------------------------------------------------------

/**
 * { "timeZone": "Europe/Berlin", "hours": { "mon": "08:00-17:00", "fri": "08:00-12:00,13:00-15:00" },
 *   "holidays": ["2026-12-25"] }: a weekday not named has no working hours; "24:00" ends a day. Throws an
 * Error that says what is wrong and where.
 */
export function parseBusinessCalendar(spec: unknown): BusinessCalendar {
  if (!isJsonObject(spec)) throw new Error('a calendar is an object with timeZone, hours and holidays');
  const s = spec;
  // holidayCalendar (an iCal file) is read by the configuration, which passes its dates in holidays.
  const unknown = Object.keys(s).filter((k) => !['timeZone', 'hours', 'holidays', 'holidayCalendar'].includes(k));
  if (unknown.length) throw new Error(`unknown calendar field ${unknown.join(', ')} (timeZone, hours, holidays, holidayCalendar)`);
  const timeZone = s.timeZone;
  if (typeof timeZone !== 'string' || !validTimeZone(timeZone)) throw new Error(`timeZone ${JSON.stringify(timeZone)} is not an IANA time zone such as Europe/Berlin`);
  const hours = s.hours ?? {};
  if (!isJsonObject(hours)) throw new Error('hours is an object of weekdays, e.g. { "mon": "09:00-17:00" }');
  const week: [number, number][][] = WEEKDAYS.map(() => []);
  for (const [day, value] of Object.entries(hours)) {
    const index = WEEKDAYS.indexOf(day.toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
    if (index < 0 || !/^(sun|mon|tue|wed|thu|fri|sat)[a-z]*$/i.test(day)) throw new Error(`hours: ${JSON.stringify(day)} is not a weekday (mon, tue, ... sun)`);
    week[index] = parseIntervals(day, value);
  }
  if (week.every((d) => d.length === 0)) throw new Error('hours: the calendar has no working hours on any day');
  const holidays = s.holidays ?? [];
  if (!Array.isArray(holidays)) throw new Error('holidays is a list of dates, e.g. ["2026-12-25"]');
  // The calendar travels in workflow inputs, and every value reaching Temporal is bounded.
  if (holidays.length > MAX_HOLIDAYS) throw new Error(`holidays: ${holidays.length} dates, more than ${MAX_HOLIDAYS}`);
  for (const h of holidays) if (typeof h !== 'string' || !isRealDate(h)) throw new Error(`holidays: ${JSON.stringify(h)} is not a date YYYY-MM-DD`);
  return { timeZone, week, holidays: [...new Set(holidays as string[])].sort() };
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.length <= 64;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD of a day that exists (Date.UTC rolls 2026-02-30 over into March: that is caught here). */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function minuteOf(day: string, text: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(text.trim());
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 1440) throw new Error(`hours.${day}: ${JSON.stringify(text)} is not a time 00:00 to 24:00`);
  return minutes;
}

function parseIntervals(day: string, value: unknown): [number, number][] {
  const parts = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (!parts || parts.some((p) => typeof p !== 'string')) throw new Error(`hours.${day}: "09:00-17:00", or several separated by commas`);
  const intervals = (parts as string[])
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p): [number, number] => {
      const [from, to, extra] = p.split('-');
      if (to === undefined || extra !== undefined) throw new Error(`hours.${day}: ${JSON.stringify(p)} is not a range such as 09:00-17:00`);
      const range: [number, number] = [minuteOf(day, from), minuteOf(day, to)];
      if (range[0] >= range[1]) throw new Error(`hours.${day}: ${p} ends before it starts (a night shift is two ranges: 22:00-24:00 and 00:00-06:00 of the next day)`);
      return range;
    })
    .sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i][0] < intervals[i - 1][1]) throw new Error(`hours.${day}: the ranges overlap`);
  }
  return intervals;
}
