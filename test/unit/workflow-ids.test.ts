import { alertKeyHash } from '../../src/encryption/keyed-hash';
import {
  alertKeyWorkflowId,
  inboundEmailWorkflowId,
  incidentThreadWorkflowId,
  isValidSesMessageId,
} from '../../src/domain/workflow-ids';

describe('isValidSesMessageId', () => {
  test.each([
    ['o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', true],
    ['0100018c1a2b3c4d-5e6f7a8b-1234-5678-9abc-def012345678-000000', true],
    ['AMAZON_SES_SETUP_NOTIFICATION', true],
    ['a.b_c-d+e=f', true],
    ['x', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['', false],
    ['abc def', false],
    ['abc/def', false],
    ['../etc/passwd', false],
    ['abc\n', false],
    ['abc\u0000', false],
    ['<abc@example.com>', false],
    ['abc%20', false],
    ['ünïcode', false],
    [undefined as unknown as string, false],
    [42 as unknown as string, false],
  ])('%p -> %p', (id, expected) => {
    expect(isValidSesMessageId(id)).toBe(expected);
  });
});

describe('inboundEmailWorkflowId', () => {
  test.each([
    ['o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', 'inbound-email-o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1'],
    ['x', 'inbound-email-x'],
  ])('%p -> %p', (id, expected) => {
    expect(inboundEmailWorkflowId(id)).toBe(expected);
  });

  test('is the same for the same message (a duplicate delivery finds the running workflow)', () => {
    expect(inboundEmailWorkflowId('abc')).toBe(inboundEmailWorkflowId('abc'));
    expect(inboundEmailWorkflowId('abc')).not.toBe(inboundEmailWorkflowId('ABC'));
  });

  test.each(['', 'a/b', 'a b', 'a'.repeat(129), 'id\r\nX-Injected: 1'])('throws for %p', (id) => {
    expect(() => inboundEmailWorkflowId(id)).toThrow(/Invalid SES message id/);
  });

  test('the error does not echo a huge id', () => {
    expect(() => inboundEmailWorkflowId('/'.repeat(100000))).toThrow(/^.{0,200}$/s);
  });
});

describe('incidentThreadWorkflowId', () => {
  test.each([
    ['INC0010001', 'incident-thread-INC0010001'],
    ['INC9999999', 'incident-thread-INC9999999'],
  ])('%p -> %p', (number, expected) => {
    expect(incidentThreadWorkflowId(number)).toBe(expected);
  });

  test.each(['inc0010001', 'INC001', 'INC00100011', ' INC0010001', 'INC0010001 ', '', 'Re: INC0010001'])(
    'throws for %p',
    (number) => {
      expect(() => incidentThreadWorkflowId(number)).toThrow(/Invalid incident number/);
    },
  );
});

test("an alert key's workflow id is its keyed hash: no host name, and not the same under another key", () => {
  const key = Buffer.alloc(32, 7);
  const id = alertKeyWorkflowId(alertKeyHash(key, 'web01.example.internal/http'));
  expect(id).toMatch(/^alert-key-[0-9a-f]{32}$/);
  expect(id).not.toContain('web01');
  expect(alertKeyWorkflowId(alertKeyHash(Buffer.alloc(32, 8), 'web01.example.internal/http'))).not.toBe(id);
  expect(() => alertKeyWorkflowId('web01.example.internal/http')).toThrow(/Invalid alert key hash/);
});
