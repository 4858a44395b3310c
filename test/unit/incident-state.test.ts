// Where an incident goes when something happens on its thread.
import { isIncidentDone, nextIncidentState } from '../../src/domain/incident-state';

describe('nextIncidentState', () => {
  test.each([
    ['new', null],
    ['in-progress', null],
    ['resolved', 'in-progress'],
    ['closed', 'in-progress'],
  ])('a customer reply to a %s incident: %s', (current, next) => {
    expect(nextIncidentState(current, { by: 'customer-reply' })).toBe(next);
  });

  test.each([
    ['new', true, 'resolved'],
    ['in-progress', true, 'resolved'],
    ['resolved', true, null],
    ['closed', true, 'resolved'],
    ['new', false, null],
    ['resolved', false, 'in-progress'],
    ['closed', false, 'in-progress'],
  ])('an alert on a %s incident (recovery %s): %s', (current, recovery, next) => {
    expect(nextIncidentState(current, { by: 'alert', recovery })).toBe(next);
  });

  test('an agent closes an incident; closing a closed one changes nothing', () => {
    expect(nextIncidentState('in-progress', { by: 'agent', state: 'closed' })).toBe('closed');
    expect(nextIncidentState('closed', { by: 'agent', state: 'closed' })).toBeNull();
  });

  test('resolved and closed incidents are done', () => {
    expect(['new', 'in-progress', 'resolved', 'closed'].filter(isIncidentDone)).toEqual(['resolved', 'closed']);
  });
});
