// The API's call count per token in its current window, shared by every web replica.
import { Pool } from 'pg';
import type { CallWindow } from '../domain/api-rate-limit';
import { inTransaction } from './transaction';

/**
 * Counts one call: `next` gets the stored window (null: none) and the database's clock and returns the
 * window with this call in it, which is stored and returned. The row is locked meanwhile.
 */
export async function countApiCall(pool: Pool, tokenHash: string, next: (previous: CallWindow | null, now: Date) => CallWindow): Promise<{ window: CallWindow; now: Date }> {
  return inTransaction(pool, async (client) => {
    // The row exists before it is locked, so two first calls cannot both see "no window".
    await client.query(`INSERT INTO api_call_windows (token_hash, started_at, calls) VALUES ($1, now(), 0) ON CONFLICT DO NOTHING`, [tokenHash]);
    const { rows } = await client.query('SELECT started_at, calls, now() AS now FROM api_call_windows WHERE token_hash = $1 FOR UPDATE', [tokenHash]);
    const now: Date = rows[0].now;
    const stored = Number(rows[0].calls) === 0 ? null : { startedAt: rows[0].started_at as Date, calls: Number(rows[0].calls) };
    const window = next(stored, now);
    await client.query('UPDATE api_call_windows SET started_at = $2, calls = $3 WHERE token_hash = $1', [tokenHash, window.startedAt, window.calls]);
    return { window, now };
  });
}
