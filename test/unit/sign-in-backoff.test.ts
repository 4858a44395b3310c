// Sign-in throttling arithmetic: exponential per client, short and capped per account, and the account's
// backoff never holds back a client that has not failed itself.
import {
  ACCOUNT_BACKOFF,
  backoffDelayMs,
  CLIENT_BACKOFF,
  failuresAfterAnother,
  retryAfterSeconds,
  signInWaitMs,
  waitUnder,
} from '../../src/domain/sign-in-backoff';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const record = (failures: number, msAgo = 0) => ({ failures, lastFailureAt: ago(msAgo) });

test('a client: five free failures, then 10 s doubling to a cap of 15 minutes', () => {
  expect([0, 1, 4].map((n) => backoffDelayMs(CLIENT_BACKOFF, n))).toEqual([0, 0, 0]);
  expect([5, 6, 7, 8].map((n) => backoffDelayMs(CLIENT_BACKOFF, n))).toEqual([10_000, 20_000, 40_000, 80_000]);
  expect(backoffDelayMs(CLIENT_BACKOFF, 12)).toBe(15 * 60_000);
  expect(backoffDelayMs(CLIENT_BACKOFF, 1_000_000)).toBe(15 * 60_000);
});

test('an account: twenty free failures, then 1 s doubling to at most 30 s', () => {
  expect(backoffDelayMs(ACCOUNT_BACKOFF, 19)).toBe(0);
  expect([20, 21, 22].map((n) => backoffDelayMs(ACCOUNT_BACKOFF, n))).toEqual([1000, 2000, 4000]);
  expect(backoffDelayMs(ACCOUNT_BACKOFF, 10_000)).toBe(30_000);
});

test('the wait counts from the last failure and ends when the delay has passed', () => {
  expect(waitUnder(CLIENT_BACKOFF, null, now)).toBe(0);
  expect(waitUnder(CLIENT_BACKOFF, record(5, 0), now)).toBe(10_000);
  expect(waitUnder(CLIENT_BACKOFF, record(5, 4_000), now)).toBe(6_000);
  expect(waitUnder(CLIENT_BACKOFF, record(5, 10_000), now)).toBe(0);
  expect(waitUnder(CLIENT_BACKOFF, record(6, 10_000), now)).toBe(10_000);
});

test('failures are forgotten an hour after the last one: the next starts again at one', () => {
  const old = record(50, 60 * 60_000);
  expect(waitUnder(CLIENT_BACKOFF, old, now)).toBe(0);
  expect(failuresAfterAnother(CLIENT_BACKOFF, old, now)).toBe(1);
  expect(failuresAfterAnother(CLIENT_BACKOFF, record(7, 60_000), now)).toBe(8);
  expect(failuresAfterAnother(CLIENT_BACKOFF, null, now)).toBe(1);
});

test('thousands of failures on the account from elsewhere never delay a client that has not failed', () => {
  const besieged = record(5000, 0);
  expect(signInWaitMs(null, besieged, now)).toBe(0);
  // Its failures forgotten, a client counts as one that has not failed.
  expect(signInWaitMs(record(3, 2 * 60 * 60_000), besieged, now)).toBe(0);
});

test('a client that has failed waits for the account too, never more than 30 s on its account', () => {
  expect(signInWaitMs(record(1, 0), record(5000, 0), now)).toBe(30_000);
  expect(signInWaitMs(record(1, 0), record(5000, 25_000), now)).toBe(5_000);
  expect(signInWaitMs(record(1, 0), record(10, 0), now)).toBe(0);
  // Its own backoff, when longer, is what it waits.
  expect(signInWaitMs(record(9, 0), record(5000, 0), now)).toBe(160_000);
});

test('Retry-After is whole seconds, at least one', () => {
  expect(retryAfterSeconds(1)).toBe(1);
  expect(retryAfterSeconds(10_000)).toBe(10);
  expect(retryAfterSeconds(10_001)).toBe(11);
});
