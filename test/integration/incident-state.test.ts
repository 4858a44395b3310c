// The one writer of an incident's state, on the real database: an agent waits for the customer, the
// customer's reply ends the wait, and a change decided on a state that moved meanwhile is not written.
import { Client } from 'pg';
import { changeIncidentState } from '../../src/db/incident-state';
import { IncidentChange } from '../../src/domain/incident-state';
import { webBase } from './admin-session';
import { openStack } from './helpers';
import { insertBareIncident } from './sla-rows';

const stack = openStack();
afterAll(() => stack.ctx.close());

const stateOf = async (number: string) => (await stack.ctx.pool.query('SELECT state FROM incidents WHERE number = $1', [number])).rows[0].state;

test("waiting for the customer: the tracking page says so, and the customer's reply ends the wait", async () => {
  const { number, token } = await insertBareIncident(stack.ctx);
  expect(await changeIncidentState(stack.ctx.pool, number, { by: 'agent', state: 'awaiting-customer' })).toBe('awaiting-customer');
  expect(await stateOf(number)).toBe('awaiting-customer');
  const page = await (await fetch(`${webBase()}/track/${token}`)).text();
  expect(page).toContain('State: <strong>Waiting for your reply</strong>');
  expect(page).toContain('the target resolution time is paused until you reply');
  expect(page).not.toContain('target resolution 2');

  expect(await changeIncidentState(stack.ctx.pool, number, { by: 'customer-reply' })).toBe('in-progress');
  expect(await stateOf(number)).toBe('in-progress');
  expect(await (await fetch(`${webBase()}/track/${token}`)).text()).toMatch(/target resolution \d{4}-/);
  // A second reply to an incident already in progress changes nothing.
  expect(await changeIncidentState(stack.ctx.pool, number, { by: 'customer-reply' })).toBeNull();
});

/**
 * Another writer changes the state to `meanwhile` and holds the row until the change under test has read
 * the old state and is waiting to write; then commits. The change under test must not overwrite it.
 */
async function racedChange(number: string, meanwhile: string, change: IncidentChange) {
  // Connections of their own: the change under test holds one of the pool's while it waits.
  const other = new Client(stack.ctx.pool.options);
  const watcher = new Client(stack.ctx.pool.options);
  await Promise.all([other.connect(), watcher.connect()]);
  try {
    await other.query('BEGIN');
    await other.query('UPDATE incidents SET state = $2 WHERE number = $1', [number, meanwhile]);
    const result = changeIncidentState(stack.ctx.pool, number, change);
    // Waiting for the other writer's row lock: it has read the state before the other writer's change.
    for (let waiting = false; !waiting; await new Promise((r) => setTimeout(r, 50))) {
      const { rows } = await watcher.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE incidents%'",
      );
      waiting = rows[0].n > 0;
    }
    await other.query('COMMIT');
    return await result;
  } finally {
    await Promise.all([other.end(), watcher.end()]);
  }
}

test('a change decided on a stale state is not written: the newer state stays', async () => {
  const { number } = await insertBareIncident(stack.ctx);
  await changeIncidentState(stack.ctx.pool, number, { by: 'agent', state: 'awaiting-customer' });
  // The customer's reply read "waiting"; an agent closed the incident before it wrote "in progress".
  expect(await racedChange(number, 'closed', { by: 'customer-reply' })).toBeNull();
  expect(await stateOf(number)).toBe('closed');
  // Two replies reopening a closed incident at once: the second finds it reopened, and says so.
  expect(await racedChange(number, 'in-progress', { by: 'customer-reply' })).toBeNull();
  expect(await stateOf(number)).toBe('in-progress');
});
