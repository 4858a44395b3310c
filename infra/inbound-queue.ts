// The receipt notification's way to the bridge: the SES S3 action publishes to a standard SNS topic
// (SES cannot publish to a FIFO topic), a standard queue subscribed to it, and its dead-letter queue.
// The bridge reads either the SNS envelope or raw delivery (src/bridge/envelope.ts); the envelope is
// kept, as on the local stack, so that an SNS subscription confirmation is recognised and ignored.
import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { InfraSettings } from './settings';

export interface InboundQueue {
  topic: sns.Topic;
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
}

// The longest SQS keeps a message: a bridge that is down for days loses nothing.
const RETENTION = Duration.days(14);

export function inboundQueue(scope: Construct, settings: InfraSettings): InboundQueue {
  const topic = new sns.Topic(scope, 'InboundTopic', { topicName: 'stackflow-inbound-email' });
  const ids = { queue: 'InboundQueue', deadLetterQueue: 'DeadLetterQueue' };
  return { topic, ...subscribedQueuePair(scope, topic, ids, { queueName: 'StackFlow-Events-Ingestion', deadLetterQueueName: 'StackFlow-Events-Ingestion-DLQ' }, settings) };
}

/** A queue the bridge reads, subscribed to the topic, with its dead-letter queue: as `setup` makes them. */
export function subscribedQueuePair(
  scope: Construct,
  topic: sns.Topic,
  ids: { queue: string; deadLetterQueue: string },
  names: { queueName: string; deadLetterQueueName: string },
  settings: InfraSettings,
): { queue: sqs.Queue; deadLetterQueue: sqs.Queue } {
  const queueProps = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: RETENTION };
  const deadLetterQueue = new sqs.Queue(scope, ids.deadLetterQueue, { ...queueProps, queueName: names.deadLetterQueueName });
  const queue = new sqs.Queue(scope, ids.queue, {
    ...queueProps,
    queueName: names.queueName,
    // The bridge sets its own timeout on each receive (BRIDGE_VISIBILITY_TIMEOUT_SECONDS).
    visibilityTimeout: Duration.seconds(60),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
  // Also writes the queue policy: sns.amazonaws.com may send, only from this topic.
  topic.addSubscription(new subscriptions.SqsSubscription(queue, { rawMessageDelivery: false }));
  return { queue, deadLetterQueue };
}
