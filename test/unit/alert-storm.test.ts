import { alertStormIdle, applyOpening, parentRaised, startAlertStorm } from '../../src/domain/alert-storm';

const M = 60_000;
const T0 = Date.parse('2026-11-30T10:00:00Z');

describe('alert storm', () => {
  const storm = { stormKeys: 3, stormWindowMs: 5 * M };
  test('keys opening below the threshold within the window are no storm', () => {
    let s = startAlertStorm();
    s = applyOpening(s, 'INC0010001', T0, storm).state;
    const step = applyOpening(s, 'INC0010002', T0 + M, storm);
    expect(step.actions).toEqual([]);
    // The first drops out of the window: still no storm with a third.
    expect(applyOpening(step.state, 'INC0010003', T0 + 6 * M, storm).actions).toEqual([]);
  });

  test('the threshold within the window raises one parent with them as children; later openings join it', () => {
    let s = startAlertStorm();
    s = applyOpening(s, 'INC0010001', T0, storm).state;
    s = applyOpening(s, 'INC0010002', T0 + M, storm).state;
    const raised = applyOpening(s, 'INC0010003', T0 + 2 * M, storm);
    expect(raised.actions).toEqual([{ type: 'raise-parent', children: ['INC0010001', 'INC0010002', 'INC0010003'] }]);
    s = parentRaised(raised.state, 'INC0010009');
    const joined = applyOpening(s, 'INC0010004', T0 + 6 * M, storm);
    expect(joined.actions).toEqual([{ type: 'link', parent: 'INC0010009', children: ['INC0010004'] }]);
    expect(alertStormIdle(joined.state, T0 + 11 * M, storm)).toBe(false);
    expect(alertStormIdle(joined.state, T0 + 11 * M + 1, storm)).toBe(true);
    // After the storm, a new opening counts from scratch.
    expect(applyOpening(joined.state, 'INC0010005', T0 + 20 * M, storm).actions).toEqual([]);
  });
});
