// The sender policy's rules: the file checked, the policy of an email's recipients, whom of the copied-in
// people an incident takes, and the workflow input that stays absent for today's behaviour.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  copiedParticipants,
  copiedPeopleToLookUp,
  DEFAULT_SENDER_POLICY,
  parseSenderPolicy,
  senderPolicyFor,
  senderPolicyInput,
  senderPolicyOf,
} from '../../src/domain/sender-policy';

const file = parseSenderPolicy({
  default: { unknownSenders: 'create', ccParticipants: 'authenticated' },
  addresses: {
    'VIP@Example.com': { unknownSenders: 'reject', rejectionReason: 'VIP desk: registered customers only' },
    'partners@example.com': { unknownSenders: 'quarantine', ccParticipants: 'known-users' },
    'internal@example.com': { ccParticipants: 'nobody' },
  },
});

describe('the file', () => {
  test('fields an entry does not give are the default\'s; addresses are normalised', () => {
    expect(file.addresses['vip@example.com']).toEqual({ unknownSenders: 'reject', rejectionReason: 'VIP desk: registered customers only', ccParticipants: 'authenticated' });
    expect(file.addresses['internal@example.com']).toEqual({ ...DEFAULT_SENDER_POLICY, ccParticipants: 'nobody' });
  });

  test('empty: today\'s behaviour', () => {
    expect(parseSenderPolicy({})).toEqual({ default: DEFAULT_SENDER_POLICY, addresses: {} });
  });

  test('a default reason is inherited by the addresses that reject', () => {
    const parsed = parseSenderPolicy({ default: { rejectionReason: 'Write from your company account' }, addresses: { 'a@example.com': { unknownSenders: 'reject' } } });
    expect(parsed.addresses['a@example.com'].rejectionReason).toBe('Write from your company account');
  });

  test.each([
    ['expected a JSON object with "default" and "addresses"', []],
    ['unknown key "defaults": only "default" and "addresses"', { defaults: {} }],
    ['default.unknownSenders: one of create, quarantine, reject, got "drop"', { default: { unknownSenders: 'drop' } }],
    ['default.ccParticipants: one of authenticated, known-users, nobody, got "all"', { default: { ccParticipants: 'all' } }],
    ['default: unknown key "unknownSender": only unknownSenders, rejectionReason, ccParticipants', { default: { unknownSender: 'reject' } }],
    ['default.rejectionReason: a non-empty text', { default: { rejectionReason: '  ' } }],
    ['default.rejectionReason: one line without control characters', { default: { rejectionReason: 'a\r\nBcc: x@evil.example' } }],
    ['default.rejectionReason: 301 characters; at most 300', { default: { rejectionReason: 'x'.repeat(301) } }],
    ['"addresses" must be an object of address -> policy', { addresses: [] }],
    ['addresses: "not an address" is not a plain email address', { addresses: { 'not an address': {} } }],
    ['addresses: "A@example.com" is listed twice', { addresses: { 'a@example.com': {}, 'A@example.com': {} } }],
    ['addresses["a@example.com"] must be an object', { addresses: { 'a@example.com': 'reject' } }],
    ['addresses["a@example.com"].unknownSenders: one of create, quarantine, reject, got "nope"', { addresses: { 'a@example.com': { unknownSenders: 'nope' } } }],
  ] as [string, unknown][])('refused: %s', (message, spec) => {
    expect(() => parseSenderPolicy(spec)).toThrow(message);
  });

  test('at most 1000 addresses', () => {
    const addresses = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`a${i}@example.com`, {}]));
    expect(() => parseSenderPolicy({ addresses })).toThrow('"addresses" has 1001 entries; at most 1000');
  });

  test('the example in docs/ is valid', () => {
    const example = parseSenderPolicy(JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'sender-policy.example.json'), 'utf8')));
    expect(Object.keys(example.addresses).length).toBeGreaterThan(0);
  });
});

describe('the policy of an email', () => {
  test('no file: today\'s behaviour', () => {
    expect(senderPolicyFor(null, ['vip@example.com'])).toEqual(DEFAULT_SENDER_POLICY);
  });

  test('a recipient with an override gets it, in any case and with a +tag', () => {
    expect(senderPolicyFor(file, ['vip@example.com']).unknownSenders).toBe('reject');
    expect(senderPolicyFor(file, ['Vip+INC0010001@EXAMPLE.com']).rejectionReason).toBe('VIP desk: registered customers only');
  });

  test('a recipient without one, or no recipients known (S3 event, reconciliation): the default', () => {
    expect(senderPolicyFor(file, ['support@example.com'])).toEqual(file.default);
    expect(senderPolicyFor(file, undefined)).toEqual(file.default);
    expect(senderPolicyFor(file, [])).toEqual(file.default);
  });

  test('several recipients: the strictest of theirs, field by field', () => {
    expect(senderPolicyFor(file, ['support@example.com', 'partners@example.com', 'vip@example.com', 'internal@example.com'])).toEqual({
      unknownSenders: 'reject',
      rejectionReason: 'VIP desk: registered customers only',
      ccParticipants: 'nobody',
    });
    expect(senderPolicyFor(file, ['partners@example.com', 'support@example.com'])).toMatchObject({ unknownSenders: 'quarantine', ccParticipants: 'known-users' });
  });

  test('the workflow is given nothing for today\'s behaviour, and only what differs otherwise', () => {
    expect(senderPolicyInput(file.default)).toBeUndefined();
    expect(senderPolicyInput(senderPolicyFor(file, ['partners@example.com']))).toEqual({ unknownSenders: 'quarantine', ccParticipants: 'known-users' });
    expect(senderPolicyInput(senderPolicyFor(file, ['vip@example.com']))).toEqual({ unknownSenders: 'reject', rejectionReason: 'VIP desk: registered customers only' });
    expect(senderPolicyOf(undefined)).toEqual(DEFAULT_SENDER_POLICY);
    expect(senderPolicyOf({ ccParticipants: 'nobody' })).toEqual({ ...DEFAULT_SENDER_POLICY, ccParticipants: 'nobody' });
  });
});

describe('whom of the copied-in people an incident takes', () => {
  const people = ['anna@customer.example', 'boss@customer.example', 'spy@elsewhere.example'];

  test('authenticated: all of them', () => {
    expect(copiedParticipants(people, 'Anna@Customer.example', 'authenticated', new Set())).toEqual(people);
    expect(copiedPeopleToLookUp(people, 'anna@customer.example', 'authenticated')).toEqual([]);
  });

  test('known-users: the sender, and those the directory knows (the sender is not looked up)', () => {
    expect(copiedPeopleToLookUp(people, 'anna@customer.example', 'known-users')).toEqual(['boss@customer.example', 'spy@elsewhere.example']);
    expect(copiedParticipants(people, 'anna@customer.example', 'known-users', new Set(['boss@customer.example']))).toEqual(['anna@customer.example', 'boss@customer.example']);
  });

  test('nobody: the sender alone; on a reply (no sender given) no one', () => {
    expect(copiedParticipants(people, 'anna@customer.example', 'nobody', new Set(people))).toEqual(['anna@customer.example']);
    expect(copiedParticipants(people.slice(1), null, 'nobody', new Set(people))).toEqual([]);
  });
});
