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
  const queueProps = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: RETENTION };
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', { ...queueProps, queueName: 'StackFlow-Events-Ingestion-DLQ' });
  const queue = new sqs.Queue(scope, 'InboundQueue', {
    ...queueProps,
    queueName: 'StackFlow-Events-Ingestion',
    // As `setup` makes it; the bridge sets its own timeout on each receive (BRIDGE_VISIBILITY_TIMEOUT_SECONDS).
    visibilityTimeout: Duration.seconds(60),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
  // Also writes the queue policy: sns.amazonaws.com may send, only from this topic.
  topic.addSubscription(new subscriptions.SqsSubscription(queue, { rawMessageDelivery: false }));
  return { topic, queue, deadLetterQueue };
}
