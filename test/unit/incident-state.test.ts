// Where an incident goes when something happens on its thread.
import { customerStateWording, INCIDENT_STATES, isIncidentDone, nextIncidentState } from '../../src/domain/incident-state';

describe('nextIncidentState', () => {
  test.each([
    ['new', null],
    ['in-progress', null],
    ['awaiting-customer', 'in-progress'],
    ['resolved', 'in-progress'],
    ['closed', 'in-progress'],
  ])('a customer reply to a %s incident: %s', (current, next) => {
    expect(nextIncidentState(current, { by: 'customer-reply' })).toBe(next);
  });

  test.each([
    ['new', true, 'resolved'],
    ['in-progress', true, 'resolved'],
    ['awaiting-customer', true, 'resolved'],
    ['resolved', true, null],
    ['closed', true, 'resolved'],
    ['new', false, null],
    ['awaiting-customer', false, null],
    ['resolved', false, 'in-progress'],
    ['closed', false, 'in-progress'],
  ])('an alert on a %s incident (recovery %s): %s', (current, recovery, next) => {
    expect(nextIncidentState(current, { by: 'alert', recovery })).toBe(next);
  });

  test('an agent closes an incident; closing a closed one changes nothing', () => {
    expect(nextIncidentState('in-progress', { by: 'agent', state: 'closed' })).toBe('closed');
    expect(nextIncidentState('closed', { by: 'agent', state: 'closed' })).toBeNull();
  });

  test('an agent waits for the customer; waiting again changes nothing; closing a waiting incident closes it', () => {
    expect(nextIncidentState('new', { by: 'agent', state: 'awaiting-customer' })).toBe('awaiting-customer');
    expect(nextIncidentState('in-progress', { by: 'agent', state: 'awaiting-customer' })).toBe('awaiting-customer');
    expect(nextIncidentState('awaiting-customer', { by: 'agent', state: 'awaiting-customer' })).toBeNull();
    expect(nextIncidentState('awaiting-customer', { by: 'agent', state: 'closed' })).toBe('closed');
  });

  test('resolved and closed incidents are done; one waiting for the customer is open', () => {
    expect(INCIDENT_STATES.filter(isIncidentDone)).toEqual(['resolved', 'closed']);
  });
});

test('the customer reads "Waiting for your reply" for an incident waiting for them; other states as they are', () => {
  expect(customerStateWording('awaiting-customer')).toBe('Waiting for your reply');
  expect(customerStateWording('in-progress')).toBe('in-progress');
});
