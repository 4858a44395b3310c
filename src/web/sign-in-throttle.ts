// Sign-in attempts (and API tokens) go through here: the credentials are checked only when neither the
// client nor, for a client that has failed, the account must wait (domain/sign-in-backoff), and each
// outcome is recorded in PostgreSQL, so every web replica applies the same throttling.
import { Pool } from 'pg';
import { throttledAttempt, ThrottleKey } from '../db/sign-in-failures';
import { ACCOUNT_BACKOFF, CLIENT_BACKOFF, failuresAfterAnother, signInWaitMs, waitUnder } from '../domain/sign-in-backoff';

export type AttemptResult = { kind: 'accepted' } | { kind: 'refused' } | { kind: 'wait'; waitMs: number };

const MAX_ACCOUNT_KEY = 200;

export class SignInThrottle {
  constructor(private readonly pool: Pool) {}

  /**
   * Runs `check` unless the client must wait. `account` is the user name asked for (null for the API,
   * which has no account); failures count against it whichever name it is, so the answers do not
   * tell a configured account from another.
   */
  attempt(client: string, account: string | null, check: () => boolean): Promise<AttemptResult> {
    const clientKey: ThrottleKey = { scope: 'client', key: client };
    const accountKey: ThrottleKey | null = account === null ? null : { scope: 'account', key: account.trim().toLowerCase().slice(0, MAX_ACCOUNT_KEY) };
    const keys = accountKey ? [clientKey, accountKey] : [clientKey];
    return throttledAttempt<AttemptResult>(this.pool, keys, (records, now) => {
      const [clientRecord, accountRecord] = records;
      const waitMs = accountKey ? signInWaitMs(clientRecord, accountRecord ?? null, now) : waitUnder(CLIENT_BACKOFF, clientRecord, now);
      // A waiting client's attempt is not judged at all (so the throttle is no password oracle) and not counted.
      if (waitMs > 0) return { value: { kind: 'wait', waitMs } };
      if (check()) return { value: { kind: 'accepted' }, forget: [clientKey] };
      const failures = [{ key: clientKey, failures: failuresAfterAnother(CLIENT_BACKOFF, clientRecord, now) }];
      if (accountKey) failures.push({ key: accountKey, failures: failuresAfterAnother(ACCOUNT_BACKOFF, accountRecord ?? null, now) });
      return { value: { kind: 'refused' }, failures, pruneOlderThanMs: Math.max(CLIENT_BACKOFF.forgetAfterMs, ACCOUNT_BACKOFF.forgetAfterMs) };
    });
  }
}
