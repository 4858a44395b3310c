// One connection pool per process, built from the configured DATABASE_URL.
import { Pool } from 'pg';

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its server (a database restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
