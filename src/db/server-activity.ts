// What PostgreSQL is doing now, as pg_stat_activity shows it (the fault run restarts it mid-transaction).
import { Pool } from 'pg';

/**
 * Transactions other sessions have open in this database now: idle between their statements, or running
 * one that is not their first (a single statement outside BEGIN starts and ends its own transaction).
 */
export async function transactionsInFlight(pool: Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        AND (state LIKE 'idle in transaction%' OR (state = 'active' AND xact_start < query_start))`,
  );
  return Number(rows[0].n);
}
