// A Temporal outage far longer than maxReceiveCount × hold dead-letters no valid email, with several
// bridges and one of them killed (its held messages forgotten) and replaced in the middle. Scaled down:
// a queue of its own with maxReceiveCount 2, a hold of 2 s (BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS), a 75 s
// outage. Two of the three bridges are idle when the emails come (frozen while the first takes them all):
// a bridge that asked Temporal only after a failed start would take them when the first one's hold ran
// out (each failed start takes about 20 s of the client's own retries), and the receive after recovery
// would be the third: dead-lettered (so it went before the question before each receive).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ingestEmail } from '../../src/operations/ingest-email';
import { stackUp } from '../../src/stack/local-stack';
import { runningPid, sleep, startDetached, stopProcess, waitFor } from '../../src/stack/processes';
import { PROJECT_ROOT } from '../../src/stack/settings';
import { newId, openStack, uniqueEmail } from './helpers';
import { TEST_STACK_ENV } from './stack-env';
import { createTestQueues, messagesIn, TestQueues } from './test-queues';

const stack = openStack();
const dir = TEST_STACK_ENV.STACK_DIR;
const tag = newId('long-outage');
let queues: TestQueues;
const bridges: string[] = [];

beforeAll(async () => {
  queues = await createTestQueues(stack.ctx.aws, `outage-${tag}`, { fifo: false, maxReceiveCount: 2 });
});

afterAll(async () => {
  for (const name of bridges) {
    const pid = runningPid(dir, name);
    if (pid) process.kill(pid, 'SIGCONT');
    await stopProcess(dir, name);
  }
  await queues.remove();
  await stack.ctx.close();
});

/** A bridge process on the test's queue (the stack's own bridge keeps the stack's queue). */
function startBridge(name: string): void {
  bridges.push(name);
  startDetached(dir, name, process.execPath, [join(PROJECT_ROOT, 'lib', 'starter.js')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      INBOUND_QUEUE_URL: queues.queueUrl,
      DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
      BRIDGE_TEMPORAL_DOWN_HOLD_SECONDS: '2',
      BRIDGE_WAIT_TIME_SECONDS: '1',
      BRIDGE_METRICS_ADDRESS: '',
      BRIDGE_HEALTH_ADDRESS: '',
      READY_FILE: join(dir, `${name}.ready`),
    },
  });
}

const visibleIn = async (queueUrl: string) =>
  Number((await stack.ctx.aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

test('several bridges, one killed and replaced: a 75 s outage with maxReceiveCount 2 and a 2 s hold dead-letters nothing', async () => {
  for (const i of [1, 2, 3]) startBridge(`outage-bridge-${tag}-${i}`);
  for (const name of bridges) await waitFor(name, async () => existsSync(join(dir, `${name}.ready`)), 60_000);
  const ids = [1, 2, 3, 4].map((i) => newId(`long-outage-${i}`));
  const temporal = runningPid(dir, 'temporal');
  expect(temporal).not.toBeNull();
  const idle = bridges.slice(1).map((name) => runningPid(dir, name)!);
  for (const pid of idle) process.kill(pid, 'SIGSTOP');
  // A receive already waiting at SQS would still take messages for a frozen bridge: let theirs run out.
  await sleep(2500);
  process.kill(temporal!, 'SIGKILL');
  try {
    const config = { ...stack.ctx.config, inbound: { ...stack.ctx.config.inbound, topicArn: queues.topicArn } };
    for (const id of ids) await ingestEmail(stack.ctx.aws, config, uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
    await waitFor('the first bridge to take the emails', async () => (await messagesIn(stack.ctx.aws, queues.queueUrl)) === ids.length && (await visibleIn(queues.queueUrl)) === 0, 30_000);
    for (const pid of idle) process.kill(pid, 'SIGCONT');
    await sleep(25_000);
    // Killed: what it held is forgotten and shows again after the hold; its replacement starts during the outage.
    process.kill(runningPid(dir, bridges[0])!, 'SIGKILL');
    startBridge(`outage-bridge-${tag}-4`);
    await sleep(50_000);
  } finally {
    await stackUp(() => undefined);
  }
  for (const id of ids) expect(await stack.finish(id, 180_000)).toMatchObject({ workflowStatus: 'COMPLETED', stage: 'confirmed' });
  // SQS moves a message on the receive past maxReceiveCount: every one was received since, and none was moved.
  const dead = await stack.ctx.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  expect(dead.Messages ?? []).toEqual([]);
  await waitFor('the test queue to empty', async () => (await messagesIn(stack.ctx.aws, queues.queueUrl)) === 0, 30_000);
}, 420_000);
