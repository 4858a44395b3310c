// Creates what the seed document names, idempotently: the inbound bucket (in the region, with the
// policy letting SES store mail), the SNS topic, the SQS queue subscribed to it with a dead-letter
// queue, the rule tables, the SES domain identity with DKIM, the confirmation template, and the
// receipt rule inbound-to-ticket, added to the region's active rule set (never replacing it unless
// asked), and the delivery feedback: the configuration set, whose events go to the topic
// stackflow-delivery-events and its own queue. Returns what the deployer needs next: the DNS records.
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  CreateTemplateCommand,
  DescribeConfigurationSetCommand,
  EventType,
  ReceiptAction,
  UpdateConfigurationSetEventDestinationCommand,
  UpdateTemplateCommand,
} from '@aws-sdk/client-ses';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SetTopicAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { inboundNameProblems, isFifo, NameLabels } from '../domain/inbound-names';
import { DnsRecord, mailDnsRecords, mailDomain, SES_RECEIVING_REGIONS } from '../domain/mail-dns-records';
import { placeReceiptRule } from '../domain/receipt-rule-placement';
import { AwsClients } from './clients';
import { DELIVERY_EVENTS } from './delivery-event-names';
import { CONFIRMATION_TEMPLATE_PARTS } from './confirmation-template';
import { verifyDomain } from './domain-identity';
import { allowSesPuts, ensureBucket } from './inbound-bucket';
import { activeRuleSet, putReceiptRule, RECEIPT_RULE, ReceiptRuleOutcome } from './receipt-rule';
import { arnAccount } from './ses-bucket-policy';

export interface ReceiptRuleRequest {
  /** 'safe': one S3Action whose TopicArn publishes a content-free notification (no 150 KB limit).
   *  'seed': the seed's S3Action + SNSAction (SES bounces mail over 150 KB on the SNSAction). */
  shape: 'safe' | 'seed';
  /** The rule set to add the rule to; unset: the region's active one (stackflow-inbound when none is). */
  ruleSet?: string;
  /** Make that rule set the region's active one, replacing the active one (`--activate-rule-set`). */
  activate: boolean;
}

export interface ProvisionSpec extends QueuePairSpec {
  region: string;
  bucket: string;
  prefix: string;
  topicName: string;
  routingRuleTable: string;
  parsingRuleTable: string;
  ticketAddress: string;
  confirmationTemplate: string;
  /** The receipt rule to create, or 'none' when SES is wired by other means (then nothing publishes
   *  to the topic through SES, and a FIFO topic is accepted). */
  receiptRule: ReceiptRuleRequest | 'none';
  /** The emulator (moto) accepts a receipt rule publishing to a FIFO topic, which AWS does not: only
   *  the local stack sets this, to keep the seed's FIFO queue. */
  emulatorAcceptsFifoTopic?: boolean;
  /** How the names were given, for the errors (e.g. setup's options). */
  nameLabels?: NameLabels;
  receiptRuleOptOut?: string;
  /** The configuration set outbound mail goes through (SES_CONFIGURATION_SET); null: no delivery feedback. */
  configurationSet: string | null;
}


export interface DeliveryEventsProvisioned {
  configurationSet: string;
  topicArn: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
}

export interface Provisioned {
  topicArn: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  receiptRule: ReceiptRuleOutcome | null;
  /** Where the configuration set's events arrive (DELIVERY_EVENTS_QUEUE_URL), when it has one. */
  deliveryEvents: DeliveryEventsProvisioned | null;
  /** The records to create in the domain's DNS (MX, verification TXT, DKIM CNAMEs). */
  dnsRecords: DnsRecord[];
  /** What the deployer should know (a region that may not receive mail, a rule set not active). */
  notes: string[];
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
    isFifo(name) ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {};
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

/** A queue pair subscribed to the topic, with the queue policy that lets the topic deliver. */
async function ensureQueues(aws: AwsClients, spec: QueuePairSpec, topicArn: string) {
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

function receiptActions(spec: ProvisionSpec, shape: ReceiptRuleRequest['shape'], topicArn: string): ReceiptAction[] {
  return shape === 'safe'
    ? [{ S3Action: { BucketName: spec.bucket, ObjectKeyPrefix: spec.prefix, TopicArn: topicArn } }]
    : [{ S3Action: { BucketName: spec.bucket, ObjectKeyPrefix: spec.prefix } }, { SNSAction: { TopicArn: topicArn, Encoding: 'UTF-8' } }];
}

/**
 * The configuration set and its event destination: send, delivery, bounce and complaint events to a
 * standard topic (SES publishes to no FIFO topic), which only SES may publish to, and its queue pair.
 */
async function ensureDeliveryEvents(aws: AwsClients, configurationSet: string, maxReceiveCount: number): Promise<DeliveryEventsProvisioned> {
  const topicArn = (await aws.sns.send(new CreateTopicCommand({ Name: DELIVERY_EVENTS.topicName }))).TopicArn!;
  const { account, partition } = arnAccount(topicArn);
  await aws.sns.send(
    new SetTopicAttributesCommand({
      TopicArn: topicArn,
      AttributeName: 'Policy',
      AttributeValue: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: { StringEquals: { 'AWS:SourceAccount': account }, StringLike: { 'AWS:SourceArn': `arn:${partition}:ses:*:${account}:configuration-set/${configurationSet}` } },
          },
        ],
      }),
    }),
  );
  const queues = await ensureQueues(aws, { queueName: DELIVERY_EVENTS.queueName, deadLetterQueueName: DELIVERY_EVENTS.deadLetterQueueName, maxReceiveCount }, topicArn);
  try {
    await aws.ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: configurationSet } }));
  } catch (err) {
    if ((err as Error).name !== 'ConfigurationSetAlreadyExistsException' && (err as Error).name !== 'ConfigurationSetAlreadyExists') throw err;
  }
  const destination = {
    Name: `${configurationSet}-delivery-events`,
    Enabled: true,
    MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint'] as EventType[],
    SNSDestination: { TopicARN: topicArn },
  };
  const existing = (
    await aws.ses.send(new DescribeConfigurationSetCommand({ ConfigurationSetName: configurationSet, ConfigurationSetAttributeNames: ['eventDestinations'] }))
  ).EventDestinations?.find((d) => d?.Name === destination.Name);
  if (!existing) {
    await aws.ses.send(new CreateConfigurationSetEventDestinationCommand({ ConfigurationSetName: configurationSet, EventDestination: destination }));
  } else if (existing.SNSDestination?.TopicARN !== topicArn || !existing.Enabled || destination.MatchingEventTypes.some((t) => !existing.MatchingEventTypes?.includes(t))) {
    await aws.ses.send(new UpdateConfigurationSetEventDestinationCommand({ ConfigurationSetName: configurationSet, EventDestination: destination }));
  }
  return { configurationSet, topicArn, ...queues };
}

export async function provisionAws(aws: AwsClients, spec: ProvisionSpec): Promise<Provisioned> {
  const request = spec.receiptRule === 'none' ? undefined : spec.receiptRule;
  const problems = inboundNameProblems(spec, {
    fifoTopicAllowed: !request || Boolean(spec.emulatorAcceptsFifoTopic),
    labels: spec.nameLabels,
    receiptRuleOptOut: spec.receiptRuleOptOut,
  });
  if (problems.length > 0) throw new Error(`Nothing was created: ${problems.join('; ')}`);
  const domain = mailDomain(spec.ticketAddress);
  const notes: string[] = [];
  if (request && !SES_RECEIVING_REGIONS.includes(spec.region)) {
    notes.push(`${spec.region} was not among the regions where SES receives email (${SES_RECEIVING_REGIONS.join(', ')}) when this version was made: the MX record works only if SES receives there now`);
  }
  // Decided before anything is created: it is also the call that fails where SES receives no mail.
  const placement = request && placeReceiptRule({ active: await activeRuleSet(aws), requested: request.ruleSet, activate: request.activate });

  const topic = await aws.sns.send(
    new CreateTopicCommand({
      Name: spec.topicName,
      Attributes: isFifo(spec.topicName) ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : undefined,
    }),
  );
  const topicArn = topic.TopicArn!;
  await ensureBucket(aws, spec.bucket, spec.region);
  if (placement) await allowSesPuts(aws, { ...arnAccount(topicArn), region: spec.region, bucket: spec.bucket, ruleSet: placement.ruleSet, rule: RECEIPT_RULE });
  const queues = await ensureQueues(aws, spec, topicArn);
  await ensureRuleTable(aws, spec.routingRuleTable);
  await ensureRuleTable(aws, spec.parsingRuleTable);
  const tokens = await verifyDomain(aws, domain, spec.region);
  await ensureTemplate(aws, spec.confirmationTemplate);
  const deliveryEvents = spec.configurationSet ? await ensureDeliveryEvents(aws, spec.configurationSet, spec.maxReceiveCount) : null;
  const receiptRule =
    request && placement
      ? await putReceiptRule(aws, placement, {
          Name: RECEIPT_RULE,
          Recipients: [spec.ticketAddress],
          Actions: receiptActions(spec, request.shape, topicArn),
          Enabled: true,
          ScanEnabled: true,
        })
      : null;
  return { topicArn, ...queues, receiptRule, deliveryEvents, dnsRecords: mailDnsRecords(tokens), notes: [...notes, ...(receiptRule?.notes ?? [])] };
}
