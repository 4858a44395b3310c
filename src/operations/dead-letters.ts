// The dead-letter queue, for the operator (`dlq list`, `dlq redrive`): what is there and why, and moving
// it back to the inbound queue once the cause is fixed. Each message is sent to the inbound queue first and
// deleted from the dead-letter queue only once that send succeeded: a failure in between leaves a copy in
// both, which is harmless (the second start of the same email is "already started"), never none.
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  Message,
  MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { decodeEnvelope, InboundLocation } from '../bridge/envelope';
import { isFifo } from '../domain/inbound-names';

export interface DeadLetterQueues {
  queueUrl: string;
  deadLetterQueueUrl: string;
  inbound: InboundLocation;
}

export interface DeadLetter {
  messageId: string;
  /** When SQS took the message in (ISO 8601). */
  sentAt: string | null;
  /** The bridge's reason (a malformed message, in the `reason` attribute), else SQS's own redrive. */
  reason: string;
  /** The emails the message names, when it decodes. */
  sesMessageIds: string[];
}

/** The attributes the bridge adds when it dead-letters a message: about its stay in the DLQ, not the message. */
const DEAD_LETTER_NOTES = new Set(['reason', 'sourceMessageId']);
/** Long enough to send and delete a batch; a message not handled by then shows again by itself. */
const IN_HAND_SECONDS = 60;

function describe(message: Message, inbound: InboundLocation): DeadLetter {
  const envelope = decodeEnvelope(message.Body, inbound);
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '',
    sentAt: sent ? new Date(sent).toISOString() : null,
    reason: message.MessageAttributes?.reason?.StringValue ?? 'received maxReceiveCount times without its start succeeding (moved by SQS)',
    sesMessageIds: envelope.kind === 'emails' ? envelope.emails.map((e) => e.notice.sesMessageId) : [],
  };
}

/**
 * Takes the dead-letter queue's messages in batches, up to `max`, handing each batch to `handle`. Only those
 * that were there when it began: a redriven message dead-lettered again meanwhile is left for another run.
 */
async function eachDeadLetter(sqs: SQSClient, queueUrl: string, max: number, handle: (messages: Message[]) => Promise<void>): Promise<void> {
  const began = Date.now();
  const seen = new Set<string>();
  let taken = 0;
  while (taken < max) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - taken),
        // A long poll asks every SQS server; a short one may answer "empty" while messages remain.
        WaitTimeSeconds: 1,
        VisibilityTimeout: IN_HAND_SECONDS,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const received = out.Messages ?? [];
    const mine = received.filter((m) => Number(m.Attributes?.SentTimestamp ?? 0) < began && !seen.has(m.MessageId ?? ''));
    await showAgain(sqs, queueUrl, received.filter((m) => !mine.includes(m)));
    if (mine.length === 0) return;
    for (const m of mine) seen.add(m.MessageId ?? '');
    taken += mine.length;
    await handle(mine);
  }
}

async function showAgain(sqs: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
  for (const m of messages) {
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  }
}

/** What the dead-letter queue holds (up to `max`), left in place. */
export async function listDeadLetters(sqs: SQSClient, queues: DeadLetterQueues, max: number): Promise<DeadLetter[]> {
  const listed: Message[] = [];
  try {
    await eachDeadLetter(sqs, queues.deadLetterQueueUrl, max, async (batch) => void listed.push(...batch));
  } finally {
    // Looking hides nothing: each is visible again at once (it was received only to be read).
    await showAgain(sqs, queues.deadLetterQueueUrl, listed);
  }
  return listed.map((m) => describe(m, queues.inbound));
}

/** Moves up to `max` dead-lettered messages back to the inbound queue; returns what was moved. */
export async function redriveDeadLetters(sqs: SQSClient, queues: DeadLetterQueues, max: number): Promise<DeadLetter[]> {
  const moved: DeadLetter[] = [];
  await eachDeadLetter(sqs, queues.deadLetterQueueUrl, max, async (batch) => {
    for (const message of batch) {
      await sqs.send(backToTheQueue(message, queues.queueUrl));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queues.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle }));
      moved.push(describe(message, queues.inbound));
    }
  });
  return moved;
}

function backToTheQueue(message: Message, queueUrl: string): SendMessageCommand {
  const attributes: Record<string, MessageAttributeValue> = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).filter(([name]) => !DEAD_LETTER_NOTES.has(name)),
  );
  return new SendMessageCommand({
    QueueUrl: queueUrl,
    MessageBody: message.Body,
    MessageAttributes: Object.keys(attributes).length ? attributes : undefined,
    ...(isFifo(queueUrl)
      ? {
          MessageGroupId: message.Attributes?.MessageGroupId ?? message.MessageId,
          // A new id each time: the original's would be dropped as a duplicate within SQS's 5-minute window
          // after its first send, and a message redriven twice would be dropped the second time.
          MessageDeduplicationId: randomUUID(),
        }
      : {}),
  });
}
