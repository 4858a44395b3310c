// Delivers the mix: as fast as it can (a few deliveries in flight), or at a fixed rate. A reply waits until
// the email it answers has its outcome, as a customer answers after the confirmation (and so that it has
// an incident to join), and is then delivered ahead of the rest.
import { BenchEmail } from './email-mix';

export interface Delivery {
  index: number;
  sesMessageId: string;
  /** ms since the epoch when the notification was in the queue. */
  deliveredAt: number;
}

export interface DeliveryOptions {
  /** Emails per second; undefined: as fast as possible. */
  rate?: number;
  concurrency?: number;
  deliver(email: BenchEmail): Promise<string>;
  /** Whether the email at this index has its outcome (replies wait for their parent's). */
  settled(index: number): boolean;
  onDelivered?(delivery: Delivery): void;
  /** A reply whose parent never settles is delivered anyway after this long. */
  parentWaitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deliverMix(mix: BenchEmail[], options: DeliveryOptions): Promise<{ deliveries: Delivery[]; failed: { index: number; error: string }[] }> {
  const queue = mix.map((e) => e.index);
  const held: { index: number; since: number }[] = [];
  const deliveries: Delivery[] = [];
  const failed: { index: number; error: string }[] = [];
  const concurrency = options.concurrency ?? 8;
  const parentWaitMs = options.parentWaitMs ?? 120_000;
  const start = Date.now();
  let started = 0;

  function releaseHeld(): void {
    for (let i = held.length - 1; i >= 0; i--) {
      const h = held[i];
      if (options.settled(mix[h.index].parent!) || Date.now() - h.since > parentWaitMs) {
        held.splice(i, 1);
        queue.unshift(h.index);
      }
    }
  }

  async function deliverOne(index: number): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const sesMessageId = await options.deliver(mix[index]);
        const delivery = { index, sesMessageId, deliveredAt: Date.now() };
        deliveries.push(delivery);
        options.onDelivered?.(delivery);
        return;
      } catch (err) {
        lastError = (err as Error).message;
        await sleep(500 * attempt);
      }
    }
    failed.push({ index, error: lastError });
  }

  async function lane(): Promise<void> {
    for (;;) {
      releaseHeld();
      const index = queue.shift();
      if (index === undefined) {
        if (held.length === 0) return;
        await sleep(100);
        continue;
      }
      const email = mix[index];
      if (email.kind === 'reply' && !options.settled(email.parent!)) {
        held.push({ index, since: Date.now() });
        continue;
      }
      if (options.rate) {
        const due = start + (started * 1000) / options.rate;
        started++;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      await deliverOne(index);
    }
  }

  await Promise.all(Array.from({ length: concurrency }, lane));
  return { deliveries, failed };
}
