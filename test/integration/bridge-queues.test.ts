// The bridge beyond the happy path: a standard (non-FIFO) queue, raw S3 event notifications, and
// Temporal being unreachable (the message stays in the queue; nothing is lost).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { Bridge } from '../../src/bridge/consumer';
import { searchSenderSetting } from '../../src/mail/search-sender';
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
const log = pino({ level: 'silent' });
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

function bridgeOn(temporal: Client) {
  const { config } = stack.ctx;
  return new Bridge({
    sqs: stack.ctx.aws.sqs,
    temporal,
    log,
    queueUrl,
    deadLetterQueueUrl,
    taskQueue: config.temporal.taskQueue,
    inbound: { bucket: config.inbound.bucket, prefix: config.inbound.prefix },
    concurrency: 4,
    searchSender: searchSenderSetting(config),
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 30,
  });
}

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

test('with Temporal unreachable the message is not deleted: it comes back, and nothing is started', async () => {
  const id = newId('down');
  const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'stackflow-email-inbox' }, object: { key: `inbound/${id}` } } }] });
  await stack.ctx.aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  // A real client to a port nobody listens on: the start fails as it would with the server down.
  const unreachable = new Client({ connection: await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
  const bridge = bridgeOn(unreachable);
  await runBridgeWhile(bridge, async () => {
    for (let i = 0; i < 100 && bridge.counters.retried === 0; i++) await new Promise((r) => setTimeout(r, 100));
  });
  expect(bridge.counters).toMatchObject({ received: 1, started: 0, retried: 1, deadLettered: 0 });
  // Still in the queue: held while Temporal did not answer, and left visible at once by the bridge that
  // stopped, for the next one (README, "The bridge and the queue").
  const again = await stack.ctx.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 2 }));
  expect(again.Messages?.map((m) => m.Body)).toEqual([body]);
}, 30_000);
