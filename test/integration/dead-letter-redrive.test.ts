// `dlq list` and `dlq redrive` on a FIFO queue of the test's own (maxReceiveCount 2): a valid email whose
// message SQS dead-lettered after its receives ran out is moved back and becomes an incident; a malformed
// message the bridge dead-lettered goes back to the dead-letter queue, with its reason, rather than being lost.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DeadLetter } from '../../src/operations/dead-letters';
import { ingestEmail } from '../../src/operations/ingest-email';
import { waitFor as waitUntil } from '../../src/stack/processes';
import { PROJECT_ROOT } from '../../src/stack/settings';
import { newId, openStack, uniqueEmail } from './helpers';
import { bridgeOn, createTestQueues, messagesIn, TestQueues } from './test-queues';

const stack = openStack();
const tag = newId('redrive');
let queues: TestQueues;
const stopBridge = new AbortController();
let bridgeRunning: Promise<void> | undefined;

beforeAll(async () => {
  queues = await createTestQueues(stack.ctx.aws, tag, { fifo: true, maxReceiveCount: 2 });
});

afterAll(async () => {
  stopBridge.abort();
  await bridgeRunning;
  await queues.remove();
  await stack.ctx.close();
});

/** The operator's command, on the test's queues. */
function dlq(...args: string[]): DeadLetter[] {
  const out = execFileSync(process.execPath, [join(PROJECT_ROOT, 'lib', 'cli.js'), 'dlq', ...args, '--json'], {
    env: { ...process.env, INBOUND_QUEUE_URL: queues.queueUrl, DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl },
  });
  return JSON.parse(out.toString());
}

const inDeadLetterQueue = (n: number) => waitUntil(`${n} in the dead-letter queue`, async () => (await messagesIn(stack.ctx.aws, queues.deadLetterQueueUrl)) === n, 30_000);

test('a dead-lettered email is redriven into an incident; a malformed message goes back to the dead-letter queue', async () => {
  const { aws, config } = stack.ctx;
  const valid = newId('redriven');
  await ingestEmail(aws, { ...config, inbound: { ...config.inbound, topicArn: queues.topicArn } }, uniqueEmail('plain-text.eml', valid, `${valid}@customer.example`), { messageId: valid });
  // Its starts "failed" twice (received, never deleted): the third receive is SQS's move to the dead-letter queue.
  for (let receive = 0; receive < 3; receive++) {
    await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
  }
  await inDeadLetterQueue(1);

  const body = JSON.stringify({ notificationType: 'Received', mail: { messageId: 'not an id!' }, receipt: {} });
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: body, MessageGroupId: 'malformed', MessageDeduplicationId: tag }));
  const bridge = bridgeOn(stack.ctx, await stack.ctx.temporal(), queues);
  bridgeRunning = bridge.run(stopBridge.signal);
  await inDeadLetterQueue(2);

  const listed = dlq('list');
  expect(listed).toHaveLength(2);
  expect(listed).toContainEqual(expect.objectContaining({ sesMessageIds: [valid], reason: expect.stringContaining('moved by SQS') }));
  const malformed = listed.find((l) => l.sesMessageIds.length === 0)!;
  expect(malformed.reason).toMatch(/invalid mail\.messageId/);
  // Listing left both where they were.
  expect(await messagesIn(aws, queues.deadLetterQueueUrl)).toBe(2);
  expect(dlq('redrive', '--dry-run')).toHaveLength(2);
  expect(await messagesIn(aws, queues.deadLetterQueueUrl)).toBe(2);

  const moved = dlq('redrive');
  expect(moved.map((m) => m.messageId).sort()).toEqual(listed.map((l) => l.messageId).sort());
  // Within FIFO's 5-minute deduplication window of the email's first send, and still delivered.
  expect(await stack.finish(valid, 60_000)).toMatchObject({ workflowStatus: 'COMPLETED', stage: 'confirmed' });
  expect(await stack.incidentsFor(valid)).toHaveLength(1);
  await inDeadLetterQueue(1);
  const after = dlq('list');
  expect(after).toEqual([expect.objectContaining({ sesMessageIds: [], reason: malformed.reason })]);
  expect(await messagesIn(aws, queues.queueUrl)).toBe(0);
}, 180_000);
