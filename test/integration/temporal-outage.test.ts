// A Temporal outage spends no receives: the bridge stops receiving when a start fails and Temporal does
// not answer, and resumes when it does, so however long the outage, no valid email reaches the
// dead-letter queue (each receive counts toward maxReceiveCount). Scaled down: a 75 s outage (each failed start takes about 20 s of the client's own retries).
import { stackUp } from '../../src/stack/local-stack';
import { runningPid, sleep } from '../../src/stack/processes';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

const retried = async () => {
  const metrics = await (await fetch(`http://127.0.0.1:${TEST_STACK_ENV.STACK_BRIDGE_METRICS_PORT}/metrics`)).text();
  return Number(metrics.split('\n').find((l) => l.startsWith('email_to_ticket_bridge_messages_total{result="retried"}'))?.split(' ').pop() ?? 0);
};

test('while Temporal is down the bridge receives nothing more; afterwards every email is processed', async () => {
  const ids = [newId('outage-a'), newId('outage-b'), newId('outage-c')];
  const pid = runningPid(TEST_STACK_ENV.STACK_DIR, 'temporal');
  expect(pid).not.toBeNull();
  const before = await retried();
  process.kill(pid!, 'SIGKILL');
  try {
    for (const id of ids) await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
    await sleep(75_000);
    // At most one failed attempt per email, however long the outage: the bridge waits, it does not re-receive.
    // (Before, each message came back after 5, 10, 20 s ... and was received again each time.)
    expect((await retried()) - before).toBeLessThanOrEqual(ids.length);
  } finally {
    await stackUp(() => undefined);
  }
  for (const id of ids) expect(await stack.finish(id, 120_000)).toMatchObject({ workflowStatus: 'COMPLETED', stage: 'confirmed' });
}, 300_000);
