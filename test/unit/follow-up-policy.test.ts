// The follow-up policy: what a reply does to a closed incident, by policy and reopen window, and how the
// policy is written in the configuration.
import { loadConfig } from '../../src/config';
import {
  ClosedIncident,
  followUpAction,
  followUpPolicyFor,
  followUpReason,
  parseFollowUpByGroup,
  parseFollowUpPolicy,
  REOPEN,
} from '../../src/domain/follow-up-policy';
import { followUpRefusalMail } from '../../src/domain/follow-up-refusal';
import { replyClues } from '../../src/domain/reply-detection';
import { VALID_ENVIRONMENT as VALID_ENV } from './valid-environment';

const CLOSED_AT = '2026-11-01T12:00:00.000Z';
const closed = (policy: ClosedIncident['followUp']['policy'], reopenDays = 0, closedAt: string | null = CLOSED_AT): ClosedIncident => ({ closedAt, followUp: { policy, reopenDays } });
const later = (days: number, ms = 0) => new Date(Date.parse(CLOSED_AT) + days * 86_400_000 + ms).toISOString();

describe('what a reply does to a closed incident', () => {
  test('an incident that is not closed (no closed record) is joined as ever, whatever the time', () => {
    expect(followUpAction(undefined, later(400))).toBe('reopen');
  });

  test('reopen (the default) reopens it at any time', () => {
    expect(followUpAction(closed('reopen'), later(400))).toBe('reopen');
  });

  test('without a window, reject and new-incident apply at once', () => {
    expect(followUpAction(closed('reject'), later(0, 1))).toBe('reject');
    expect(followUpAction(closed('new-incident'), later(0, 1))).toBe('new-incident');
  });

  test('within the window a reply reopens; from the window end on, the policy applies', () => {
    expect(followUpAction(closed('new-incident', 14), later(13, 86_399_999))).toBe('reopen');
    expect(followUpAction(closed('new-incident', 14), later(14))).toBe('new-incident');
    expect(followUpAction(closed('reject', 14), later(3))).toBe('reopen');
    expect(followUpAction(closed('reject', 14), later(30))).toBe('reject');
  });

  test('a reply stamped before the close (a late delivery, clock skew) is within the window', () => {
    expect(followUpAction(closed('reject', 1), later(-1))).toBe('reopen');
  });

  test('an unknown close time or arrival time cannot prove the window: the policy applies', () => {
    expect(followUpAction(closed('reject', 14, null), later(1))).toBe('reject');
    expect(followUpAction(closed('new-incident', 14), '')).toBe('new-incident');
    expect(followUpAction(closed('new-incident', 14, 'not a date'), later(1))).toBe('new-incident');
  });

  test('the reason names the incident, the close date, the window and the policy', () => {
    expect(followUpReason('INC0010001', closed('reject', 14))).toBe('INC0010001 is closed (closed 2026-11-01 more than 14 days ago); follow-up policy reject');
    expect(followUpReason('INC0010001', closed('new-incident', 1))).toBe('INC0010001 is closed (closed 2026-11-01 more than 1 day ago); follow-up policy new-incident');
    expect(followUpReason('INC0010001', closed('reject', 0, null))).toBe('INC0010001 is closed; follow-up policy reject');
  });
});

describe('the policy of an incident', () => {
  const settings = { policy: { policy: 'reject' as const, reopenDays: 7 }, byGroup: { Billing: { policy: 'new-incident' as const, reopenDays: 0 }, 'Service Desk': REOPEN } };

  test("is its group's when the group has one, by exact name; else the default", () => {
    expect(followUpPolicyFor(settings, 'Billing')).toEqual({ policy: 'new-incident', reopenDays: 0 });
    expect(followUpPolicyFor(settings, 'Service Desk')).toEqual(REOPEN);
    expect(followUpPolicyFor(settings, 'billing')).toEqual({ policy: 'reject', reopenDays: 7 });
    expect(followUpPolicyFor(settings, null)).toEqual({ policy: 'reject', reopenDays: 7 });
  });

  test('a group named like an object property has a policy only when configured', () => {
    expect(followUpPolicyFor(settings, 'constructor')).toEqual({ policy: 'reject', reopenDays: 7 });
    expect(followUpPolicyFor(settings, '__proto__')).toEqual({ policy: 'reject', reopenDays: 7 });
    const odd = { policy: REOPEN, byGroup: parseFollowUpByGroup('__proto__=reject; constructor=new-incident') };
    expect(followUpPolicyFor(odd, '__proto__')).toEqual({ policy: 'reject', reopenDays: 0 });
    expect(followUpPolicyFor(odd, 'constructor')).toEqual({ policy: 'new-incident', reopenDays: 0 });
    expect(followUpPolicyFor(odd, 'toString')).toEqual(REOPEN);
  });
});

describe('written in the configuration', () => {
  test('a policy, optionally with its window in days', () => {
    expect(parseFollowUpPolicy('reject')).toEqual({ policy: 'reject', reopenDays: 0 });
    expect(parseFollowUpPolicy(' new-incident : 14 ')).toEqual({ policy: 'new-incident', reopenDays: 14 });
    expect(parseFollowUpPolicy('reopen:0')).toEqual(REOPEN);
  });

  test.each([
    ['close', /"close" is not a policy: one of reopen, reject, new-incident/],
    ['reject:-1', /"-1" is not a number of days 0\.\.3650/],
    ['reject:1.5', /"1\.5" is not a number of days/],
    ['reject:3651', /"3651" is not a number of days/],
    ['reject:', /"" is not a number of days/],
    ['reject:1:2', /a policy and at most one number of days/],
    ['reopen:14', /a reopen window does nothing with the policy reopen/],
  ])('%s is refused with what is wrong', (text, message) => {
    expect(() => parseFollowUpPolicy(text)).toThrow(message);
  });

  test('per group: Group=policy[:days] separated by ;, names with spaces and commas', () => {
    expect(parseFollowUpByGroup('Billing=reject:14; Network Operations, EU=new-incident ;')).toEqual({
      Billing: { policy: 'reject', reopenDays: 14 },
      'Network Operations, EU': { policy: 'new-incident', reopenDays: 0 },
    });
    expect(parseFollowUpByGroup('')).toEqual({});
  });

  test.each([
    ['Billing', /"Billing": expected Group=policy\[:days\]/],
    ['=reject', /"=reject": expected Group=policy/],
    ['Billing=reject; Billing=reopen', /group "Billing" is named twice/],
    ['Billing=never', /"never" is not a policy/],
  ])('per group, %s is refused', (text, message) => {
    expect(() => parseFollowUpByGroup(text)).toThrow(message);
  });

  test('unset, the configuration is today\'s behaviour: every reply reopens', () => {
    expect(loadConfig(VALID_ENV).followUp).toEqual({ policy: REOPEN, byGroup: {} });
  });

  test('the variables are read and a malformed one is named in the error', () => {
    const env = { ...VALID_ENV, FOLLOW_UP_POLICY: 'new-incident', FOLLOW_UP_REOPEN_DAYS: '14', FOLLOW_UP_POLICY_BY_GROUP: 'Billing=reject' };
    expect(loadConfig(env).followUp).toEqual({ policy: { policy: 'new-incident', reopenDays: 14 }, byGroup: { Billing: { policy: 'reject', reopenDays: 0 } } });
    expect(() => loadConfig({ ...VALID_ENV, FOLLOW_UP_POLICY: 'close' })).toThrow(/Malformed configuration FOLLOW_UP_POLICY="close": one of reopen, reject, new-incident/);
    expect(() => loadConfig({ ...VALID_ENV, FOLLOW_UP_POLICY: 'reject', FOLLOW_UP_REOPEN_DAYS: 'two weeks' })).toThrow(/Malformed configuration FOLLOW_UP_REOPEN_DAYS: "two weeks" is not a number of days/);
    expect(() => loadConfig({ ...VALID_ENV, FOLLOW_UP_REOPEN_DAYS: '14' })).toThrow(/Malformed configuration FOLLOW_UP_REOPEN_DAYS: a reopen window does nothing with the policy reopen/);
    expect(() => loadConfig({ ...VALID_ENV, FOLLOW_UP_POLICY_BY_GROUP: 'Billing' })).toThrow(/Malformed configuration FOLLOW_UP_POLICY_BY_GROUP: "Billing": expected Group=policy/);
  });
});

describe('the reply telling the sender the incident is closed', () => {
  const refusal = { sesMessageId: 'ses-9', incidentNumber: 'INC0010001', closedAt: CLOSED_AT, to: { address: 'anna@customer.example', name: 'Anna' }, inReplyTo: '<r@c>', references: [] };

  test('names the incident, its close date and how to open a new one', () => {
    const mail = followUpRefusalMail(refusal, 'tickets@example.com');
    expect(mail.subject).toBe('Incident INC0010001 is closed');
    expect(mail.text).toContain('incident INC0010001, which was closed on 2026-11-01');
    expect(mail.text).toContain('write a new email (not a reply) to tickets@example.com');
  });

  test('carries no watermark: a new email that quotes it is not threaded to the closed incident', () => {
    const mail = followUpRefusalMail(refusal, 'tickets@example.com');
    expect(replyClues({ inReplyTo: null, references: [], subject: 'Printer again', body: `Hello\n\n> ${mail.text.split('\n').join('\n> ')}` }).watermarkNumbers).toEqual([]);
  });
});
