// The bridge keeps running through bad input: a malformed queue message ends in the dead-letter queue
// with its reason, and the next email is still processed.
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { newId, openStack, uniqueEmail } from './helpers';

const stack = openStack();
afterAll(() => stack.ctx.close());

async function findInDeadLetterQueue(marker: string, timeoutMs = 20_000) {
  const { sqs } = stack.ctx.aws;
  const url = stack.ctx.config.inbound.deadLetterQueueUrl;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], VisibilityTimeout: 1 }));
    for (const m of out.Messages ?? []) {
      if (m.Body?.includes(marker)) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
        return m;
      }
    }
  }
  return null;
}

test.each([
  ['not JSON', (marker: string) => `this is not json ${marker}`, 'message body is not JSON'],
  ['JSON of another shape', (marker: string) => JSON.stringify({ hello: marker }), 'neither an SES receipt notification nor an S3 event'],
  [
    'an SES notification with a hostile message id',
    (marker: string) => JSON.stringify({ notificationType: 'Received', mail: { messageId: `../../etc/passwd ${marker}` }, receipt: {} }),
    'invalid mail.messageId',
  ],
])('a malformed queue message (%s) goes to the dead-letter queue and the next email is processed', async (_label, body, reason) => {
  const marker = newId('malformed');
  const queueUrl = stack.ctx.config.inbound.queueUrl;
  await stack.ctx.aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: body(marker),
      ...(queueUrl.endsWith('.fifo') ? { MessageGroupId: marker, MessageDeduplicationId: marker } : {}),
    }),
  );
  const dead = await findInDeadLetterQueue(marker);
  expect(dead).not.toBeNull();
  expect(dead!.MessageAttributes?.reason?.StringValue).toContain(reason);

  const id = newId('after-malformed');
  await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id });
  expect((await stack.settle(id)).stage).toBe('confirmed');
});

test("the seed's SNSAction notification (no object key in it) is read from S3 at prefix + message id", async () => {
  const id = newId('snsaction');
  await stack.deliver(uniqueEmail('plain-text.eml', id, `${id}@customer.example`), { messageId: id, action: 'SNS' });
  expect((await stack.settle(id)).stage).toBe('confirmed');
});
