// Finding a stuck email: with PostgreSQL stopped, an email's workflow shows its stage and the activity it
// is retrying with the last failure, `stuck` lists it, and once PostgreSQL is back it finishes with one incident.
import { waitForEmail } from '../../src/operations/email-status';
import { findStuckEmails } from '../../src/cli/stuck';
import { senderTerm } from '../../src/operations/emails-by-sender';
import { startPostgres, stopPostgres } from '../../src/stack/postgres';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

test('an email retrying while PostgreSQL is down is visible as stuck, then finishes once it is back', async () => {
  const client = await stack.ctx.temporal();
  const id = newId('pgdown');
  expect(stopPostgres(TEST_STACK_ENV.STACK_DIR)).toBe(true);
  try {
    await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
    const retrying = await waitForEmail(client, id, 30_000, (s) => (s.pendingActivity?.attempt ?? 0) >= 2 && s.pendingActivity?.lastFailure !== null);
    expect(['received', 'parsed']).toContain(retrying.stage);
    expect(retrying.workflowStatus).toBe('RUNNING');
    expect(retrying.pendingActivity).toMatchObject({ activityType: 'parseInboundEmail' });
    expect(retrying.pendingActivity!.lastFailure).toMatch(/ECONNREFUSED|connect|terminat/i);

    // Listed by the visibility query the README gives (eventually consistent: poll a little).
    let stuck: Awaited<ReturnType<typeof findStuckEmails>> = [];
    for (let i = 0; i < 40 && !stuck.some((s) => s.sesMessageId === id); i++) {
      stuck = await findStuckEmails(client, 0);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(stuck.find((s) => s.sesMessageId === id)).toMatchObject({ stage: 'received', pendingActivity: { activityType: 'parseInboundEmail' } });
    // By its sender (`stuck --sender`): the keyed hash is computed from the address; another address finds none of it.
    const mine = await findStuckEmails(client, 0, senderTerm(`${id}@customer.example`, stack.ctx.config));
    expect(mine.map((s) => s.sesMessageId)).toEqual([id]);
    expect(mine[0].sender).toMatch(/^[0-9a-f]{32}$/);
    expect(await findStuckEmails(client, 0, senderTerm(`other-${id}@customer.example`, stack.ctx.config))).toEqual([]);
  } finally {
    await startPostgres(TEST_STACK_ENV.STACK_DIR, Number(TEST_STACK_ENV.STACK_POSTGRES_PORT));
  }
  const done = await stack.finish(id, 90_000);
  expect(done.stage).toBe('confirmed');
  expect(await stack.incidentsFor(id)).toEqual([done.incidentNumber]);
}, 150_000);
