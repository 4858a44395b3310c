// Spacing sends so that they stay under a rate (SES_MAX_SEND_RATE: SES counts every recipient against its
// maximum send rate). Each send books `recipients / perSecond` seconds after the previous booking ends, so
// over any stretch of time the average stays at or under the rate; a send that would wait longer than
// `maxWaitMs` is refused instead (the caller retries later) rather than booked.

export type SendSlot =
  /** Send after `waitMs`; the bookings now run until `bookedUntil` (ms since the epoch). */
  | { waitMs: number; bookedUntil: number }
  | { refused: true; retryInMs: number };

export function bookSend(bookedUntil: number, perSecond: number, now: number, recipients: number, maxWaitMs: number): SendSlot {
  if (!(perSecond > 0)) throw new RangeError(`send rate must be above 0, not ${perSecond}`);
  const start = Math.max(now, bookedUntil);
  const waitMs = start - now;
  if (waitMs > maxWaitMs) return { refused: true, retryInMs: waitMs - maxWaitMs };
  return { waitMs, bookedUntil: start + (Math.max(1, recipients) * 1000) / perSecond };
}
