// One connection pool per process, built from the configured DATABASE_URL.
import { Pool } from 'pg';

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // A client losing its server (a database restart, a failover) must not crash the process. The pool
  // listens on idle clients; one checked out for a transaction has no listener of its own, and an
  // 'error' event without a listener kills the process. Its query fails instead, and the activity retries.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Resolves when PostgreSQL answers a query now (readiness checks). */
export async function databaseAnswers(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}
