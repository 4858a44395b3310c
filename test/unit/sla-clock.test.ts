import { parseBusinessCalendar } from '../../src/domain/business-calendar';
import { applySlaChange, fireSlaDeadlines, nextSlaDeadline, SlaClock, slaClockFinished, slaDueAt, slaView, slaWarningAt, startSlaClock } from '../../src/domain/sla-clock';
import { testSlaPlan } from '../fixtures/sla-plan';

const M = 60_000;
const H = 60 * M;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const berlin = parseBusinessCalendar({
  timeZone: 'Europe/Berlin',
  hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
  holidays: ['2026-12-25'],
});

const plan = testSlaPlan;

const T0 = at('2026-11-30T10:00:00Z'); // a Monday
const started = (p = plan(), state = 'new') => startSlaClock(p, T0, state).clock;

describe('starting', () => {
  test('both targets run from the creation, due after their target, warning at the share', () => {
    const step = startSlaClock(plan(), T0, 'new');
    expect(step.events.map((e) => [e.target, e.event, iso(e.dueAt)])).toEqual([
      ['firstResponse', 'started', '2026-11-30T11:00:00.000Z'],
      ['resolution', 'started', '2026-11-30T14:00:00.000Z'],
    ]);
    expect(iso(slaWarningAt(step.clock, 'firstResponse'))).toBe('2026-11-30T10:48:00.000Z');
    expect(iso(slaWarningAt(step.clock, 'resolution'))).toBe('2026-11-30T13:12:00.000Z');
    expect(iso(nextSlaDeadline(step.clock))).toBe('2026-11-30T10:48:00.000Z');
  });

  test('an incident already waiting for the customer starts paused; a resolved one starts finished', () => {
    expect(started(plan(), 'awaiting-customer').pausedSince).toBe(T0);
    expect(nextSlaDeadline(started(plan(), 'awaiting-customer'))).toBeNull();
    expect(slaClockFinished(started(plan(), 'resolved'))).toBe(true);
  });

  test('on a business calendar, Friday 16:00 + 4 h is Monday 12:00 (Berlin)', () => {
    const clock = startSlaClock(plan({ calendar: berlin, time: 'business' }), at('2026-11-27T15:00:00Z'), 'new').clock;
    expect(iso(slaDueAt(clock, 'resolution'))).toBe('2026-11-30T11:00:00.000Z');
    expect(iso(slaDueAt(clock, 'firstResponse'))).toBe('2026-11-27T16:00:00.000Z');
  });
});

describe('warnings and breaches', () => {
  test('each fires once, at its own instant; a later check finds nothing new', () => {
    let clock = started();
    const first = fireSlaDeadlines(clock, T0 + 50 * M);
    expect(first.events.map((e) => [e.target, e.event, iso(e.at)])).toEqual([['firstResponse', 'warning', '2026-11-30T10:48:00.000Z']]);
    clock = first.clock;
    expect(fireSlaDeadlines(clock, T0 + 50 * M).events).toEqual([]);
    const second = fireSlaDeadlines(clock, T0 + 61 * M);
    expect(second.events.map((e) => [e.target, e.event, iso(e.at)])).toEqual([['firstResponse', 'breach', '2026-11-30T11:00:00.000Z']]);
    expect(iso(nextSlaDeadline(second.clock))).toBe('2026-11-30T13:12:00.000Z');
  });

  test('a breach found late (the warning never fired) is the breach alone', () => {
    const { events, clock } = fireSlaDeadlines(started(), T0 + 5 * H);
    expect(events.map((e) => [e.target, e.event])).toEqual([
      ['firstResponse', 'breach'],
      ['resolution', 'breach'],
    ]);
    expect(nextSlaDeadline(clock)).toBeNull();
  });
});

describe('changes', () => {
  test('the first response meets the first target only; resolving meets the other and ends the clock', () => {
    let clock = started();
    const answered = applySlaChange(clock, { type: 'responded', at: T0 + 20 * M });
    expect(answered.events.map((e) => [e.target, e.event, e.detail])).toEqual([['firstResponse', 'met', 'answered in time']]);
    clock = answered.clock;
    expect(applySlaChange(clock, { type: 'responded', at: T0 + 30 * M }).events).toEqual([]);
    expect(iso(nextSlaDeadline(clock))).toBe('2026-11-30T13:12:00.000Z');
    const resolved = applySlaChange(clock, { type: 'state', state: 'resolved', at: T0 + 2 * H });
    expect(resolved.events.map((e) => [e.target, e.event])).toEqual([['resolution', 'met']]);
    expect(slaClockFinished(resolved.clock)).toBe(true);
    expect(slaView(resolved.clock, T0 + 3 * H).targets).toMatchObject({ firstResponse: { state: 'met', usedMinutes: 20 }, resolution: { state: 'met', usedMinutes: 120 } });
  });

  test('closing before any answer stops the first-response target without meeting it', () => {
    const { events, clock } = applySlaChange(started(), { type: 'state', state: 'closed', at: T0 + H / 2 });
    expect(events.map((e) => [e.target, e.event])).toEqual([['firstResponse', 'stopped'], ['resolution', 'met']]);
    expect(slaView(clock, T0 + H).targets.firstResponse.state).toBe('stopped');
  });

  test('waiting for the customer pauses both; the reply resumes them with the time used kept', () => {
    let clock = started();
    const paused = applySlaChange(clock, { type: 'state', state: 'awaiting-customer', at: T0 + H });
    expect(paused.events.map((e) => e.event)).toEqual(['paused']);
    clock = paused.clock;
    expect(nextSlaDeadline(clock)).toBeNull();
    expect(slaView(clock, T0 + 100 * H)).toMatchObject({ resolutionDueAt: null, pausedSince: '2026-11-30T11:00:00.000Z' });
    // A second "waiting" changes nothing; two weeks later the customer answers.
    expect(applySlaChange(clock, { type: 'state', state: 'awaiting-customer', at: T0 + 2 * H }).events).toEqual([]);
    const resumeAt = T0 + 14 * 24 * H;
    const resumed = applySlaChange(clock, { type: 'state', state: 'in-progress', at: resumeAt });
    expect(resumed.events.map((e) => e.event)).toEqual(['resumed']);
    // One of four hours was used before the pause: three remain.
    expect(slaDueAt(resumed.clock, 'resolution')).toBe(resumeAt + 3 * H);
    expect(slaDueAt(resumed.clock, 'firstResponse')).toBe(resumeAt); // its hour was used up exactly
  });

  test('a pause on a business calendar: the working time used before it counts, the weekend does not', () => {
    const p = plan({ calendar: berlin, time: 'business', resolutionMinutes: 8 * 60 });
    let clock = startSlaClock(p, at('2026-11-27T12:00:00Z'), 'new').clock; // Fri 13:00
    clock = applySlaChange(clock, { type: 'state', state: 'awaiting-customer', at: at('2026-11-27T14:00:00Z') }).clock; // Fri 15:00: 2 h used
    clock = applySlaChange(clock, { type: 'state', state: 'in-progress', at: at('2026-11-28T10:00:00Z') }).clock; // Saturday
    expect(iso(slaDueAt(clock, 'resolution'))).toBe('2026-11-30T14:00:00.000Z'); // Mon 09:00 + 6 h
  });

  test('reopening restarts the resolution target from zero (restart) or resumes it (resume)', () => {
    for (const onReopen of ['restart', 'resume'] as const) {
      let clock = started(plan({ onReopen }));
      clock = fireSlaDeadlines(clock, T0 + 3.5 * H).clock; // resolution warned
      clock = applySlaChange(clock, { type: 'state', state: 'resolved', at: T0 + 3.5 * H }).clock;
      const reopenAt = T0 + 24 * H;
      const reopened = applySlaChange(clock, { type: 'state', state: 'in-progress', at: reopenAt });
      expect(reopened.events.map((e) => [e.target, e.event])).toEqual([['resolution', 'reopened']]);
      const due = slaDueAt(reopened.clock, 'resolution');
      expect(due).toBe(onReopen === 'restart' ? reopenAt + 4 * H : reopenAt + H / 2);
      expect(reopened.clock.resolution.warned).toBe(onReopen === 'resume');
      // The first response stays as it ended (stopped by the resolution).
      expect(reopened.clock.firstResponse.stoppedAt).toBe(T0 + 3.5 * H);
    }
  });

  test('a re-plan keeps the time used and moves the due time to the new target; a target it did not change has no event', () => {
    let clock = started();
    const replan = applySlaChange(clock, { type: 'replan', plan: plan({ resolutionMinutes: 480, fingerprint: 'b'.repeat(64) }), at: T0 + H });
    expect(replan.events.map((e) => [e.target, e.event, iso(e.dueAt)])).toEqual([['resolution', 'replanned', '2026-11-30T18:00:00.000Z']]);
    // As the workflow does, what fell due is fired first: the first response breached at 11:00 and stays so.
    const fired = fireSlaDeadlines(replan.clock, T0 + 2 * H).clock;
    const again = applySlaChange(fired, { type: 'replan', plan: plan({ resolutionMinutes: 480, fingerprint: 'c'.repeat(64) }), at: T0 + 2 * H });
    expect(again).toMatchObject({ events: [], clock: { plan: { fingerprint: 'c'.repeat(64) } } });
    expect(iso(slaDueAt(again.clock, 'firstResponse'))).toBe('2026-11-30T11:00:00.000Z');
    expect(replan.events[0].detail).toBe('target 240 -> 480 minutes of wall time; due 2026-11-30T14:00:00.000Z -> 2026-11-30T18:00:00.000Z');
    clock = replan.clock;
    expect(clock.plan.fingerprint).toBe('b'.repeat(64));
    // Onto a business calendar: the hour used stays used, the rest counts working time (Mon 11:00 UTC is 12:00 in Berlin).
    const business = applySlaChange(clock, { type: 'replan', plan: plan({ resolutionMinutes: 480, calendar: berlin, time: 'business' }), at: T0 + H });
    expect(iso(slaDueAt(business.clock, 'resolution'))).toBe('2026-12-01T10:00:00.000Z'); // 5 h Mon 12-17, 2 h Tue 09-11 (Berlin)
  });

  test('a change older than the last one applied counts from the last one (the clock never goes back)', () => {
    let clock: SlaClock = applySlaChange(started(), { type: 'state', state: 'awaiting-customer', at: T0 + H }).clock;
    clock = applySlaChange(clock, { type: 'state', state: 'in-progress', at: T0 }).clock;
    expect(clock.resolution.runningSince).toBe(T0 + H);
  });
});
