import { bookSend, SendSlot } from '../../src/domain/send-rate';

const booked = (slot: SendSlot) => {
  if ('refused' in slot) throw new Error('refused');
  return slot;
};

test('an idle sender sends at once and books 1/rate seconds per recipient', () => {
  expect(bookSend(0, 4, 10_000, 1, 5000)).toEqual({ waitMs: 0, bookedUntil: 10_250 });
  expect(bookSend(9000, 4, 10_000, 3, 5000)).toEqual({ waitMs: 0, bookedUntil: 10_750 });
});

test('sends in a burst are spaced out: N sends at one instant take N/rate seconds', () => {
  let until = 0;
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) {
    const slot = booked(bookSend(until, 4, 1000, 1, 60_000));
    waits.push(slot.waitMs);
    until = slot.bookedUntil;
  }
  expect(waits).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750]);
  // Sends starting within any one second: at most the rate.
  expect(waits.filter((w) => w < 1000)).toHaveLength(4);
});

test('a fractional rate (an account rate divided among workers) spaces by its inverse', () => {
  expect(booked(bookSend(0, 3.5, 0, 7, 1000)).bookedUntil).toBe(2000);
});

test('a send that would wait past the limit is refused and books nothing', () => {
  expect(bookSend(20_000, 1, 10_000, 1, 5000)).toEqual({ refused: true, retryInMs: 5000 });
  expect(bookSend(15_000, 1, 10_000, 1, 5000)).toEqual({ waitMs: 5000, bookedUntil: 16_000 });
});

test('a send without recipients still counts as one; a rate of 0 is a programming error', () => {
  expect(booked(bookSend(0, 2, 0, 0, 0)).bookedUntil).toBe(500);
  expect(() => bookSend(0, 0, 0, 1, 0)).toThrow(RangeError);
});
