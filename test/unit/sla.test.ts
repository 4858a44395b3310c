import {
  DEFAULT_SLA_TARGET_MINUTES,
  DEFAULT_SLA_TARGETS,
  formatSlaTarget,
  parsePriority,
  parseSlaTargets,
  priorityLabel,
  slaDueAt,
  slaDueAtOn,
  slaTargetMinutes,
  formatSlaDueAt,
  formatSlaTargetOn,
} from '../../src/domain/sla';
import { parseBusinessCalendar } from '../../src/domain/business-calendar';
import type { Priority } from '../../src/domain/types';

describe('parseSlaTargets', () => {
  test.each<[string, Record<Priority, number>]>([
    [DEFAULT_SLA_TARGETS, { 1: 240, 2: 480, 3: 1440, 4: 4320, 5: 10080 }],
    ['1=30m,2=90m,3=1d,4=3d,5=7d', { 1: 30, 2: 90, 3: 1440, 4: 4320, 5: 10080 }],
    [' 5 = 1D , 4=2H,3=3h, 2=4M,1=1m ', { 1: 1, 2: 4, 3: 180, 4: 120, 5: 1440 }],
    ['1=4h,2=8h,3=24h,4=72h,5=168h,', { 1: 240, 2: 480, 3: 1440, 4: 4320, 5: 10080 }],
    ['1=365d,2=1m,3=1m,4=1m,5=1m', { 1: 525600, 2: 1, 3: 1, 4: 1, 5: 1 }],
  ])('%p', (spec, expected) => {
    expect(parseSlaTargets(spec)).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['', /miss priority 1, 2, 3, 4, 5/],
    ['1=4h,2=8h,3=24h,4=72h', /miss priority 5/],
    ['1=4h,3=24h,5=1d', /miss priority 2, 4/],
    ['1=4h,2=8h,3=24h,4=72h,5=168h,6=1h', /'6=1h': priority must be 1 to 5/],
    ['0=4h,1=4h,2=8h,3=24h,4=72h,5=168h', /'0=4h': priority must be 1 to 5/],
    ['1=4h,1=2h,2=8h,3=24h,4=72h,5=168h', /'1=2h': priority 1 is given twice/],
    ['1=4,2=8h,3=24h,4=72h,5=168h', /Invalid SLA target '1=4': expected/],
    ['1=4w,2=8h,3=24h,4=72h,5=168h', /Invalid SLA target '1=4w'/],
    ['1=1.5h,2=8h,3=24h,4=72h,5=168h', /Invalid SLA target '1=1.5h'/],
    ['1=-4h,2=8h,3=24h,4=72h,5=168h', /Invalid SLA target '1=-4h'/],
    ['1=0h,2=8h,3=24h,4=72h,5=168h', /'1=0h': the amount must be greater than zero/],
    ['1=366d,2=8h,3=24h,4=72h,5=168h', /'1=366d': more than 365 days/],
    ['1=4h;2=8h;3=24h;4=72h;5=168h', /Invalid SLA target '1=4h;2=8h/],
    ['critical=4h,2=8h,3=24h,4=72h,5=168h', /Invalid SLA target 'critical=4h'/],
  ])('rejects %p', (spec, message) => {
    expect(() => parseSlaTargets(spec)).toThrow(message);
  });
});

describe('slaTargetMinutes', () => {
  test.each<[Priority, number]>([
    [1, 240],
    [2, 480],
    [3, 1440],
    [4, 4320],
    [5, 10080],
  ])('priority %p defaults to %p minutes', (priority, minutes) => {
    expect(slaTargetMinutes(priority)).toBe(minutes);
    expect(slaTargetMinutes(priority, DEFAULT_SLA_TARGET_MINUTES)).toBe(minutes);
  });

  test('uses the given targets', () => {
    expect(slaTargetMinutes(3, parseSlaTargets('1=1h,2=2h,3=3h,4=4h,5=5h'))).toBe(180);
  });

  test('throws when a target is missing', () => {
    expect(() => slaTargetMinutes(3, { 1: 1 } as Record<Priority, number>)).toThrow(/No SLA target for priority 3/);
  });

  test('the default targets cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_SLA_TARGET_MINUTES)).toBe(true);
  });
});

describe('formatSlaTarget', () => {
  test.each([
    [240, '4 hours'],
    [60, '1 hour'],
    [30, '30 minutes'],
    [1, '1 minute'],
    [0, '0 minutes'],
    [1440, '1 day'],
    [4320, '3 days'],
    [10080, '7 days'],
    [1560, '1 day 2 hours'],
    [1441, '1 day 1 minute'],
    [90, '1 hour 30 minutes'],
    [2 * 1440 + 60 + 1, '2 days 1 hour 1 minute'],
    [525600, '365 days'],
  ])('%p -> %p', (minutes, expected) => {
    expect(formatSlaTarget(minutes)).toBe(expected);
  });

  test.each([-1, 1.5, NaN, Infinity])('throws for %p', (minutes) => {
    expect(() => formatSlaTarget(minutes)).toThrow(/whole, non-negative number of minutes/);
  });
});

describe('slaDueAt', () => {
  test.each([
    ['2024-01-01T00:00:00.000Z', 240, '2024-01-01T04:00:00.000Z'],
    ['2024-01-01T22:30:00Z', 240, '2024-01-02T02:30:00.000Z'],
    ['2024-12-31T23:00:00Z', 120, '2025-01-01T01:00:00.000Z'],
    ['2024-02-28T12:00:00Z', 1440, '2024-02-29T12:00:00.000Z'],
    ['2024-03-30T12:00:00+01:00', 1440, '2024-03-31T11:00:00.000Z'],
    ['2024-01-01T10:00:00-05:00', 60, '2024-01-01T16:00:00.000Z'],
    ['2024-01-01T00:00Z', 0, '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00.123456Z', 1, '2024-01-01T00:01:00.123Z'],
  ])('%p + %p minutes -> %p', (createdAt, minutes, expected) => {
    expect(slaDueAt(createdAt, minutes)).toBe(expected);
  });

  test.each([
    ['2024-01-01T00:00:00', /with a zone/], // no offset: would depend on the machine's time zone
    ['2024-01-01', /with a zone/],
    ['yesterday', /with a zone/],
    ['', /with a zone/],
    ['Mon, 01 Jan 2024 00:00:00 GMT', /with a zone/],
    ['2024-13-01T00:00:00Z', /not a real date/],
    ['2024-02-30T00:00:00Z', /not a real date/],
    ['2023-02-29T00:00:00Z', /not a real date/],
  ])('rejects the creation time %p', (createdAt, message) => {
    expect(() => slaDueAt(createdAt, 60)).toThrow(message);
  });

  test.each([-1, 1.5, NaN])('rejects %p minutes', (minutes) => {
    expect(() => slaDueAt('2024-01-01T00:00:00Z', minutes)).toThrow(/whole, non-negative number of minutes/);
  });
});

describe('priorityLabel', () => {
  test.each<[Priority, string]>([
    [1, '1 - Critical'],
    [2, '2 - High'],
    [3, '3 - Moderate'],
    [4, '4 - Low'],
    [5, '5 - Planning'],
  ])('%p -> %p', (priority, label) => {
    expect(priorityLabel(priority)).toBe(label);
    expect(parsePriority(label)).toBe(priority);
  });

  test('throws for a value outside the scale', () => {
    expect(() => priorityLabel(6 as Priority)).toThrow(/Unknown priority 6/);
  });
});

describe('parsePriority', () => {
  test.each<[unknown, Priority | null]>([
    [1, 1],
    [5, 5],
    ['3', 3],
    [' 4 ', 4],
    ['critical', 1],
    ['HIGH', 2],
    ['Moderate', 3],
    ['low', 4],
    ['planning', 5],
    ['2 - high', 2],
    [0, null],
    [6, null],
    [2.5, null],
    [NaN, null],
    ['', null],
    ['0', null],
    ['6', null],
    ['12', null],
    ['2.0', null],
    ['urgent', null],
    [null, null],
    [undefined, null],
    [true, null],
    [[1], null],
  ])('%p -> %p', (value, expected) => {
    expect(parsePriority(value)).toBe(expected);
  });
});

describe('slaDueAtOn', () => {
  const calendar = parseBusinessCalendar({ timeZone: 'Europe/Berlin', hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' } });

  test('without a calendar, wall time', () => {
    expect(slaDueAtOn(null, '2026-11-27T15:00:00Z', 240)).toBe('2026-11-27T19:00:00.000Z');
  });

  test('with one, working time: Friday 16:00 + 4 h is Monday 12:00 in Berlin', () => {
    expect(slaDueAtOn(calendar, '2026-11-27T15:00:00Z', 240)).toBe('2026-11-30T11:00:00.000Z');
  });

  test('the same checks of its inputs', () => {
    expect(() => slaDueAtOn(calendar, '2026-11-27 15:00', 240)).toThrow(/ISO 8601/);
  });
});

describe('how the confirmation states the SLA', () => {
  test('the due time in the calendar zone, the same whatever the ICU version words it', () => {
    expect(formatSlaDueAt('2026-11-30T16:00:00.000Z', 'Europe/Berlin')).toBe('Monday 30 November 2026, 17:00 (Europe/Berlin)');
    expect(formatSlaDueAt('2026-07-01T16:00:00.000Z', 'Europe/Berlin')).toBe('Wednesday 1 July 2026, 18:00 (Europe/Berlin)');
    expect(formatSlaDueAt('2026-12-31T23:59:00.000Z', 'UTC')).toBe('Thursday 31 December 2026, 23:59 (UTC)');
  });

  test('a target counted on a calendar is said in working hours, not days', () => {
    const calendar = parseBusinessCalendar({ timeZone: 'UTC', hours: { mon: '09:00-17:00' } });
    expect(formatSlaTargetOn(calendar, 4320)).toBe('72 hours of working time');
    expect(formatSlaTargetOn(calendar, 90)).toBe('1 hour 30 minutes of working time');
    expect(formatSlaTargetOn(calendar, 45)).toBe('45 minutes of working time');
    expect(formatSlaTargetOn(null, 1440)).toBe('1 day');
  });
});
