// What agents see of an SLA clock (CLI `incident show`, the admin page): read from what the real clock
// records, so a change in its events shows here.
import type { IncidentSlaView } from '../../src/db/sla';
import { applySlaChange, fireSlaDeadlines, SlaClock, SlaEvent, SlaStep, slaView, startSlaClock } from '../../src/domain/sla-clock';
import { defaultSlaPolicy, slaPlanFor } from '../../src/domain/sla-policy';
import { parseSlaTargets } from '../../src/domain/sla';
import { describeSlaTarget, dueColumn, slaLines, slaTargetStatus } from '../../src/operations/sla-view';
import { dueCell, slaSection } from '../../src/web/pages/incident-sla';

// P3 in wall time: first response 4 h, resolution 24 h.
const plan = slaPlanFor(defaultSlaPolicy(parseSlaTargets('1=4h,2=8h,3=24h,4=72h,5=168h'), null), 'test', 3, null);
const T0 = Date.parse('2026-11-24T09:00:00Z');
const hours = (h: number) => T0 + h * 3_600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A clock's record as saveSlaClock writes it and incidentSla reads it back. */
function recorded(clock: SlaClock, events: SlaEvent[]): IncidentSlaView {
  const view = slaView(clock, clock.lastAt);
  return {
    firstResponseDueAt: view.firstResponseDueAt,
    resolutionDueAt: view.resolutionDueAt,
    pausedSince: view.pausedSince,
    firstResponseBreached: clock.firstResponse.breached,
    resolutionBreached: clock.resolution.breached,
    events: events.map((e) => ({ target: e.target, event: e.event, at: iso(e.at)!, dueAt: iso(e.dueAt), detail: e.detail })),
  };
}

/** Runs the changes from a new incident's clock, keeping every event. */
function history(...steps: ((clock: SlaClock) => SlaStep)[]): IncidentSlaView {
  let { clock, events } = startSlaClock(plan, T0, 'new');
  for (const step of steps) {
    const next = step(clock);
    clock = next.clock;
    events = [...events, ...next.events];
  }
  return recorded(clock, events);
}

const responded = (h: number) => (c: SlaClock) => applySlaChange(c, { type: 'responded', at: hours(h) });
const state = (s: string, h: number) => (c: SlaClock) => applySlaChange(c, { type: 'state', state: s, at: hours(h) });
const deadlines = (h: number) => (c: SlaClock) => fireSlaDeadlines(c, hours(h));
const standing = (sla: IncidentSlaView) => [describeSlaTarget(slaTargetStatus(sla, 'firstResponse')), describeSlaTarget(slaTargetStatus(sla, 'resolution'))];

describe('each target', () => {
  test('a new clock: both run, each with its due time', () => {
    expect(standing(history())).toEqual(['due 2026-11-24T13:00:00.000Z', 'due 2026-11-25T09:00:00.000Z']);
  });

  test('answered, then waiting for the customer: first response met, resolution paused', () => {
    expect(standing(history(responded(1), state('awaiting-customer', 1)))).toEqual(['met at 2026-11-24T10:00:00.000Z', 'paused']);
  });

  test('past the first-response target: breached while it runs, and met late once answered', () => {
    expect(standing(history(deadlines(5)))).toEqual(['due 2026-11-24T13:00:00.000Z (breached)', 'due 2026-11-25T09:00:00.000Z']);
    expect(standing(history(deadlines(5), responded(6)))).toEqual(['met at 2026-11-24T15:00:00.000Z (breached)', 'due 2026-11-25T09:00:00.000Z']);
  });

  test('resolved before an answer: first response stopped, resolution met', () => {
    expect(standing(history(state('resolved', 2)))).toEqual(['stopped at 2026-11-24T11:00:00.000Z', 'met at 2026-11-24T11:00:00.000Z']);
  });

  test('reopened into waiting for the customer: the newer reopening wins over the earlier "met"', () => {
    expect(standing(history(responded(1), state('resolved', 2), state('awaiting-customer', 3)))).toEqual(['met at 2026-11-24T10:00:00.000Z', 'paused']);
  });

  test("a target whose end fell out of the events shown has ended, at a time not known here", () => {
    const sla = { ...history(responded(1), state('resolved', 2)), events: [] };
    expect(slaTargetStatus(sla, 'resolution')).toEqual({ state: 'stopped', at: null, breached: false });
  });
});

test('the CLI block: targets, the pause, and every event with its due time', () => {
  expect(slaLines(history(responded(1), state('awaiting-customer', 1)), 'ignored')).toEqual([
    'SLA:',
    '  First response: met at 2026-11-24T10:00:00.000Z',
    '  Resolution:     paused',
    '  Paused (waiting for the customer) since 2026-11-24T10:00:00.000Z',
    '  Events:',
    '    2026-11-24T09:00:00.000Z  firstResponse  started    wall time (due 2026-11-24T13:00:00.000Z)',
    '    2026-11-24T09:00:00.000Z  resolution     started    wall time (due 2026-11-25T09:00:00.000Z)',
    '    2026-11-24T10:00:00.000Z  firstResponse  met        answered in time',
    '    2026-11-24T10:00:00.000Z  -              paused     waiting for the customer',
  ]);
});

test('the CLI block without a clock: the due time the incident was created with', () => {
  expect(slaLines(null, '2026-11-25T09:00:00.000Z')).toEqual(['SLA: resolution due 2026-11-25T09:00:00.000Z (no SLA clock recorded)']);
});

test("the list's Due column: the clock's due time or pause, a breach marked, the incident's own without a clock", () => {
  const due = '2026-11-25T09:00:00.000Z';
  expect(dueColumn(undefined, due)).toEqual({ text: due, breached: false });
  expect(dueColumn({ resolutionDueAt: '2026-11-26T09:00:00.000Z', pausedSince: null, breached: true }, due)).toEqual({ text: '2026-11-26T09:00:00.000Z', breached: true });
  expect(dueColumn({ resolutionDueAt: null, pausedSince: '2026-11-24T10:00:00.000Z', breached: false }, due)).toEqual({ text: 'paused since 2026-11-24T10:00:00.000Z', breached: false });
  expect(dueColumn({ resolutionDueAt: null, pausedSince: null, breached: false }, due)).toEqual({ text: '-', breached: false });
  expect(dueCell({ resolutionDueAt: due, pausedSince: null, breached: true }, due).text).toBe(`<td>${due} <strong class="breached">breached</strong></td>`);
});

describe('the admin page section', () => {
  test('none without a clock', () => {
    expect(slaSection(null).text).toBe('');
  });

  test('due times, the pause, breaches highlighted, the events; everything escaped', () => {
    const sla = history(deadlines(5), state('awaiting-customer', 6));
    sla.events.push({ target: 'resolution', event: 'replanned', at: '2026-11-24T16:00:00.000Z', dueAt: null, detail: '<script>alert(1)</script>' });
    const page = slaSection(sla).text;
    expect(page).toContain('<h2>SLA</h2>');
    expect(page).toContain('<th>First response</th><td class="breached">paused (breached)</td>');
    expect(page).toContain('<th>Resolution</th><td>paused</td>');
    expect(page).toContain('Paused (waiting for the customer) since 2026-11-24T15:00:00.000Z');
    expect(page).toContain('<tr class="breached"><td>2026-11-24T13:00:00.000Z</td><td>firstResponse</td><td>breach</td>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
