// Processes failing under a real Temporal server with two workers and two bridges: a worker SIGKILLed
// while emails are in flight, and the Temporal server stopped and started again. Every email still
// ends up as exactly one incident with one confirmation.
import { stackUp } from '../../src/stack/local-stack';
import { isAlive, runningPid, sleep, stopProcess } from '../../src/stack/processes';
import { inboundEmailWorkflowId } from '../../src/domain/workflow-ids';
import { newId, openStack, uniqueEmail, waitFor } from '../integration/helpers';
import { TEST_STACK_ENV } from '../integration/stack-env';

const stack = openStack();
afterAll(() => stack.ctx.close());

async function deliverMany(label: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => newId(`${label}-${i}`));
  for (const id of ids) await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
  return ids;
}

/** Each email: completed, confirmed, one incident, one confirmation. An activity lost with a killed worker is retried after its 2-minute start-to-close timeout. */
async function expectAllProcessed(ids: string[]): Promise<void> {
  for (const id of ids) {
    expect(await stack.finish(id, 240_000)).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED' });
    expect(await stack.incidentsFor(id)).toHaveLength(1);
  }
  const outbox = await stack.outbox();
  for (const id of ids) expect(outbox.filter((m) => m.to.includes(`${id}@customer.example`))).toHaveLength(1);
}

test('a worker SIGKILLed while emails are in flight: the other worker and the restarted one finish every email', async () => {
  const ids = await deliverMany('killed-worker', 12);
  // In flight: the first workflow has been started by a bridge (the others follow on the queue).
  const first = (await stack.ctx.temporal()).workflow.getHandle(inboundEmailWorkflowId(ids[0]));
  await waitFor(() => first.describe().catch(() => null));
  const pid = runningPid(TEST_STACK_ENV.STACK_DIR, 'worker');
  expect(pid).not.toBeNull();
  process.kill(pid!, 'SIGKILL');
  while (isAlive(pid!)) await sleep(50);
  await stackUp(() => undefined);
  expect(runningPid(TEST_STACK_ENV.STACK_DIR, 'worker')).not.toBe(pid);
  await expectAllProcessed(ids);
}, 360_000);

test('the Temporal server stopped and started again while emails are in flight and arriving: every email is processed', async () => {
  const earlier = await deliverMany('temporal-restart-before', 6);
  const before = runningPid(TEST_STACK_ENV.STACK_DIR, 'temporal');
  expect(before).not.toBeNull();
  let during: string[] = [];
  try {
    expect(await stopProcess(TEST_STACK_ENV.STACK_DIR, 'temporal')).toBe(true);
    // These wait in the queue (or in a bridge) until the server is back.
    during = await deliverMany('temporal-restart-during', 6);
  } finally {
    await stackUp(() => undefined);
  }
  expect(runningPid(TEST_STACK_ENV.STACK_DIR, 'temporal')).not.toBe(before);
  await expectAllProcessed([...earlier, ...during]);
}, 360_000);
