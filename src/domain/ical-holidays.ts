// Holidays from an iCalendar file (RFC 5545), such as a public-holiday feed: the local dates of its events,
// recurrences expanded within a range of years. Pure; ical.js parses and expands. The file is admin input
// read at every start, so its size and the work it may cause are bounded.
import ICAL from 'ical.js';
import { isRealDate } from './business-calendar';

type Event = InstanceType<typeof ICAL.Event>;
type Component = InstanceType<typeof ICAL.Component>;
type Recur = InstanceType<typeof ICAL.Recur>;
type Time = InstanceType<typeof ICAL.Time>;

export const ICAL_LIMITS = { bytes: 1024 * 1024, events: 500, dates: 2000, occurrencesPerEvent: 1000, steps: 50_000 };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Sorted unique dates YYYY-MM-DD within [fromYear, toYear] of every VEVENT: each day of an all-day event
 * (DTSTART;VALUE=DATE up to but excluding DTEND), and for a timed event the date of its start as written
 * (its own zone's wall clock, or UTC for a Z time): a holiday is a whole day, and the file names the zone
 * it means. RRULE, RDATE, EXDATE, moved occurrences (RECURRENCE-ID) and STATUS:CANCELLED are honoured.
 */
export function holidaysFromICal(text: string, fromYear: number, toYear: number): string[] {
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear < 1000 || toYear > 9999 || fromYear > toYear) {
    throw new Error(`${fromYear} to ${toYear} is not a range of years`);
  }
  if (Buffer.byteLength(text, 'utf8') > ICAL_LIMITS.bytes) throw new Error(`the iCal file is larger than ${ICAL_LIMITS.bytes} bytes`);
  const vevents = calendars(text).flatMap((c) => c.getAllSubcomponents('vevent'));
  if (vevents.length > ICAL_LIMITS.events) throw new Error(`the iCal file holds ${vevents.length} events, more than ${ICAL_LIMITS.events}`);
  const dates = new Set<string>();
  let steps = 0;
  const step = () => {
    if (++steps > ICAL_LIMITS.steps) throw new Error(`expanding the iCal file takes more than ${ICAL_LIMITS.steps} steps (recurrences, days of long events)`);
  };
  const from = new Date(0).setUTCFullYear(fromYear, 0, 1);
  const to = new Date(0).setUTCFullYear(toYear + 1, 0, 1);
  for (const event of withExceptions(vevents)) {
    for (const [first, end] of occurrences(event, toYear, step)) {
      for (let day = Math.max(first, from); day < Math.min(end, to); day += DAY_MS) {
        step();
        dates.add(new Date(day).toISOString().slice(0, 10));
        if (dates.size > ICAL_LIMITS.dates) throw new Error(`the iCal file gives more than ${ICAL_LIMITS.dates} dates in ${fromYear} to ${toYear}`);
      }
    }
  }
  return [...dates].sort();
}

function calendars(text: string): Component[] {
  // ical.js fails on a byte order mark (Windows editors write one) and says little on text of another kind.
  const body = text.replace(/^\uFEFF/, '');
  if (!/^\s*BEGIN:VCALENDAR\r?\n/i.test(body)) throw new Error('not an iCal calendar: it does not start with BEGIN:VCALENDAR');
  let jcal: unknown;
  try {
    jcal = ICAL.parse(body);
  } catch (err) {
    throw new Error(`not an iCal calendar: ${(err as Error).message}`);
  }
  // One root parses to one jCal component, several to a list of them.
  const roots = (Array.isArray(jcal) && typeof jcal[0] === 'string' ? [jcal] : jcal) as unknown[];
  const components = roots.map((root) => new ICAL.Component(root as unknown[]));
  if (components.length === 0 || components.some((c) => c.name !== 'vcalendar')) throw new Error('not an iCal calendar: no BEGIN:VCALENDAR ... END:VCALENDAR');
  return components;
}

/** Events to expand: each moved occurrence (RECURRENCE-ID) joins the event it moves; one without it stands alone. */
function withExceptions(vevents: Component[]): Event[] {
  const events = vevents.map((v) => new ICAL.Event(v));
  const masters = new Map<string, Event>();
  for (const e of events) if (!e.isRecurrenceException() && e.uid && !masters.has(e.uid)) masters.set(e.uid, e);
  return events.filter((e) => {
    const master = e.isRecurrenceException() ? masters.get(e.uid) : undefined;
    master?.relateException(e);
    return !master;
  });
}

const cancelled = (event: Event) => String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
const dayOf = (t: Time) => new Date(0).setUTCFullYear(t.year, t.month - 1, t.day);

/** [first day, end day) of each occurrence starting up to toYear, as UTC midnights. */
function* occurrences(event: Event, toYear: number, step: () => void): Generator<[number, number]> {
  const name = JSON.stringify(event.summary || event.uid || '(no SUMMARY)').slice(0, 80);
  if (cancelled(event)) return;
  // ical.js reads a date that does not exist (20261345) as another one: each is checked, moved ones too.
  const problem = [event, ...Object.values(event.exceptions)].map(eventProblem).find((p) => p !== null);
  if (problem) throw new Error(`event ${name}: ${problem}`);
  const fail = (err: unknown) => new Error(`event ${name}: ${(err as Error).message}`);
  // DTSTART is the first occurrence, but ical.js leaves it out when RDATEs come without an RRULE.
  if (event.component.hasProperty('rdate') && !event.component.hasProperty('rrule')) event.component.addPropertyWithValue('rdate', event.startDate);
  let iterator;
  try {
    iterator = event.iterator();
  } catch (err) {
    throw fail(err);
  }
  for (let n = 0; ; n++) {
    let next;
    try {
      next = iterator.next();
    } catch (err) {
      throw fail(err);
    }
    if (!next || next.year > toYear) return;
    if (n >= ICAL_LIMITS.occurrencesPerEvent) throw new Error(`event ${name} recurs more than ${ICAL_LIMITS.occurrencesPerEvent} times up to ${toYear}: give it a later DTSTART`);
    step();
    const { item, startDate, endDate } = event.getOccurrenceDetails(next);
    if (cancelled(item)) continue;
    const first = dayOf(startDate);
    yield [first, startDate.isDate ? Math.max(dayOf(endDate), first + DAY_MS) : first + DAY_MS];
  }
}

function eventProblem(event: Event): string | null {
  const c = event.component;
  if (!c.hasProperty('dtstart')) return 'no DTSTART';
  for (const name of ['dtstart', 'dtend']) {
    const value = c.getFirstProperty(name)?.toJSON()[3];
    if (value !== undefined && !isRealDate(String(value).slice(0, 10))) return `${name.toUpperCase()} ${JSON.stringify(value)} is not a date`;
  }
  if (c.hasProperty('exrule')) return 'EXRULE is not supported (EXDATE is)';
  for (const rule of c.getAllProperties('rrule')) {
    const problem = ruleProblem(rule.getFirstValue() as Recur);
    if (problem) return `RRULE:${rule.getFirstValue()}: ${problem}`;
  }
  return null;
}

const PARTS: Record<string, string[]> = { YEARLY: ['BYMONTH', 'BYMONTHDAY', 'BYDAY'], MONTHLY: ['BYMONTH', 'BYMONTHDAY', 'BYDAY'], WEEKLY: ['BYMONTH', 'BYDAY'], DAILY: ['BYMONTH', 'BYDAY'] };

/**
 * ical.js loops forever on some rules, valid ones too (FREQ=DAILY;BYMONTHDAY=-1; FREQ=DAILY;INTERVAL=7;BYDAY=TU
 * from a Saturday) and takes seconds on others (FREQ=YEARLY;BYMONTHDAY=-8;BYDAY=SA), so only the shapes
 * holidays need pass: yearly or monthly on month days or on (nth) weekdays, weekly or daily on weekdays and months.
 */
function ruleProblem(rule: Recur): string | null {
  const allowed = PARTS[rule.freq];
  if (!allowed) return 'FREQ is YEARLY, MONTHLY, WEEKLY or DAILY here';
  const parts = Object.keys(rule.parts) as (keyof Recur['parts'])[];
  const other = parts.filter((p) => !allowed.includes(p));
  if (other.length) return `${other.join(', ')} with FREQ=${rule.freq} is not supported (${allowed.join(', ')} are)`;
  // Daily BYDAY and BYMONTH, and weekly BYMONTH, filter the steps: with an INTERVAL they may never match.
  const filters = rule.freq === 'DAILY' ? parts : rule.freq === 'WEEKLY' ? parts.filter((p) => p === 'BYMONTH') : [];
  if (filters.length && rule.interval !== 1) return `INTERVAL with ${filters.join(', ')} is not supported for FREQ=${rule.freq}`;
  if (rule.parts.BYMONTHDAY && rule.parts.BYDAY) return 'BYMONTHDAY with BYDAY is not supported';
  const maxNth = rule.freq === 'YEARLY' && !rule.parts.BYMONTH ? 53 : rule.freq === 'WEEKLY' || rule.freq === 'DAILY' ? 0 : 5;
  for (const day of rule.parts.BYDAY ?? []) if (Math.abs(parseInt(day, 10) || 0) > maxNth) return `BYDAY=${day}: at most ${maxNth} with FREQ=${rule.freq}`;
  if ((rule.parts.BYMONTH ?? []).some((m) => !(m >= 1 && m <= 12))) return 'BYMONTH is 1 to 12';
  if ((rule.parts.BYMONTHDAY ?? []).some((d) => !(Math.abs(d) >= 1 && Math.abs(d) <= 31))) return 'BYMONTHDAY is 1 to 31 or -31 to -1';
  return null;
}
