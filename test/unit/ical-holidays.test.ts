// Holidays from an iCal file: all-day and timed events, recurrences within the years asked for, and the
// bounds that keep an admin's file from stalling the start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ICAL_LIMITS, holidaysFromICal } from '../../src/domain/ical-holidays';

let uids = 0;
const event = (...lines: string[]) => ['BEGIN:VEVENT', `UID:${++uids}@test`, ...lines, 'END:VEVENT'];
const calendar = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');

test('an all-day event is its day; without DTEND too', () => {
  const ics = calendar(event('DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Christmas'), event('DTSTART;VALUE=DATE:20261003'));
  expect(holidaysFromICal(ics, 2026, 2026)).toEqual(['2026-10-03', '2026-12-25']);
});

test('a multi-day event gives every day up to but excluding DTEND, cut to the years', () => {
  const ics = calendar(event('DTSTART;VALUE=DATE:20261230', 'DTEND;VALUE=DATE:20270103', 'SUMMARY:Closed between the years'));
  expect(holidaysFromICal(ics, 2026, 2027)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  expect(holidaysFromICal(ics, 2027, 2030)).toEqual(['2027-01-01', '2027-01-02']);
});

test('a yearly rule recurs within the years, without its EXDATEs, moved and cancelled occurrences honoured', () => {
  const uid = 'christmas@test';
  const ics = calendar(
    ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART;VALUE=DATE:20201225', 'RRULE:FREQ=YEARLY', 'EXDATE;VALUE=DATE:20271225', 'SUMMARY:Christmas', 'END:VEVENT'],
    ['BEGIN:VEVENT', `UID:${uid}`, 'RECURRENCE-ID;VALUE=DATE:20281225', 'DTSTART;VALUE=DATE:20281227', 'SUMMARY:Christmas, moved', 'END:VEVENT'],
    ['BEGIN:VEVENT', `UID:${uid}`, 'RECURRENCE-ID;VALUE=DATE:20291225', 'DTSTART;VALUE=DATE:20291225', 'STATUS:CANCELLED', 'END:VEVENT'],
  );
  expect(holidaysFromICal(ics, 2025, 2030)).toEqual(['2025-12-25', '2026-12-25', '2028-12-27', '2030-12-25']);
});

test('RDATEs add days to DTSTART, the one of an RRULE too', () => {
  const ics = calendar(
    event('DTSTART;VALUE=DATE:20261224', 'RDATE;VALUE=DATE:20261231,20270105', 'EXDATE;VALUE=DATE:20270105', 'SUMMARY:Bridge days'),
    event('DTSTART;VALUE=DATE:20260501', 'RRULE:FREQ=YEARLY;COUNT=1', 'RDATE;VALUE=DATE:20260815'),
  );
  expect(holidaysFromICal(ics, 2026, 2027)).toEqual(['2026-05-01', '2026-08-15', '2026-12-24', '2026-12-31']);
});

test('nth weekdays, UNTIL and COUNT, and nothing outside the years', () => {
  const ics = calendar(
    event('DTSTART;VALUE=DATE:20241128', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', 'SUMMARY:Thanksgiving'),
    event('DTSTART;VALUE=DATE:20240527', 'RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;UNTIL=20260101', 'SUMMARY:Memorial Day'),
    event('DTSTART;VALUE=DATE:20250101', 'RRULE:FREQ=YEARLY;COUNT=2', 'SUMMARY:Twice'),
    event('DTSTART;VALUE=DATE:20310101', 'SUMMARY:Later'),
  );
  expect(holidaysFromICal(ics, 2025, 2027)).toEqual(['2025-01-01', '2025-05-26', '2025-11-27', '2026-01-01', '2026-11-26', '2027-11-25']);
});

test("a timed event marks the date of its start as written, in its own zone (UTC for a Z time)", () => {
  const ics = calendar(
    event('DTSTART;TZID=Europe/Berlin:20261231T130000', 'DTEND;TZID=Europe/Berlin:20270101T020000', 'SUMMARY:Party'),
    event('DTSTART:20260630T230000Z', 'DTEND:20260701T010000Z', 'SUMMARY:Migration'),
  );
  expect(holidaysFromICal(ics, 2026, 2027)).toEqual(['2026-06-30', '2026-12-31']);
});

test('a byte order mark and LF line ends are read', () => {
  expect(holidaysFromICal(`\uFEFF${calendar(event('DTSTART;VALUE=DATE:20261225')).replace(/\r\n/g, '\n')}`, 2026, 2026)).toEqual(['2026-12-25']);
});

test('a German public-holiday feed (Google export) gives its dates', () => {
  const ics = readFileSync(join(__dirname, '..', 'fixtures', 'german-public-holidays.ics'), 'utf8');
  expect(holidaysFromICal(ics, 2026, 2026)).toEqual([
    '2026-01-01', '2026-01-06', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14',
    '2026-05-25', '2026-06-04', '2026-10-03', '2026-10-31', '2026-12-25', '2026-12-26',
  ]);
  expect(holidaysFromICal(ics, 2025, 2030)).toHaveLength(24);
});

test.each([
  ['{"holidays": []}', /not an iCal calendar: it does not start with BEGIN:VCALENDAR/],
  ['', /not an iCal calendar: it does not start with BEGIN:VCALENDAR/],
  ['BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nEND:VEVENT\r\n', /not an iCal calendar: it does not start with BEGIN:VCALENDAR/],
  ['BEGIN:VCALENDAR\r\nhello\r\nEND:VCALENDAR\r\n', /not an iCal calendar: invalid line \(no token ";" or ":"\) "hello"/],
  ['BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n', /not an iCal calendar: .*began but did not end/],
  ['BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n', /not an iCal calendar: no BEGIN:VCALENDAR ... END:VCALENDAR/],
  [calendar(event('SUMMARY:When?')), /event "When\?": no DTSTART/],
  [calendar(event('DTSTART;VALUE=DATE:20261345', 'SUMMARY:Typo')), /event "Typo": DTSTART "2026-13-45" is not a date/],
  [calendar(['BEGIN:VEVENT', 'UID:m@test', 'DTSTART;VALUE=DATE:20251225', 'RRULE:FREQ=YEARLY', 'SUMMARY:Xmas', 'END:VEVENT'], ['BEGIN:VEVENT', 'UID:m@test', 'RECURRENCE-ID;VALUE=DATE:20261225', 'DTSTART;VALUE=DATE:20261232', 'END:VEVENT']), /event "Xmas": DTSTART "2026-12-32" is not a date/],
  [calendar(event('DTSTART;VALUE=DATE:20261225', 'RRULE:FREQ=FORTNIGHTLY', 'SUMMARY:X')), /invalid frequency/],
])('refuses malformed input %#', (text, message) => {
  expect(() => holidaysFromICal(text, 2026, 2026)).toThrow(message);
});

test.each([
  // ical.js loops forever on the first two and takes seconds on the next two; the others are no holiday shapes.
  ['FREQ=DAILY;BYMONTHDAY=-1', /BYMONTHDAY with FREQ=DAILY is not supported/],
  ['FREQ=DAILY;INTERVAL=7;BYDAY=TU', /INTERVAL with BYDAY is not supported for FREQ=DAILY/],
  ['FREQ=WEEKLY;INTERVAL=52;BYMONTH=2', /INTERVAL with BYMONTH is not supported for FREQ=WEEKLY/],
  ['FREQ=YEARLY;BYMONTHDAY=-8;BYDAY=SA', /BYMONTHDAY with BYDAY is not supported/],
  ['FREQ=HOURLY', /FREQ is YEARLY, MONTHLY, WEEKLY or DAILY/],
  ['FREQ=YEARLY;BYWEEKNO=1', /BYWEEKNO with FREQ=YEARLY is not supported/],
  ['FREQ=MONTHLY;BYDAY=6MO', /BYDAY=6MO: at most 5/],
])('refuses the rule %s: only shapes ical.js expands within bounds pass', (rule, message) => {
  const ics = calendar(event('DTSTART;VALUE=DATE:20260103', `RRULE:${rule}`, 'SUMMARY:Odd'));
  expect(() => holidaysFromICal(ics, 2026, 2026)).toThrow(message);
});

describe('bounds', () => {
  test('a file over 1 MB', () => {
    const ics = calendar(event('DTSTART;VALUE=DATE:20261225', `DESCRIPTION:${'x'.repeat(ICAL_LIMITS.bytes)}`));
    expect(() => holidaysFromICal(ics, 2026, 2026)).toThrow(/larger than 1048576 bytes/);
  });

  test('more than 500 events', () => {
    const ics = calendar(...Array.from({ length: 501 }, () => event('DTSTART;VALUE=DATE:20261225')));
    expect(() => holidaysFromICal(ics, 2026, 2026)).toThrow(/holds 501 events, more than 500/);
  });

  test('more than 2000 dates', () => {
    const ics = calendar(event('DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20320101'));
    expect(() => holidaysFromICal(ics, 2026, 2036)).toThrow(/more than 2000 dates in 2026 to 2036/);
  });

  test('a rule recurring more than 1000 times up to the last year', () => {
    const ics = calendar(event('DTSTART;VALUE=DATE:20000107', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Fridays'));
    expect(() => holidaysFromICal(ics, 2026, 2036)).toThrow(/event "Fridays" recurs more than 1000 times up to 2036/);
  });

  test('more work than the step budget (many long events over the same days)', () => {
    const long = () => event('DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20281001');
    const ics = calendar(...Array.from({ length: 60 }, long));
    expect(() => holidaysFromICal(ics, 2026, 2036)).toThrow(/more than 50000 steps/);
  });

  test('years that are not a range', () => {
    expect(() => holidaysFromICal(calendar(), 2027, 2026)).toThrow(/not a range of years/);
  });
});
