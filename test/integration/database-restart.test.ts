// A database connection lost while a client is checked out (a restart, a failover) fails that client's
// query instead of killing the process: an 'error' event with no listener would crash the worker.
import { createPool } from '../../src/db/pool';
import { openStack } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('a checked-out client whose server connection is terminated fails its query; the process and the pool go on', async () => {
  const pool = createPool(stack.ctx.config.databaseUrl, 2);
  try {
    const client = await pool.connect();
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    // What PostgreSQL does to every session when it shuts down (57P01, "terminating connection due to administrator command").
    await stack.ctx.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await new Promise((r) => setTimeout(r, 300));
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  } finally {
    await pool.end();
  }
});
