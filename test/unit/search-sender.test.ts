// The sender as the EmailSender search attribute holds it: by default a keyed hash, never the address;
// bounded, since an oversized value terminates the workflow.
import { senderForSearch } from '../../src/mail/search-sender';

const hashKey = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);

test('a valid mailbox is shown as its address, its domain or a keyed hash', () => {
  expect(senderForSearch('Anna.Berg@Example.com', { as: 'address', hashKey })).toBe('anna.berg@example.com');
  expect(senderForSearch('anna.berg@example.com', { as: 'domain', hashKey })).toBe('example.com');
  const hash = senderForSearch('Anna.Berg@Example.com', { as: 'hash', hashKey });
  expect(hash).toMatch(/^[0-9a-f]{32}$/);
  // The same address gives the same value (so it can be searched for), another key another one.
  expect(senderForSearch('anna.berg@example.com', { as: 'hash', hashKey })).toBe(hash);
  expect(senderForSearch('anna.berg@example.com', { as: 'hash', hashKey: otherKey })).not.toBe(hash);
});

test.each(['address', 'domain', 'hash'] as const)('an address that is no mailbox (3 KB long, or none at all) is not set (%s)', (as) => {
  expect(senderForSearch(`${'x'.repeat(3000)}@example.com`, { as, hashKey })).toBeNull();
  expect(senderForSearch('@some-domain', { as, hashKey })).toBeNull();
});
