// The key a client's failed sign-ins count under: IPv4 as is, IPv6 by its /64.
import { throttleClientKey } from '../../src/domain/client-key';

test.each([
  ['203.0.113.7', '203.0.113.7'],
  ['::ffff:203.0.113.7', '203.0.113.7'],
  ['::FFFF:cb00:7107', '203.0.113.7'],
  ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
  ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
  ['2001:db8::1', '2001:db8:0:0::/64'],
  ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ['::1', '0:0:0:0::/64'],
])('%s counts as %s', (address, key) => {
  expect(throttleClientKey(address)).toBe(key);
});

test('whatever is not an address is kept, bounded, as its own key', () => {
  expect(throttleClientKey('unknown')).toBe('unknown');
  expect(throttleClientKey('1:2:3')).toBe('1:2:3');
  expect(throttleClientKey('x'.repeat(500))).toHaveLength(100);
  expect(throttleClientKey('')).toBe('unknown');
});
