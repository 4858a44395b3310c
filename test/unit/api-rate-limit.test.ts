// The API's rate limit: calls per window of a minute that starts with the first call after the last window.
import { apiCallWaitMs, windowWithCall } from '../../src/domain/api-rate-limit';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + s * 1000);

test('calls within a minute of the window start count in it; the first call after it starts a new one', () => {
  let window = windowWithCall(null, at(0));
  expect(window).toEqual({ startedAt: at(0), calls: 1 });
  window = windowWithCall(window, at(59));
  expect(window).toEqual({ startedAt: at(0), calls: 2 });
  expect(windowWithCall(window, at(60))).toEqual({ startedAt: at(60), calls: 1 });
});

test('a clock minute boundary does not start a window: a burst across it is one window', () => {
  let window = windowWithCall(null, at(59.5));
  window = windowWithCall(window, at(60.5));
  expect(window.calls).toBe(2);
});

test('over the limit, the wait is until the window ends', () => {
  expect(apiCallWaitMs({ startedAt: at(0), calls: 5 }, 5, at(10))).toBe(0);
  expect(apiCallWaitMs({ startedAt: at(0), calls: 6 }, 5, at(10))).toBe(50_000);
});
