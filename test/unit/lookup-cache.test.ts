// The lookup cache: answers (found or not) kept for a while, a bounded number of them.
import { LookupCache } from '../../src/domain/lookup-cache';

test('a value is kept until it is maxAge old, misses (null) included', () => {
  const cache = new LookupCache<string | null>(1000, 10);
  cache.set('a', 'Anna', 0);
  cache.set('nobody', null, 0);
  expect(cache.get('a', 999)).toBe('Anna');
  expect(cache.get('nobody', 999)).toBeNull();
  expect(cache.get('a', 1000)).toBeUndefined();
  expect(cache.get('nobody', 1000)).toBeUndefined();
  expect(cache.size).toBe(0);
});

test('an unknown key is undefined, not a miss', () => {
  expect(new LookupCache<string | null>(1000, 10).get('x', 0)).toBeUndefined();
});

test('full: the oldest entry makes room; storing again renews an entry', () => {
  const cache = new LookupCache<number>(10_000, 2);
  cache.set('a', 1, 0);
  cache.set('b', 2, 1);
  cache.set('a', 3, 2);
  cache.set('c', 4, 3);
  expect(cache.size).toBe(2);
  expect(cache.get('b', 4)).toBeUndefined();
  expect(cache.get('a', 4)).toBe(3);
  expect(cache.get('c', 4)).toBe(4);
});

test('forget drops one entry', () => {
  const cache = new LookupCache<number>(10_000, 5);
  cache.set('a', 1, 0);
  cache.set('b', 2, 0);
  cache.forget('a');
  expect(cache.get('a', 1)).toBeUndefined();
  expect(cache.get('b', 1)).toBe(2);
});

test('maxAge 0 keeps nothing; a clock that went back drops the entry', () => {
  const off = new LookupCache<number>(0, 5);
  off.set('a', 1, 0);
  expect(off.get('a', 0)).toBeUndefined();
  const cache = new LookupCache<number>(1000, 5);
  cache.set('a', 1, 500);
  expect(cache.get('a', 100)).toBeUndefined();
});

test('a cache of no entries is refused', () => {
  expect(() => new LookupCache<number>(1000, 0)).toThrow(RangeError);
});
