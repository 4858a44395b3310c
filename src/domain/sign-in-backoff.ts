// How long a sign-in attempt must wait, from the failures recorded against the client (its address) and
// against the account it names. Exponential backoff per client; per account it only slows, briefly, and
// only clients that have failed themselves, so no stranger can hold the admin out (README, Security model).

export interface FailureRecord {
  failures: number;
  lastFailureAt: Date;
}

export interface BackoffPolicy {
  /** Failures that cost no wait: a few typing mistakes. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A record is forgotten this long after its last failure. */
  forgetAfterMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** One address: 5 free failures, then 10 s doubling to 15 min, so a guesser gets a handful of tries an hour. */
export const CLIENT_BACKOFF: BackoffPolicy = { freeFailures: 5, firstDelayMs: 10_000, maxDelayMs: 15 * 60 * 1000, forgetAfterMs: HOUR_MS };

/** One account, failures from everywhere: 20 free, then 1 s doubling to at most 30 s. */
export const ACCOUNT_BACKOFF: BackoffPolicy = { freeFailures: 20, firstDelayMs: 1_000, maxDelayMs: 30_000, forgetAfterMs: HOUR_MS };

/** The wait after `failures` failures. */
export function backoffDelayMs(policy: BackoffPolicy, failures: number): number {
  if (failures < policy.freeFailures) return 0;
  // Capped before exponentiation: 2 ** a large count is Infinity, and the cap is reached long before.
  const doublings = Math.min(failures - policy.freeFailures, 40);
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** doublings);
}

const forgotten = (policy: BackoffPolicy, record: FailureRecord, now: Date) => now.getTime() - record.lastFailureAt.getTime() >= policy.forgetAfterMs;

/** The failures that still count at `now` (a forgotten record counts none). */
export function currentFailures(policy: BackoffPolicy, record: FailureRecord | null, now: Date): number {
  return record && !forgotten(policy, record, now) ? record.failures : 0;
}

/** Milliseconds until the next attempt is allowed under one policy (0: now). */
export function waitUnder(policy: BackoffPolicy, record: FailureRecord | null, now: Date): number {
  const failures = currentFailures(policy, record, now);
  if (!record || failures === 0) return 0;
  return Math.max(0, record.lastFailureAt.getTime() + backoffDelayMs(policy, failures) - now.getTime());
}

/**
 * The wait before a sign-in from this client to this account. The account's backoff holds back only a
 * client with failures of its own: the admin signing in from a client that has not failed is never
 * delayed, however many strangers fail elsewhere.
 */
export function signInWaitMs(client: FailureRecord | null, account: FailureRecord | null, now: Date): number {
  const clientWait = waitUnder(CLIENT_BACKOFF, client, now);
  if (currentFailures(CLIENT_BACKOFF, client, now) === 0) return clientWait;
  return Math.max(clientWait, waitUnder(ACCOUNT_BACKOFF, account, now));
}

/** The count a new failure is stored with: a forgotten record starts again at one. */
export const failuresAfterAnother = (policy: BackoffPolicy, record: FailureRecord | null, now: Date): number => currentFailures(policy, record, now) + 1;

/** Whole seconds for a Retry-After header (at least 1, so a client never retries at once). */
export const retryAfterSeconds = (waitMs: number): number => Math.max(1, Math.ceil(waitMs / 1000));
