import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addBusinessTime, ALWAYS_OPEN, businessTimeBetween, parseBusinessCalendar, zonedInstant } from '../../src/domain/business-calendar';

const H = 60 * 60 * 1000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const weekdays = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' };
const berlin = parseBusinessCalendar({ timeZone: 'Europe/Berlin', hours: weekdays, holidays: ['2026-12-25', '2026-12-26', '2027-01-01'] });
const newYork = parseBusinessCalendar({ timeZone: 'America/New_York', hours: weekdays });

describe('addBusinessTime', () => {
  test('over a weekend: Friday 16:00 + 2 h is Monday 10:00', () => {
    expect(iso(addBusinessTime(berlin, at('2026-11-27T15:00:00Z'), 2 * H))).toBe('2026-11-30T09:00:00.000Z');
  });

  test('before and after the working day, and a target that ends exactly at closing time', () => {
    expect(iso(addBusinessTime(berlin, at('2026-11-30T06:00:00Z'), H))).toBe('2026-11-30T09:00:00.000Z'); // Mon 07:00 -> 10:00
    expect(iso(addBusinessTime(berlin, at('2026-11-30T17:00:00Z'), H))).toBe('2026-12-01T09:00:00.000Z'); // Mon 18:00 -> Tue 10:00
    expect(iso(addBusinessTime(berlin, at('2026-11-30T08:00:00Z'), 8 * H))).toBe('2026-11-30T16:00:00.000Z'); // Mon 09:00 -> 17:00, not Tue 09:00
    expect(addBusinessTime(berlin, at('2026-11-30T08:00:00Z'), 0)).toBe(at('2026-11-30T08:00:00Z'));
  });

  test('holidays are skipped like weekends: Thursday 24 December 16:00 + 2 h is Monday 28 December 10:00', () => {
    expect(iso(addBusinessTime(berlin, at('2026-12-24T15:00:00Z'), 2 * H))).toBe('2026-12-28T09:00:00.000Z');
  });

  test('daylight saving starts: working hours follow the wall clock (Berlin, 29 March 2026)', () => {
    // Friday 16:00 CET + 2 h: Monday 10:00 CEST, which is 08:00 UTC, not 09:00.
    expect(iso(addBusinessTime(berlin, at('2026-03-27T15:00:00Z'), 2 * H))).toBe('2026-03-30T08:00:00.000Z');
  });

  test('daylight saving ends: New York, 1 November 2026', () => {
    // Friday 16:00 EDT + 2 h: Monday 10:00 EST = 15:00 UTC.
    expect(iso(addBusinessTime(newYork, at('2026-10-30T20:00:00Z'), 2 * H))).toBe('2026-11-02T15:00:00.000Z');
  });

  test('round the clock, a 23-hour day counts 23 hours (so business time is wall time)', () => {
    const always = parseBusinessCalendar({ timeZone: 'Europe/Berlin', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, '00:00-24:00'])) });
    const start = at('2026-03-28T11:00:00Z');
    expect(addBusinessTime(always, start, 24 * H)).toBe(start + 24 * H);
    expect(addBusinessTime(ALWAYS_OPEN, start, 24 * H)).toBe(start + 24 * H);
  });

  test('across midnight: a night shift of two ranges is continuous', () => {
    const nights = parseBusinessCalendar({ timeZone: 'UTC', hours: { mon: '22:00-24:00', tue: '00:00-06:00,22:00-24:00', wed: '00:00-06:00' } });
    expect(iso(addBusinessTime(nights, at('2026-11-30T23:00:00Z'), 2 * H))).toBe('2026-12-01T01:00:00.000Z');
    // Tuesday 05:00 + 3 h: 1 h until 06:00, then from 22:00: 00:00 Wednesday.
    expect(iso(addBusinessTime(nights, at('2026-12-01T05:00:00Z'), 3 * H))).toBe('2026-12-02T00:00:00.000Z');
  });

  test('a calendar without working hours finds none and says so', () => {
    const never = { ...berlin, week: berlin.week.map(() => []) };
    expect(() => addBusinessTime(never, at('2026-11-30T08:00:00Z'), H)).toThrow('no working time within 3660 days');
  });
});

describe('businessTimeBetween', () => {
  test('counts only working time', () => {
    expect(businessTimeBetween(berlin, at('2026-11-27T15:00:00Z'), at('2026-11-30T09:00:00Z'))).toBe(2 * H);
    expect(businessTimeBetween(berlin, at('2026-12-24T08:00:00Z'), at('2026-12-28T16:00:00Z'))).toBe(16 * H); // Thu 8 h + Mon 8 h
    expect(businessTimeBetween(berlin, at('2026-11-30T12:00:00Z'), at('2026-11-30T10:00:00Z'))).toBe(0);
  });

  test('is the inverse of addBusinessTime, at random instants over a year and both DST changes', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const start = at('2026-01-01T00:00:00Z') + Math.floor(random() * 365 * 24) * H + Math.floor(random() * 60) * 60_000;
      const duration = Math.floor(random() * 60 * H);
      for (const calendar of [berlin, newYork]) {
        const due = addBusinessTime(calendar, start, duration);
        expect(businessTimeBetween(calendar, start, due)).toBe(duration);
      }
    }
  });
});

test('local times that do not exist or occur twice', () => {
  // 02:30 on 29 March 2026 does not exist in Berlin: it is read as 03:30 CEST.
  expect(iso(zonedInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
  // 02:30 on 25 October 2026 occurs twice: the first (CEST) one.
  expect(iso(zonedInstant({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  expect(iso(zonedInstant({ year: 2026, month: 12, day: 31 }, 1440, 'UTC'))).toBe('2027-01-01T00:00:00.000Z');
});

describe('parseBusinessCalendar', () => {
  test('reads weekday names in any case, several ranges, and sorts and deduplicates holidays', () => {
    const c = parseBusinessCalendar({ timeZone: 'Asia/Kolkata', hours: { Monday: '13:00-17:00, 09:00-12:00', sat: ['10:00-12:00'] }, holidays: ['2026-12-25', '2026-01-26', '2026-12-25'] });
    expect(c.week[1]).toEqual([[540, 720], [780, 1020]]);
    expect(c.week[6]).toEqual([[600, 720]]);
    expect(c.week[0]).toEqual([]);
    expect(c.holidays).toEqual(['2026-01-26', '2026-12-25']);
  });

  test.each([
    [null, 'a calendar is an object'],
    [{ timeZone: 'Mars/Olympus', hours: weekdays }, 'timeZone "Mars/Olympus" is not an IANA time zone'],
    [{ timeZone: 'UTC', hours: { funday: '09:00-17:00' } }, '"funday" is not a weekday'],
    [{ timeZone: 'UTC', hours: { mon: '17:00-09:00' } }, 'ends before it starts'],
    [{ timeZone: 'UTC', hours: { mon: '09:00-12:00,11:00-13:00' } }, 'the ranges overlap'],
    [{ timeZone: 'UTC', hours: { mon: '9-17' } }, 'is not a time 00:00 to 24:00'],
    [{ timeZone: 'UTC', hours: { mon: '09:00-24:30' } }, 'is not a time 00:00 to 24:00'],
    [{ timeZone: 'UTC', hours: {} }, 'no working hours on any day'],
    [{ timeZone: 'UTC', hours: weekdays, holidays: ['2026-02-30'] }, '"2026-02-30" is not a date'],
    [{ timeZone: 'UTC', hours: weekdays, holiday: [] }, 'unknown calendar field holiday'],
  ])('refuses %j: %s', (spec, message) => {
    expect(() => parseBusinessCalendar(spec)).toThrow(message);
  });
});

test("the README's example calendar: Friday 14:00 + 4 h is Monday 11:00", () => {
  const example = parseBusinessCalendar(JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'sla-calendar.example.json'), 'utf8')));
  expect(iso(addBusinessTime(example, at('2026-11-27T13:00:00Z'), 4 * H))).toBe('2026-11-30T10:00:00.000Z');
});
