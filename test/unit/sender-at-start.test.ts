// The sender the bridge sets as EmailSender at start, from SES's commonHeaders: only a plain address.
import { senderAtStart } from '../../src/bridge/sender-at-start';

const mail = (from: unknown) => ({ commonHeaders: { from } });

test.each([
  ['a display name and an address', ['"Doe, Jane" <Jane.Doe@Customer.example>'], 'jane.doe@customer.example'],
  ['a bare address', ['ops@monitoring.example'], 'ops@monitoring.example'],
  ['the first of several', ['a@one.example, b@two.example'], 'a@one.example'],
  ['a group with a member', ['Team: x@team.example;'], 'x@team.example'],
])('%s gives the lower-cased address', (_label, from, expected) => {
  expect(senderAtStart(mail(from))).toBe(expected);
});

test.each([
  ['no commonHeaders', {}],
  ['from that is not an array', mail('a@b.example')],
  ['an empty list', mail([])],
  ['no address at all', mail(['Just A Name'])],
  ['a CR/LF inside', mail(['a@b.example\r\nBcc: victim@c.example'])],
  ['two @', mail(['a@b@c.example'])],
  ['an address longer than 254 characters', mail([`${'x'.repeat(250)}@b.example`])],
  ['a huge header', mail([`${'x'.repeat(5000)} <a@b.example>`])],
])('%s gives none (the workflow sets it from its own parse)', (_label, m) => {
  expect(senderAtStart(m as Record<string, unknown>)).toBeNull();
});
