// Watches PostgreSQL, once a second, for what became of each delivered email: its stage, the incident
// row's creation, the confirmation's sending, and (for replies) the comment on the incident.
import { Pool } from 'pg';
import { incidentsMadeBy } from '../db/incidents';
import { inboundEmailStages } from '../db/inbound-emails';
import { sentTimes } from '../db/outbound-emails';
import { commentsMadeBy } from '../db/threads';

/** Stages an email does not leave. `incident-created` is final only with a reason (no confirmation). */
const FINAL = new Set(['confirmed', 'threaded-as-reply', 'alert-forwarded', 'ignored', 'rejected', 'quarantined', 'discarded', 'failed']);

/** Whether an email's recorded stage is where it ended (the benchmark and the fault run both ask). */
export const isFinalOutcome = (stage: string, reason: string | null): boolean => FINAL.has(stage) || (stage === 'incident-created' && reason !== null);

export interface Outcome {
  sesMessageId: string;
  stage: string | null;
  reason: string | null;
  incidentNumber: string | null;
  /** ms since the epoch, from PostgreSQL's clock (same machine as the benchmark). */
  incidentAt: number | null;
  confirmationAt: number | null;
  commentAt: number | null;
  stageAt: number | null;
  settled: boolean;
}

export class OutcomeTracker {
  readonly outcomes = new Map<string, Outcome>();
  constructor(private readonly pool: Pool) {}

  watch(sesMessageId: string): void {
    if (!this.outcomes.has(sesMessageId)) {
      this.outcomes.set(sesMessageId, { sesMessageId, stage: null, reason: null, incidentNumber: null, incidentAt: null, confirmationAt: null, commentAt: null, stageAt: null, settled: false });
    }
  }

  isSettled(sesMessageId: string): boolean {
    return this.outcomes.get(sesMessageId)?.settled ?? false;
  }

  get pending(): number {
    let n = 0;
    for (const o of this.outcomes.values()) if (!o.settled) n++;
    return n;
  }

  /** One round of queries for every email not settled yet. */
  async poll(): Promise<void> {
    const ids = [...this.outcomes.values()].filter((o) => !o.settled).map((o) => o.sesMessageId);
    if (ids.length === 0) return;
    const [stages, incidents, confirmations, comments] = await Promise.all([
      inboundEmailStages(this.pool, ids),
      incidentsMadeBy(this.pool, ids),
      sentTimes(this.pool, ids.map((id) => `confirmation:${id}`)),
      commentsMadeBy(this.pool, ids),
    ]);
    for (const row of incidents) this.outcomes.get(row.sesMessageId)!.incidentAt = row.createdAt.getTime();
    for (const [key, sentAt] of confirmations) this.outcomes.get(key.slice('confirmation:'.length))!.confirmationAt = sentAt.getTime();
    for (const row of comments) this.outcomes.get(row.sesMessageId)!.commentAt = row.createdAt.getTime();
    for (const row of stages) {
      const o = this.outcomes.get(row.sesMessageId)!;
      Object.assign(o, { stage: row.stage, reason: row.reason, incidentNumber: row.incidentNumber, stageAt: row.updatedAt.getTime() });
      let settled = isFinalOutcome(row.stage, row.reason);
      if (row.stage === 'confirmed' && o.confirmationAt === null) settled = false;
      // The thread workflow appends the comment after the inbound workflow has signalled it: a reply
      // has its outcome when the comment is there; one that never comes keeps it waiting until the deadline.
      if (row.stage === 'threaded-as-reply' && o.commentAt === null) settled = false;
      o.settled = settled;
    }
  }

  /** Polls every second until `expected()` emails are watched and all have settled, or the deadline. */
  async waitAll(opts: { deadline: number; expected: () => number; onProgress?: (settled: number) => void }): Promise<boolean> {
    let lastReport = 0;
    for (;;) {
      // A poll that fails (PostgreSQL restarting under a fault run) is simply repeated.
      await this.poll().catch(() => undefined);
      const settled = this.outcomes.size - this.pending;
      if (opts.onProgress && Date.now() - lastReport > 10_000) {
        opts.onProgress(settled);
        lastReport = Date.now();
      }
      if (this.outcomes.size >= opts.expected() && this.pending === 0) return true;
      if (Date.now() > opts.deadline) return false;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** When the email's last measured effect happened: the confirmation, the comment, the incident or the stage. */
export function finishedAt(o: Outcome): number | null {
  const times = [o.confirmationAt, o.commentAt, o.incidentAt].filter((t): t is number => t !== null);
  if (times.length) return Math.max(...times);
  return o.settled ? o.stageAt : null;
}
