import { agentCommentRecipients } from '../../src/domain/comment-recipients';
import type { ThreadPeople } from '../../src/domain/inbound-steps';

const people = (p: Partial<ThreadPeople> = {}): ThreadPeople => ({
  incidentNumber: 'INC0010001',
  state: 'new',
  senderAddress: 'anna@customer.example',
  reporterEmail: null,
  participants: [],
  ...p,
});

describe('agentCommentRecipients', () => {
  test('the reporter first, then the sender, the participants on copy, each once, never our address', () => {
    const p = people({ reporterEmail: 'Anna.Berg@customer.example', participants: ['bob@customer.example', 'anna@customer.example', 'support@ours.example'] });
    expect(agentCommentRecipients(p, 'Support@ours.example')).toEqual({ to: 'anna.berg@customer.example', cc: ['anna@customer.example', 'bob@customer.example'] });
  });

  test('an authenticated sender without a user account is written to', () => {
    expect(agentCommentRecipients(people({ senderAuthenticated: true }), 'support@ours.example')).toEqual({ to: 'anna@customer.example', cc: [] });
  });

  test('incidents recorded before authentication was kept count as authenticated', () => {
    expect(agentCommentRecipients(people(), 'support@ours.example')).toEqual({ to: 'anna@customer.example', cc: [] });
  });

  test('an unauthenticated sender is never written to', () => {
    expect(agentCommentRecipients(people({ senderAuthenticated: false }), 'support@ours.example')).toEqual({
      none: 'no authenticated recipient: the sender of the incident was not authenticated',
    });
  });

  test('our own address alone: never mailed, and said so', () => {
    expect(agentCommentRecipients(people({ senderAddress: 'support@ours.example' }), 'Support@ours.example')).toEqual({ none: 'recipient is our own address' });
  });

  test('at most 50 recipients (SES)', () => {
    const participants = Array.from({ length: 80 }, (_, i) => `p${i}@customer.example`);
    const r = agentCommentRecipients(people({ participants }), 'support@ours.example');
    expect('to' in r && r.cc.length).toBe(49);
  });
});
