// Failed sign-ins per client and per account, shared by every web replica. An attempt reads the records,
// is decided and records its outcome while holding a lock on each key, so concurrent attempts (on any
// replica) are counted one after another: a burst of parallel guesses cannot all pass one check.
import { Pool } from 'pg';
import type { FailureRecord } from '../domain/sign-in-backoff';
import { inTransaction } from './transaction';

export interface ThrottleKey {
  scope: 'client' | 'account';
  key: string;
}

export interface AttemptOutcome<T> {
  value: T;
  /** Records to store after a failure: each key with its new count. */
  failures?: { key: ThrottleKey; failures: number }[];
  /** Records to drop (a client that signed in successfully). */
  forget?: ThrottleKey[];
  /** Records older than this are deleted while we are here (the table does not grow forever). */
  pruneOlderThanMs?: number;
}

const lockName = (k: ThrottleKey) => `sign-in:${k.scope}:${k.key}`;

/**
 * Runs one attempt: `decide` gets the current record of each key (null: none) and the database's clock,
 * and says what to store. Locks are taken in a fixed order, so two attempts never wait on each other in a circle.
 */
export async function throttledAttempt<T>(
  pool: Pool,
  keys: ThrottleKey[],
  decide: (records: (FailureRecord | null)[], now: Date) => Promise<AttemptOutcome<T>> | AttemptOutcome<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    for (const name of keys.map(lockName).sort()) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
    const { rows } = await client.query(
      `SELECT k.i, f.failures, f.last_failure_at, now() AS now
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(scope, key, i)
       LEFT JOIN sign_in_failures f ON f.scope = k.scope AND f.key = k.key ORDER BY k.i`,
      [keys.map((k) => k.scope), keys.map((k) => k.key)],
    );
    const now: Date = rows[0].now;
    const records = rows.map((r) => (r.failures === null ? null : { failures: Number(r.failures), lastFailureAt: r.last_failure_at as Date }));
    const outcome = await decide(records, now);
    for (const { key, failures } of outcome.failures ?? []) {
      await client.query(
        `INSERT INTO sign_in_failures (scope, key, failures, last_failure_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (scope, key) DO UPDATE SET failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at`,
        [key.scope, key.key, failures],
      );
    }
    for (const key of outcome.forget ?? []) await client.query('DELETE FROM sign_in_failures WHERE scope = $1 AND key = $2', [key.scope, key.key]);
    if (outcome.pruneOlderThanMs !== undefined) {
      await client.query(`DELETE FROM sign_in_failures WHERE last_failure_at < now() - $1 * interval '1 millisecond'`, [outcome.pruneOlderThanMs]);
    }
    return outcome.value;
  });
}
