// Creates what the seed document names, idempotently: the inbound bucket, the SNS topic, the SQS
// queue subscribed to it with a dead-letter queue, the routing-rule table, the SES identity and
// confirmation template, and the receipt rule set stackflow-inbound with rule inbound-to-ticket.
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  CreateTemplateCommand,
  DescribeReceiptRuleSetCommand,
  ReceiptAction,
  SetActiveReceiptRuleSetCommand,
  UpdateReceiptRuleCommand,
  UpdateTemplateCommand,
  VerifyDomainIdentityCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { AwsClients } from './clients';
import { CONFIRMATION_TEMPLATE_PARTS } from './confirmation-template';

export const RECEIPT_RULE_SET = 'stackflow-inbound';
export const RECEIPT_RULE = 'inbound-to-ticket';

export interface ProvisionSpec extends QueuePairSpec {
  bucket: string;
  prefix: string;
  topicName: string;
  routingRuleTable: string;
  parsingRuleTable: string;
  ticketAddress: string;
  confirmationTemplate: string;
  /** 'safe': one S3Action whose TopicArn publishes a content-free notification (no 150 KB limit).
   *  'seed': the seed's S3Action + SNSAction (SES bounces mail over 150 KB on the SNSAction). */
  receiptRuleShape: 'safe' | 'seed';
}

export interface Provisioned {
  topicArn: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
}

const fifo = (name: string) => name.endsWith('.fifo');

async function ensureBucket(aws: AwsClients, bucket: string): Promise<void> {
  try {
    await aws.s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function queueArn(aws: AwsClients, queueUrl: string): Promise<string> {
  const out = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return out.Attributes!.QueueArn!;
}

export interface QueuePairSpec {
  queueName: string;
  deadLetterQueueName: string;
  /** How many receives before SQS itself moves a message that keeps failing to the dead-letter queue. */
  maxReceiveCount: number;
}

/** The queue and its dead-letter queue, with the redrive policy between them (set again on each run). */
export async function ensureQueuePair(aws: AwsClients, spec: QueuePairSpec): Promise<{ queueUrl: string; deadLetterQueueUrl: string }> {
  const fifoAttributes = (name: string): Record<string, string> =>
    // Deduplication by content would drop two identical emails; the SNS FIFO topic passes an id per email.
    fifo(name) ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {};
  const dlq = await aws.sqs.send(
    new CreateQueueCommand({
      QueueName: spec.deadLetterQueueName,
      Attributes: { ...fifoAttributes(spec.deadLetterQueueName), MessageRetentionPeriod: '1209600' },
    }),
  );
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const queue = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: spec.queueName, Attributes: { ...fifoAttributes(spec.queueName), VisibilityTimeout: '60' } }),
  );
  const queueUrl = queue.QueueUrl!;
  await aws.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(aws, deadLetterQueueUrl), maxReceiveCount: spec.maxReceiveCount }) },
    }),
  );
  return { queueUrl, deadLetterQueueUrl };
}

async function ensureQueues(aws: AwsClients, spec: ProvisionSpec, topicArn: string) {
  const { queueUrl, deadLetterQueueUrl } = await ensureQueuePair(aws, spec);
  const arn = await queueArn(aws, queueUrl);
  await aws.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: {
        // On real AWS the topic may only deliver to the queue when the queue's policy allows it.
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: arn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  const subscriptions = await aws.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
  if (!subscriptions.Subscriptions?.some((s) => s.Protocol === 'sqs' && s.Endpoint === arn)) {
    await aws.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
  }
  return { queueUrl, deadLetterQueueUrl };
}

/** A rule table (routing or parsing rules): items keyed by ruleId. */
async function ensureRuleTable(aws: AwsClients, table: string): Promise<void> {
  try {
    await aws.dynamo.send(new DescribeTableCommand({ TableName: table }));
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
    await aws.dynamo.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'ruleId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'ruleId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
}

async function ensureTemplate(aws: AwsClients, name: string): Promise<void> {
  const template = { TemplateName: name, ...CONFIRMATION_TEMPLATE_PARTS };
  try {
    await aws.ses.send(new CreateTemplateCommand({ Template: template }));
  } catch (err) {
    if ((err as Error).name !== 'AlreadyExistsException') throw err;
    await aws.ses.send(new UpdateTemplateCommand({ Template: template }));
  }
}

async function ensureReceiptRule(aws: AwsClients, spec: ProvisionSpec, topicArn: string): Promise<void> {
  const actions: ReceiptAction[] =
    spec.receiptRuleShape === 'safe'
      ? [{ S3Action: { BucketName: spec.bucket, ObjectKeyPrefix: spec.prefix, TopicArn: topicArn } }]
      : [{ S3Action: { BucketName: spec.bucket, ObjectKeyPrefix: spec.prefix } }, { SNSAction: { TopicArn: topicArn, Encoding: 'UTF-8' } }];
  const rule = { Name: RECEIPT_RULE, Recipients: [spec.ticketAddress], Actions: actions, Enabled: true, ScanEnabled: true };
  let existing;
  try {
    existing = await aws.ses.send(new DescribeReceiptRuleSetCommand({ RuleSetName: RECEIPT_RULE_SET }));
  } catch {
    await aws.ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: RECEIPT_RULE_SET }));
  }
  if (existing?.Rules?.some((r) => r.Name === RECEIPT_RULE)) {
    await aws.ses.send(new UpdateReceiptRuleCommand({ RuleSetName: RECEIPT_RULE_SET, Rule: rule }));
  } else {
    await aws.ses.send(new CreateReceiptRuleCommand({ RuleSetName: RECEIPT_RULE_SET, Rule: rule }));
  }
  await aws.ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: RECEIPT_RULE_SET }));
}

export async function provisionAws(aws: AwsClients, spec: ProvisionSpec): Promise<Provisioned> {
  if (fifo(spec.queueName) !== fifo(spec.topicName)) {
    // AWS (and the emulator) refuse it: an SQS FIFO queue subscribes only to an SNS FIFO topic.
    throw new Error(`Queue ${spec.queueName} and topic ${spec.topicName} must both be FIFO or both standard`);
  }
  await ensureBucket(aws, spec.bucket);
  const topic = await aws.sns.send(
    new CreateTopicCommand({
      Name: spec.topicName,
      Attributes: fifo(spec.topicName) ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : undefined,
    }),
  );
  const topicArn = topic.TopicArn!;
  const queues = await ensureQueues(aws, spec, topicArn);
  await ensureRuleTable(aws, spec.routingRuleTable);
  await ensureRuleTable(aws, spec.parsingRuleTable);
  await aws.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: spec.ticketAddress }));
  await aws.ses.send(new VerifyDomainIdentityCommand({ Domain: spec.ticketAddress.split('@')[1] }));
  await ensureTemplate(aws, spec.confirmationTemplate);
  await ensureReceiptRule(aws, spec, topicArn);
  return { topicArn, ...queues };
}
