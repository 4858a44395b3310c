// The bridge beyond the happy path: a standard (non-FIFO) queue, raw S3 event notifications, and
// Temporal being unreachable (the message stays in the queue; nothing is lost).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import type { Bridge } from '../../src/bridge/consumer';
import { newId, openStack, uniqueEmail } from './helpers';
import { bridgeOn as bridgeOnQueues } from './test-queues';

const stack = openStack();
let queueUrl: string;
let deadLetterQueueUrl: string;

beforeAll(async () => {
  const tag = newId('std');
  queueUrl = (await stack.ctx.aws.sqs.send(new CreateQueueCommand({ QueueName: `standard-${tag}` }))).QueueUrl!;
  deadLetterQueueUrl = (await stack.ctx.aws.sqs.send(new CreateQueueCommand({ QueueName: `standard-dlq-${tag}` }))).QueueUrl!;
});

afterAll(async () => {
  await stack.ctx.aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  await stack.ctx.aws.sqs.send(new DeleteQueueCommand({ QueueUrl: deadLetterQueueUrl }));
  await stack.ctx.close();
});

const bridgeOn = (temporal: Client) => bridgeOnQueues(stack.ctx, temporal, { queueUrl, deadLetterQueueUrl });

async function runBridgeWhile<T>(bridge: Bridge, work: () => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const running = bridge.run(stop.signal);
  try {
    return await work();
  } finally {
    stop.abort();
    await running;
  }
}

test('a standard queue carrying raw S3 events: each email is judged by the verdicts SES wrote into its headers', async () => {
  const clean = newId('s3event');
  const spam = newId('s3spam');
  const { config, aws } = stack.ctx;
  // plain-text.eml carries SES's own X-SES-*-Verdict and Authentication-Results headers (all PASS);
  // spoofed-verdicts.eml has SES's spam FAIL on top and a forged PASS below it.
  const deliver = async (id: string, fixture: string) => {
    await aws.s3.send(new PutObjectCommand({ Bucket: config.inbound.bucket, Key: `inbound/${id}`, Body: uniqueEmail(fixture, id) }));
    const event = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: config.inbound.bucket }, object: { key: `inbound/${id}` } } }] };
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
  };
  await deliver(clean, 'plain-text.eml');
  await deliver(spam, 'spoofed-verdicts.eml');
  const bridge = bridgeOn(await stack.ctx.temporal());
  const [cleanStatus, spamStatus] = await runBridgeWhile(bridge, () => Promise.all([stack.settle(clean), stack.settle(spam)]));
  expect(cleanStatus.stage).toBe('confirmed');
  expect(spamStatus).toMatchObject({ stage: 'quarantined', reason: expect.stringContaining('spam verdict FAIL') });
  expect(bridge.counters).toMatchObject({ received: 2, started: 2, deadLettered: 0 });
  const left = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
  expect(left.Messages ?? []).toHaveLength(0);
});

test('with Temporal unreachable the bridge receives nothing: the message stays, no receive spent, nothing started', async () => {
  const id = newId('down');
  const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: `inbound/${id}` } } }] });
  await stack.ctx.aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  // A real client to a port nobody listens on: as with the server down, it does not answer the bridge's question.
  const unreachable = new Client({ connection: await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
  const bridge = bridgeOn(unreachable);
  await runBridgeWhile(bridge, () => new Promise((r) => setTimeout(r, 5000)));
  expect(bridge.counters).toMatchObject({ received: 0, started: 0, retried: 0, deadLettered: 0 });
  // Still in the queue, and this is its first receive: each one counts toward maxReceiveCount (README,
  // "The bridge and the queue").
  const again = await stack.ctx.aws.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
  );
  expect(again.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([[body, '1']]);
}, 30_000);
