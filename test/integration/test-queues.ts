// A queue of a test's own (with its dead-letter queue and a topic feeding it, as SES's notifications would),
// so that a test can set the redrive policy and run bridges without touching the stack's queue.
import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { AwsClients } from '../../src/aws/clients';
import { ensureQueuePair } from '../../src/aws/provision';
import { Bridge } from '../../src/bridge/consumer';
import { inboundEmailWork } from '../../src/bridge/inbound-work';
import { searchSenderSetting } from '../../src/mail/search-sender';
import type { Deployment } from '../../src/operations/deployment';

export interface TestQueues {
  queueUrl: string;
  deadLetterQueueUrl: string;
  topicArn: string;
  remove(): Promise<void>;
}

export async function createTestQueues(aws: AwsClients, name: string, options: { fifo: boolean; maxReceiveCount: number }): Promise<TestQueues> {
  const suffix = options.fifo ? '.fifo' : '';
  const queues = await ensureQueuePair(aws, { queueName: `${name}${suffix}`, deadLetterQueueName: `${name}-dlq${suffix}`, maxReceiveCount: options.maxReceiveCount });
  const topicArn = (
    await aws.sns.send(new CreateTopicCommand({ Name: `${name}${suffix}`, Attributes: options.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : undefined }))
  ).TopicArn!;
  const queueArn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await aws.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  return {
    ...queues,
    topicArn,
    async remove() {
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queues.queueUrl }));
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queues.deadLetterQueueUrl }));
      await aws.sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    },
  };
}

/** How many messages the queue holds, visible or in flight. */
export async function messagesIn(aws: AwsClients, queueUrl: string): Promise<number> {
  const attributes = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
  const out = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...attributes] }));
  return attributes.reduce((sum, attribute) => sum + Number(out.Attributes?.[attribute] ?? 0), 0);
}

/** A bridge in the test's process on the given queues (short polls, quiet), started with run(). */
export function bridgeOn(ctx: Deployment, temporal: Client, queues: { queueUrl: string; deadLetterQueueUrl: string }): Bridge {
  const { config } = ctx;
  return new Bridge({
    sqs: ctx.aws.sqs,
    temporal,
    log: pino({ level: 'silent' }),
    ...queues,
    work: inboundEmailWork(temporal, { taskQueue: config.temporal.taskQueue, searchSender: searchSenderSetting(config) }, { bucket: config.inbound.bucket, prefix: config.inbound.prefix }),
    concurrency: 4,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 30,
  });
}
