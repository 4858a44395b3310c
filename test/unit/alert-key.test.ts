import {
  AlertKeyAction,
  AlertKeyEvent,
  alertKeyQuietAt,
  AlertKeySettings,
  AlertKeyState,
  alertKeyView,
  alertTime,
  applyAlert,
  fireAlertKeyDeadlines,
  incidentOpened,
  nextAlertKeyDeadline,
  startAlertKey,
} from '../../src/domain/alert-key';

const S = 1000;
const M = 60 * S;
const T0 = Date.parse('2026-11-30T10:00:00Z');
const settings: AlertKeySettings = { openDelayMs: 2 * M, flapWindowMs: 30 * M, flapThreshold: 5, reopenWindowMs: 60 * M };

let n = 0;
function alert(kind: 'problem' | 'recovery', at: number): AlertKeyEvent {
  n++;
  return {
    id: `ses-${n}`,
    at,
    recovery: kind === 'recovery',
    state: kind === 'recovery' ? 'OK' : 'CRITICAL',
    from: 'nagios@monitoring.example',
    bucket: 'inbox',
    parsedKey: `parsed/ses-${n}/email.json`,
    incident: { sesMessageId: `ses-${n}`, bucket: 'inbox', parsedKey: `parsed/ses-${n}/email.json`, routing: { ruleId: null, ruleIds: [], assignmentGroup: null, category: null, priority: 2, escalationAddress: null, ignore: false, ignoredBy: null }, reporter: null, alertKey: 'web1/http' },
  };
}

/** What the actions say, in words: "open ses-1", "add INC0010001 ses-2", "reopen INC0010001 ses-3". */
const said = (actions: AlertKeyAction[]) =>
  actions.map((a) => [a.type, 'incident' in a ? a.incident : null, a.event.id, a.flapping ? 'flapping' : null].filter(Boolean).join(' '));

/** A key fed alerts (arriving at workflow time `now`) and deadlines, with the opened incidents numbered. */
function key(start: AlertKeyState = startAlertKey(null), s: AlertKeySettings = settings) {
  let state = start;
  let opened = 0;
  const log: string[] = [];
  const run = (step: { state: AlertKeyState; actions: AlertKeyAction[] }) => {
    state = step.state;
    for (const a of step.actions) if (a.type === 'open') state = incidentOpened(state, `INC001000${++opened}`);
    log.push(...said(step.actions));
    return said(step.actions);
  };
  return {
    apply: (e: AlertKeyEvent, now: number) => run(applyAlert(state, e, now, s)),
    fire: (now: number) => run(fireAlertKeyDeadlines(state, now, s)),
    get state() {
      return state;
    },
    log,
  };
}

describe('debounce: a PROBLEM waits for its RECOVERY before opening', () => {
  test('a problem opens its incident only when the open delay passes without a recovery', () => {
    const k = key();
    const p = alert('problem', T0);
    expect(k.apply(p, T0)).toEqual([]);
    expect(nextAlertKeyDeadline(k.state)).toBe(T0 + 2 * M);
    expect(k.fire(T0 + 2 * M - 1)).toEqual([]);
    expect(k.fire(T0 + 2 * M)).toEqual([`open ${p.id}`]);
    expect(k.state).toMatchObject({ incident: 'INC0010001', waiting: null, level: 'problem' });
  });

  test('a problem followed by its recovery within the wait opens nothing', () => {
    const k = key();
    k.apply(alert('problem', T0), T0);
    expect(k.apply(alert('recovery', T0 + 30 * S), T0 + 30 * S)).toEqual([]);
    expect(nextAlertKeyDeadline(k.state)).toBeNull();
    expect(k.fire(T0 + 10 * M)).toEqual([]);
    expect(k.state.incident).toBeNull();
    expect(k.state.recent.map((r) => r.what)).toContain('recovery within the open delay: nothing opened');
  });

  test('problems during the wait join the one that opens and are added to its incident', () => {
    const k = key();
    const first = alert('problem', T0);
    const second = alert('problem', T0 + S);
    k.apply(first, T0);
    k.apply(second, T0 + S);
    const step = fireAlertKeyDeadlines(k.state, T0 + 2 * M, settings);
    expect(step.actions).toEqual([{ type: 'open', event: first, followers: [second], flapping: false }]);
  });

  test('an open delay of 0 opens at once', () => {
    const k = key(startAlertKey(null), { ...settings, openDelayMs: 0 });
    const p = alert('problem', T0);
    expect(k.apply(p, T0)).toEqual([`open ${p.id}`]);
  });

  test('with an incident open, a problem is added to it and a recovery resolves it', () => {
    const k = key(startAlertKey('INC0010042'));
    const p = alert('problem', T0);
    const r = alert('recovery', T0 + M);
    expect(k.apply(p, T0)).toEqual([`add INC0010042 ${p.id}`]);
    expect(k.apply(r, T0 + M)).toEqual([`add INC0010042 ${r.id}`]);
    expect(k.state).toMatchObject({ incident: null, resolved: { incident: 'INC0010042', at: T0 + M, until: T0 + M + 60 * M } });
  });
});

describe("order: alerts count in their own time order", () => {
  test('a recovery that overtook its problem wins: the late problem is stale and opens nothing', () => {
    const k = key();
    const p = alert('problem', T0);
    const r = alert('recovery', T0 + 10 * S);
    expect(k.apply(r, T0 + 20 * S)).toEqual([]); // nothing open: nothing to resolve
    expect(k.apply(p, T0 + 25 * S)).toEqual([]);
    expect(k.state).toMatchObject({ waiting: null, incident: null, lastAt: T0 + 10 * S, level: 'ok' });
    expect(k.state.recent.map((e) => e.what)).toEqual(['recovery with no open incident', 'stale problem: older than the last alert applied, changes nothing']);
    expect(nextAlertKeyDeadline(k.state)).toBeNull();
  });

  test('a stale recovery does not resolve a newer problem\'s incident', () => {
    const k = key(startAlertKey('INC0010042'));
    k.apply(alert('problem', T0 + M), T0 + M);
    expect(k.apply(alert('recovery', T0), T0 + 2 * M)).toEqual([]);
    expect(k.state.incident).toBe('INC0010042');
  });

  test('an alert at the same instant as the last applied is applied (a Date header has whole seconds)', () => {
    const k = key(startAlertKey('INC0010042'));
    k.apply(alert('problem', T0), T0);
    expect(k.apply(alert('recovery', T0), T0 + S)).toHaveLength(1);
  });
});

describe('flapping', () => {
  test('threshold state changes within the window make the key flapping: one incident stays open, recoveries are held', () => {
    const k = key();
    // P R P R: four changes, each problem recovering within the open delay: nothing opened yet.
    for (let i = 0; i < 2; i++) {
      k.apply(alert('problem', T0 + i * 2 * M), T0 + i * 2 * M);
      k.apply(alert('recovery', T0 + i * 2 * M + 30 * S), T0 + i * 2 * M + 30 * S);
    }
    expect(k.log).toEqual([]);
    // The fifth change: flapping, so the problem opens at once, marked.
    const fifth = alert('problem', T0 + 4 * M);
    expect(k.apply(fifth, T0 + 4 * M)).toEqual([`open ${fifth.id} flapping`]);
    expect(k.state.flapping).toEqual({ calmAt: T0 + 4 * M + 30 * M });
    // Its recovery is held: the incident stays open, no resolve/reopen loop.
    expect(k.apply(alert('recovery', T0 + 5 * M), T0 + 5 * M)).toEqual([]);
    expect(k.state.incident).toBe('INC0010001');
    const again = alert('problem', T0 + 6 * M);
    expect(k.apply(again, T0 + 6 * M)).toEqual([`add INC0010001 ${again.id} flapping`]);
    expect(k.state.heldRecovery).toBeNull();
    const last = alert('recovery', T0 + 7 * M);
    expect(k.apply(last, T0 + 7 * M)).toEqual([]);
    expect(alertKeyView(k.state)).toMatchObject({ flapping: true, incident: 'INC0010001' });
    // Each change pushes the calm back; once a whole window passes without one, the held recovery resolves.
    expect(k.fire(T0 + 7 * M + 30 * M - 1)).toEqual([]);
    expect(k.fire(T0 + 7 * M + 30 * M)).toEqual([`add INC0010001 ${last.id}`]);
    expect(k.state).toMatchObject({ incident: null, flapping: null, changes: [] });
  });

  test('changes older than the window do not count', () => {
    const k = key(startAlertKey(null), { ...settings, openDelayMs: 0, reopenWindowMs: 0 });
    for (let i = 0; i < 4; i++) k.apply(alert(i % 2 ? 'recovery' : 'problem', T0 + i * 20 * M), T0 + i * 20 * M);
    expect(k.state.flapping).toBeNull();
    expect(k.state.changes).toEqual([T0 + 40 * M, T0 + 60 * M]);
  });

  test('a flapping key whose last alert is a problem keeps its incident open when it calms', () => {
    const k = key(startAlertKey('INC0010042'), { ...settings, flapThreshold: 2 });
    k.apply(alert('recovery', T0), T0);
    k.apply(alert('problem', T0 + M), T0 + M);
    expect(k.state.flapping).not.toBeNull();
    expect(k.fire(T0 + M + 30 * M)).toEqual([]);
    expect(k.state).toMatchObject({ incident: 'INC0010042', flapping: null });
  });
});

describe('reopen within the window', () => {
  test('a problem shortly after the recovery reopens the incident it resolved (after the open delay)', () => {
    const k = key(startAlertKey('INC0010042'));
    k.apply(alert('recovery', T0), T0);
    const p = alert('problem', T0 + 10 * M);
    expect(k.apply(p, T0 + 10 * M)).toEqual([]);
    expect(k.fire(T0 + 12 * M)).toEqual([`reopen INC0010042 ${p.id}`]);
    expect(k.state).toMatchObject({ incident: 'INC0010042', resolved: null });
  });

  test('a problem after the window opens a new incident', () => {
    const k = key(startAlertKey('INC0010042'));
    k.apply(alert('recovery', T0), T0);
    expect(k.fire(T0 + 61 * M)).toEqual([]);
    expect(k.state.resolved).toBeNull();
    const p = alert('problem', T0 + 70 * M);
    k.apply(p, T0 + 70 * M);
    expect(k.fire(T0 + 72 * M)).toEqual([`open ${p.id}`]);
  });
});

describe('the end of a key', () => {
  test('quiet for a flap window after its last alert and past the reopen window, nothing open: it may end', () => {
    const k = key(startAlertKey('INC0010042'));
    expect(alertKeyQuietAt(k.state, settings)).toBeNull();
    k.apply(alert('recovery', T0), T0);
    expect(alertKeyQuietAt(k.state, settings)).toBe(T0 + 60 * M);
    const lonely = key();
    lonely.apply(alert('recovery', T0), T0);
    expect(alertKeyQuietAt(lonely.state, settings)).toBe(T0 + 30 * M);
  });
});

describe("an alert's time", () => {
  const arrived = T0 + M;
  test('its own field first, else the Date header, else its arrival', () => {
    expect(alertTime(['2026-11-30T10:00:00Z', 'Mon, 30 Nov 2026 09:59:00 +0000'], arrived)).toBe(T0);
    expect(alertTime([undefined, 'Mon, 30 Nov 2026 09:59:00 +0000'], arrived)).toBe(T0 - M);
    expect(alertTime(['not a date', null], arrived)).toBe(arrived);
  });

  test('a time far from the arrival is not believed: a wrong or hostile clock cannot make every later alert stale', () => {
    expect(alertTime(['2099-01-01T00:00:00Z', 'Mon, 30 Nov 2026 09:59:00 +0000'], arrived)).toBe(T0 - M);
    expect(alertTime(['1999-01-01T00:00:00Z'], arrived)).toBe(arrived);
    expect(alertTime(['x'.repeat(200)], arrived)).toBe(arrived);
  });
});
