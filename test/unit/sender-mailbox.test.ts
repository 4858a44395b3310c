// One valid mailbox or none: what makes a From header's sender invalid.
import { senderProblem } from '../../src/domain/sender-mailbox';

test('exactly one valid mailbox is a sender', () => {
  expect(senderProblem(['anna.berg@example.com'])).toBeNull();
  expect(senderProblem(['Anna.Berg+tickets@Sub.Example.COM'])).toBeNull();
});

test('no mailbox at all is left to the decision order (the email has no sender)', () => {
  expect(senderProblem([])).toBeNull();
});

test('several mailboxes in one From header make the sender invalid', () => {
  expect(senderProblem(['a@example.com', 'b@example.org'])).toBe('the From header names 2 mailboxes, not one');
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
  expect(senderProblem([address])).toBe('the From address is not a valid mailbox');
});
