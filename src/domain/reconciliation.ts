// The ledger's decisions: which stored emails the reconciliation looks at (the time window), which S3
// keys are emails at all, which of those have neither a workflow nor a recorded outcome, and the tally
// it reports. No I/O: the activities list, look up and start; this says what to do with what they found.
import { isValidSesMessageId } from './workflow-ids';

export const DEFAULT_RECONCILE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Time left to the normal path (SNS -> SQS -> bridge) before an email counts as lost. */
export const DEFAULT_RECONCILE_GRACE_MS = 15 * 60 * 1000;

/** Objects last modified in [from, to), ISO timestamps. */
export interface ReconciliationWindow {
  from: string;
  to: string;
}

/** From `windowMs` before `nowMs` up to `graceMs` before it; empty (from = to) when the grace is the whole window. */
export function reconciliationWindow(nowMs: number, windowMs: number, graceMs: number): ReconciliationWindow {
  if (!(windowMs > 0) || !(graceMs >= 0)) throw new Error(`Invalid reconciliation window: ${windowMs} ms with a grace of ${graceMs} ms`);
  const to = nowMs - graceMs;
  return { from: new Date(Math.min(nowMs - windowMs, to)).toISOString(), to: new Date(to).toISOString() };
}

/**
 * The object SES writes under the prefix when an S3 action is created, to check that it may write there:
 * not an email. Its name is a valid SES message id, so it is named here.
 */
export const SES_SETUP_NOTIFICATION_KEY = 'AMAZON_SES_SETUP_NOTIFICATION';

/**
 * The SES message id an object key stands for: the receipt rule stores each email at prefix + id. Null for
 * anything else under the prefix (a "folder" of our own, a key that is not an id, SES's setup notification).
 */
export function sesMessageIdOfKey(key: string, prefix: string): string | null {
  if (!key.startsWith(prefix)) return null;
  const id = key.slice(prefix.length);
  if (id === SES_SETUP_NOTIFICATION_KEY || !isValidSesMessageId(id)) return null;
  return id;
}

export interface ListedObject {
  key: string;
  /** ISO timestamp. */
  lastModified: string;
}

export interface StoredEmail {
  sesMessageId: string;
  key: string;
}

/** The emails among the listed objects that were stored within the window. */
export function emailsInWindow(objects: ListedObject[], prefix: string, window: ReconciliationWindow): StoredEmail[] {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const emails: StoredEmail[] = [];
  for (const { key, lastModified } of objects) {
    const at = Date.parse(lastModified);
    const sesMessageId = sesMessageIdOfKey(key, prefix);
    if (sesMessageId !== null && at >= from && at < to) emails.push({ sesMessageId, key });
  }
  return emails;
}

/** The emails with no recorded outcome: their workflow is started (one that exists refuses the start). */
export function emailsWithoutRecord(emails: StoredEmail[], recorded: Iterable<string>): StoredEmail[] {
  const known = new Set(recorded);
  return emails.filter((email) => !known.has(email.sesMessageId));
}

/** What one page of the listing came to. */
export interface ReconciledPage {
  /** Objects listed under the prefix (emails or not, in the window or not). */
  listed: number;
  /** Emails stored within the window. */
  inWindow: number;
  /** Of those, emails with a row in inbound_emails. */
  recorded: number;
  /** Emails without a record whose workflow existed already (still before its first step, or ended early). */
  alreadyStarted: number;
  /** Emails without a workflow or a record: started now, as the bridge would have. */
  started: number;
  /** Their SES message ids (at most STARTED_IDS_KEPT, so the workflow's history stays bounded). */
  startedIds: string[];
}

export interface ReconciliationTally extends ReconciledPage {
  pages: number;
}

/** How many of the started emails' ids a tally names; the count is always whole, the log has them all. */
export const STARTED_IDS_KEPT = 100;

export const EMPTY_TALLY: ReconciliationTally = { pages: 0, listed: 0, inWindow: 0, recorded: 0, alreadyStarted: 0, started: 0, startedIds: [] };

export function addPage(tally: ReconciliationTally, page: ReconciledPage): ReconciliationTally {
  return {
    pages: tally.pages + 1,
    listed: tally.listed + page.listed,
    inWindow: tally.inWindow + page.inWindow,
    recorded: tally.recorded + page.recorded,
    alreadyStarted: tally.alreadyStarted + page.alreadyStarted,
    started: tally.started + page.started,
    startedIds: [...tally.startedIds, ...page.startedIds].slice(0, STARTED_IDS_KEPT),
  };
}
