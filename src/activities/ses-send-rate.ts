// This worker's share of SES's maximum send rate (SES_MAX_SEND_RATE, recipients per second): every email we
// send waits for its turn here. Confirmations are local activities, which the worker's and the task queue's
// activity rate limits do not reach, so the limit is kept where the mail is sent.
import { bookSend } from '../domain/send-rate';

/**
 * The longest a send waits for its turn: well inside the confirmation's 30 s start-to-close timeout. A send
 * that would wait longer fails and is retried with the activity's backoff, by which time the queue has drained.
 */
const MAX_WAIT_MS = 10_000;

export class SesSendRate {
  private bookedUntil = 0;

  /** `perSecond` undefined: no limit of ours (SES's own throttling still applies). */
  constructor(private readonly perSecond: number | undefined) {}

  /** Resolves when a send to `recipients` addresses may start; throws when its turn is too far off. */
  async turn(recipients: number): Promise<void> {
    if (this.perSecond === undefined) return;
    const slot = bookSend(this.bookedUntil, this.perSecond, Date.now(), recipients, MAX_WAIT_MS);
    if ('refused' in slot) {
      throw new Error(`SES send rate of this worker (SES_MAX_SEND_RATE=${this.perSecond}) is booked ${Math.ceil((slot.retryInMs + MAX_WAIT_MS) / 1000)} s ahead; retrying later`);
    }
    this.bookedUntil = slot.bookedUntil;
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
  }
}
