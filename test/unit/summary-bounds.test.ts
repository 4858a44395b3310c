import { SUMMARY_LIST_CHARS_MAX, summaryAddresses, summaryFrom, summaryReferences } from '../../src/domain/summary-bounds';

describe('summaryAddresses', () => {
  test('valid mailboxes only, normalised, in order', () => {
    const list = [
      { address: 'Anna@Customer.Example', name: 'Anna' },
      { address: '@domain.example', name: 'no local part' },
      { address: `${'x'.repeat(3000)}@example.com`, name: '' },
      { address: 'bob@customer.example', name: '' },
    ];
    expect(summaryAddresses(list)).toEqual([
      { address: 'anna@customer.example', name: 'Anna' },
      { address: 'bob@customer.example', name: '' },
    ]);
  });

  test('10,000 addresses: at most 50, and at most 2000 characters with their names', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ address: `person${i}@customer.example`, name: '' }));
    expect(summaryAddresses(many)).toHaveLength(50);
    const long = Array.from({ length: 100 }, (_, i) => ({ address: `${'l'.repeat(60)}${i}@customer.example`, name: 'N'.repeat(150) }));
    const kept = summaryAddresses(long);
    expect(kept.reduce((n, a) => n + a.address.length + a.name.length, 0)).toBeLessThanOrEqual(SUMMARY_LIST_CHARS_MAX);
    expect(kept.length).toBeGreaterThan(0);
  });
});

test('summaryFrom cuts an address past 254 characters and leaves others alone', () => {
  expect(summaryFrom({ address: `${'x'.repeat(3000)}@example.com`, name: 'Evil' })!.address).toHaveLength(254);
  expect(summaryFrom({ address: 'anna@customer.example', name: 'Anna' })).toEqual({ address: 'anna@customer.example', name: 'Anna' });
  expect(summaryFrom(null)).toBeNull();
});

test('summaryReferences keeps the newest 19, within 2000 characters, oldest first', () => {
  const refs = Array.from({ length: 100 }, (_, i) => `<r${i}@x.example>`);
  expect(summaryReferences(refs)).toEqual(refs.slice(-19));
  const long = Array.from({ length: 100 }, (_, i) => `<${'r'.repeat(240)}${i}@x>`);
  const kept = summaryReferences(long);
  expect(kept.join('').length).toBeLessThanOrEqual(SUMMARY_LIST_CHARS_MAX);
  expect(kept[kept.length - 1]).toBe(long[99]);
});
