// `setup` as a first-time deployer runs it, against the test stack's moto in regions the stack does not
// use (each region has its own SES rule sets, topics and queues there): FIFO names refused before
// anything exists, the bucket made in the region with SES's put policy, an active rule set kept (our
// rule added to it), a rule set activated only on request, and the DNS records with moto's tokens.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetBucketLocationCommand, GetBucketPolicyCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  DescribeActiveReceiptRuleSetCommand,
  DescribeConfigurationSetCommand,
  DescribeReceiptRuleSetCommand,
  SetActiveReceiptRuleSetCommand,
  VerifyDomainDkimCommand,
  VerifyDomainIdentityCommand,
} from '@aws-sdk/client-ses';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../src/aws/clients';
import { newId, openStack } from './helpers';
import { TEST_STACK_ENV } from './stack-env';

const CLI = join(__dirname, '..', '..', 'bin', 'email-to-ticket.js');
const stack = openStack();
const aws = (region: string) => createAwsClients({ region, endpoint: stack.ctx.config.aws.endpoint });

/** `setup` for a new deployment: its own region, bucket and ticket domain. */
function setup(deployment: { region: string; bucket: string; domain: string }, ...args: string[]) {
  const env = { ...process.env, ...TEST_STACK_ENV, AWS_REGION: deployment.region, INBOUND_BUCKET: deployment.bucket, TICKET_ADDRESS: `tickets@${deployment.domain}` };
  return promisify(execFile)(process.execPath, [CLI, 'setup', '--skip-search-attributes', ...args], { env });
}

const deployment = (region: string) => {
  const id = newId('setup').toLowerCase();
  return { region, bucket: `inbox-${id}`, domain: `${id}.example.com`, id };
};

async function activeRuleSet(region: string) {
  const out = await aws(region).ses.send(new DescribeActiveReceiptRuleSetCommand({}));
  return { name: out.Metadata?.Name, rules: (out.Rules ?? []).map((r) => r.Name) };
}

/** Someone else's mail in the region: an active rule set with a rule of its own. */
async function othersActiveRuleSet(region: string, name: string) {
  const ses = aws(region).ses;
  await ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: name }));
  await ses.send(new CreateReceiptRuleCommand({ RuleSetName: name, Rule: { Name: 'company-inbox', Recipients: ['company.example'], Enabled: true, Actions: [] } }));
  await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: name }));
}

afterAll(() => stack.ctx.close());

test('FIFO names where SES publishes: refused, naming the option, and nothing is created', async () => {
  const d = deployment('us-west-2');
  const refused = setup(d, '--topic', `${d.id}.fifo`, '--queue', `${d.id}-q.fifo`, '--dead-letter-queue', `${d.id}-dlq.fifo`);
  await expect(refused).rejects.toMatchObject({ stderr: expect.stringContaining(`--topic "${d.id}.fifo" is a FIFO topic, and SES receipt rules publish only to standard SNS topics`) });
  await expect(refused).rejects.toMatchObject({ stderr: expect.stringContaining('or --no-receipt-rule if SES is not to publish to it') });
  await expect(aws(d.region).s3.send(new HeadBucketCommand({ Bucket: d.bucket }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  const topics = await aws(d.region).sns.send(new ListTopicsCommand({}));
  expect((topics.Topics ?? []).filter((t) => t.TopicArn!.includes(d.id))).toEqual([]);
});

test("eu-west-1 with a rule set already active: bucket in the region with SES's put policy, our rule added to that set, which stays active; the DNS records", async () => {
  const d = deployment('eu-west-1');
  const others = `company-mail-${d.id}`;
  await othersActiveRuleSet(d.region, others);

  const out = JSON.parse((await setup(d, '--json')).stdout);
  expect(out.topicArn).toBe('arn:aws:sns:eu-west-1:123456789012:stackflow-inbound-email');
  expect(out.queueUrl).toMatch(/\/StackFlow-Events-Ingestion$/);
  expect(out.deadLetterQueueUrl).toMatch(/\/StackFlow-Events-Ingestion-DLQ$/);
  expect(out.receiptRule).toMatchObject({ ruleSet: others, rule: 'inbound-to-ticket', change: 'created', ruleSetCreated: false, activated: false, active: true });

  const s3 = aws(d.region).s3;
  expect((await s3.send(new GetBucketLocationCommand({ Bucket: d.bucket }))).LocationConstraint).toBe('eu-west-1');
  const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: d.bucket }))).Policy!);
  expect(policy.Statement).toEqual([
    expect.objectContaining({
      Sid: 'AllowSESPuts',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${d.bucket}/*`,
      Condition: {
        StringEquals: {
          'AWS:SourceAccount': '123456789012',
          'AWS:SourceArn': `arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/${others}:receipt-rule/inbound-to-ticket`,
        },
      },
    }),
  ]);
  expect(await activeRuleSet(d.region)).toEqual({ name: others, rules: ['company-inbox', 'inbound-to-ticket'] });
  const ours = (await aws(d.region).ses.send(new DescribeReceiptRuleSetCommand({ RuleSetName: others }))).Rules!.find((r) => r.Name === 'inbound-to-ticket')!;
  expect(ours).toMatchObject({ Recipients: [`tickets@${d.domain}`], Actions: [{ S3Action: { BucketName: d.bucket, ObjectKeyPrefix: 'inbound/', TopicArn: out.topicArn } }] });

  // The tokens are what SES returns for the domain (moto's fixed ones), not made up by us.
  const ses = aws(d.region).ses;
  const verification = (await ses.send(new VerifyDomainIdentityCommand({ Domain: d.domain }))).VerificationToken;
  const dkim = (await ses.send(new VerifyDomainDkimCommand({ Domain: d.domain }))).DkimTokens!;
  expect(dkim).toHaveLength(3);
  expect(out.dnsRecords.map(({ type, name, value, priority }: Record<string, unknown>) => ({ type, name, value, priority }))).toEqual([
    { type: 'MX', name: d.domain, value: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 },
    { type: 'TXT', name: `_amazonses.${d.domain}`, value: verification, priority: undefined },
    ...dkim.map((token) => ({ type: 'CNAME', name: `${token}._domainkey.${d.domain}`, value: `${token}.dkim.amazonses.com`, priority: undefined })),
  ]);

  // Run again: the rule is updated in place, nothing added, the same set still active.
  const again = JSON.parse((await setup(d, '--json')).stdout);
  expect(again.receiptRule).toMatchObject({ ruleSet: others, change: 'updated', activated: false, active: true });
  expect(await activeRuleSet(d.region)).toEqual({ name: others, rules: ['company-inbox', 'inbound-to-ticket'] });
  expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: d.bucket }))).Policy!).Statement).toHaveLength(1);
});

test('a named rule set is made active only with --activate-rule-set, which says what it replaced', async () => {
  const d = deployment('ap-southeast-2');
  const others = `company-mail-${d.id}`;
  const tickets = `tickets-${d.id}`;
  await othersActiveRuleSet(d.region, others);

  const first = await setup(d, '--rule-set', tickets);
  expect(first.stdout).toContain(`receipt rule inbound-to-ticket created in rule set ${tickets} (new): NOT active`);
  expect(first.stdout).toContain(`note: rule set ${tickets} is not active (${others} is)`);
  expect(first.stdout).toMatch(new RegExp(`^MX\\s+${d.domain.replace(/\./g, '\\.')}\\s+10 inbound-smtp\\.ap-southeast-2\\.amazonaws\\.com$`, 'm'));
  expect((await activeRuleSet(d.region)).name).toBe(others);

  const activated = JSON.parse((await setup(d, '--rule-set', tickets, '--activate-rule-set', '--json')).stdout);
  expect(activated.receiptRule).toMatchObject({ ruleSet: tickets, change: 'updated', activated: true, active: true });
  expect(activated.notes).toContain(`rule set ${tickets} replaces ${others} as the region's active rule set: the rules of ${others} no longer apply`);
  expect(await activeRuleSet(d.region)).toEqual({ name: tickets, rules: ['inbound-to-ticket'] });
});

test('the delivery feedback: the configuration set publishes its events to a topic only SES may publish to, and a queue pair reads it; a re-run changes nothing', async () => {
  const d = deployment('ap-southeast-2');
  const out = JSON.parse((await setup(d, '--json', '--no-receipt-rule')).stdout);
  expect(out.deliveryEvents).toEqual({
    configurationSet: 'email-to-ticket',
    topicArn: 'arn:aws:sns:ap-southeast-2:123456789012:stackflow-delivery-events',
    queueUrl: expect.stringMatching(/\/stackflow-delivery-events$/),
    deadLetterQueueUrl: expect.stringMatching(/\/stackflow-delivery-events-dlq$/),
  });
  const region = aws(d.region);
  const set = await region.ses.send(new DescribeConfigurationSetCommand({ ConfigurationSetName: 'email-to-ticket', ConfigurationSetAttributeNames: ['eventDestinations'] }));
  expect(set.EventDestinations).toEqual([
    expect.objectContaining({ Enabled: true, MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint'], SNSDestination: { TopicARN: out.deliveryEvents.topicArn } }),
  ]);
  const policy = JSON.parse((await region.sns.send(new GetTopicAttributesCommand({ TopicArn: out.deliveryEvents.topicArn }))).Attributes!.Policy!);
  expect(policy.Statement).toEqual([
    expect.objectContaining({
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' }, StringLike: { 'AWS:SourceArn': 'arn:aws:ses:*:123456789012:configuration-set/email-to-ticket' } },
    }),
  ]);
  const subscriptions = await region.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: out.deliveryEvents.topicArn }));
  expect(subscriptions.Subscriptions).toEqual([expect.objectContaining({ Protocol: 'sqs', Endpoint: 'arn:aws:sqs:ap-southeast-2:123456789012:stackflow-delivery-events' })]);
  // Idempotent: the destination exists already and is left as it is.
  expect(JSON.parse((await setup(d, '--json', '--no-receipt-rule')).stdout).deliveryEvents).toEqual(out.deliveryEvents);
  const unchanged = await region.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: out.deliveryEvents.topicArn }));
  expect(unchanged.Subscriptions).toHaveLength(1);
});
