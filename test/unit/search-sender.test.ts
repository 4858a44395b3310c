// The sender as the EmailSender search attribute holds it: bounded, since an oversized value terminates the workflow.
import { senderForSearch } from '../../src/mail/search-sender';

test('a valid mailbox is shown as its address, its domain or a hash', () => {
  expect(senderForSearch('Anna.Berg@Example.com', 'address')).toBe('anna.berg@example.com');
  expect(senderForSearch('anna.berg@example.com', 'domain')).toBe('example.com');
  expect(senderForSearch('anna.berg@example.com', 'hash')).toMatch(/^[0-9a-f]{32}$/);
});

test.each(['address', 'domain', 'hash'] as const)('an address that is no mailbox (3 KB long, or none at all) is not set (%s)', (as) => {
  expect(senderForSearch(`${'x'.repeat(3000)}@example.com`, as)).toBeNull();
  expect(senderForSearch('@some-domain', as)).toBeNull();
});
