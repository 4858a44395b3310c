// One valid mailbox or none: what makes a From header's sender invalid.
import { senderProblem } from '../../src/domain/sender-mailbox';

test('exactly one valid mailbox is a sender', () => {
  expect(senderProblem({ mailboxes: ['anna.berg@example.com'] })).toBeNull();
  expect(senderProblem({ mailboxes: ['Anna.Berg+tickets@Sub.Example.COM'] })).toBeNull();
});

test('no mailbox at all is left to the decision order (the email has no sender)', () => {
  expect(senderProblem({ mailboxes: [] })).toBeNull();
});

test('several mailboxes in one From header make the sender invalid', () => {
  expect(senderProblem({ mailboxes: ['a@example.com', 'b@example.org'] })).toBe('the From header names 2 mailboxes, not one');
});

test.each([
  ['@some-domain'],
  ['some-domain'],
  ['anna@'],
  ['anna@localhost'],
  ['an na@example.com'],
  ['a@b@example.com'],
  ['.anna@example.com'],
  ['anna..berg@example.com'],
  [`${'a'.repeat(65)}@example.com`],
  [`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(70)}.com`],
  ['anna@exam\u0000ple.com'],
  [''],
])('%j is not a valid mailbox', (address) => {
  expect(senderProblem({ mailboxes: [address] })).toBe('the From address is not a valid mailbox');
});

describe('the raw From header, read strictly (RFC 5322), must be exactly one mailbox', () => {
  const one = (value: string, mailbox: string) => senderProblem({ mailboxes: [mailbox], values: [value] });

  test.each([
    ['"CEO" <ceo@bank.example>', 'ceo@bank.example'],
    ['ceo@bank.example', 'ceo@bank.example'],
    ['=?utf-8?Q?J=C3=B6rg?= <joerg@bank.example>', 'joerg@bank.example'],
    ['Anna (sales) <Anna@Bank.Example>', 'anna@bank.example'],
  ])('%j is one mailbox', (value, mailbox) => {
    expect(one(value, mailbox)).toBeNull();
  });

  test.each([
    // What mailparser reads as one address, first one wins: SES's DMARC check may read another.
    ['ceo@bank.example x@evil.example', 'ceo@bank.example'],
    ['<ceo@bank.example> <x@evil.example>', 'ceo@bank.example'],
    ['Finance:ceo@bank.example;', 'ceo@bank.example'],
    ['ceo@bank.example <x@evil.example>', 'x@evil.example'],
    [`Evil <${'x'.repeat(2100)}@evil.example>`, 'x@evil.example'],
  ])('%j is not', (value, mailbox) => {
    expect(one(value, mailbox)).toBe('the From header is not exactly one mailbox');
  });

  test('mailparser and the strict reading must agree on the address', () => {
    expect(one('<ceo@bank.example>', 'x@evil.example')).toBe('the From header is not exactly one mailbox');
  });

  test('two From headers make the sender invalid, whatever each says', () => {
    expect(senderProblem({ mailboxes: ['ceo@bank.example'], values: ['ceo@bank.example', 'x@evil.example'] })).toBe('the message has 2 From headers, not one');
  });
});
