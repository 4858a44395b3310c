// The CDK app (infra/): synthesised offline and its CloudFormation template asserted — what SES may
// write, what each process may do, what is created and what is only added to — and linted by cfn-lint.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EmailToTicketStack } from '../../infra/email-to-ticket-stack';
import { infraSettings } from '../../infra/settings';
import { CONFIRMATION_TEMPLATE_PARTS } from '../../src/aws/confirmation-template';

const REQUIRED = { ticketAddress: 'support@example.com', ruleSetName: 'main-inbound' };

function synth(context: Record<string, unknown> = {}): Template {
  const app = new App({ context: { ...REQUIRED, ...context } });
  return Template.fromStack(new EmailToTicketStack(app, 'EmailToTicket', infraSettings(app.node)));
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown>; Principal?: unknown };
const actionsOf = (s: Statement) => [s.Action].flat();

/** The statements of the policies attached to the role whose description starts with `name`. */
function roleStatements(template: Template, name: string): Statement[] {
  const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, r]) => String(r.Properties.Description).startsWith(name));
  expect(roles).toHaveLength(1);
  const [roleId] = roles[0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const grants = (statements: Statement[]) => Object.fromEntries(statements.map((s) => [s.Sid, actionsOf(s).sort()]));

describe('the CDK app, with the defaults', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  test('the inbound bucket is private, encrypted, TLS-only, and raw mail expires after 90 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: Match.arrayWith([{ Id: 'expire-raw-mail', Prefix: 'inbound/', ExpirationInDays: 90, Status: 'Enabled' }]) },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('SES may put objects under the inbound prefix only, for this account and this receipt rule only', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const allows = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]).filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [ses] = allows;
    expect(ses.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    expect(ses.Action).toBe('s3:PutObject');
    expect(JSON.stringify(ses.Resource)).toMatch(/"\/inbound\/\*"/);
    const condition = ses.Condition!.StringEquals as Record<string, unknown>;
    expect(condition['AWS:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(condition['AWS:SourceArn'])).toContain(':receipt-rule-set/main-inbound:receipt-rule/inbound-to-ticket');
  });

  test('standard topics and queues (SES cannot publish to FIFO), the SNS envelope kept, a dead-letter queue after 10 receives', () => {
    // The inbound queue and the delivery-events queue, each with its dead-letter queue.
    template.resourceCountIs('AWS::SQS::Queue', 4);
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue'))) {
      expect(queue.Properties.FifoQueue).toBeUndefined();
      expect(queue.Properties.QueueName).not.toMatch(/\.fifo$/);
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    }
    for (const topic of Object.values(template.findResources('AWS::SNS::Topic'))) expect(topic.Properties.FifoTopic).toBeUndefined();
    const queues = template.findResources('AWS::SQS::Queue');
    const topics = template.findResources('AWS::SNS::Topic');
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'));
    expect(subscriptions).toHaveLength(2);
    for (const [topic, queue, dlq] of [
      ['stackflow-inbound-email', 'StackFlow-Events-Ingestion', 'StackFlow-Events-Ingestion-DLQ'],
      ['stackflow-delivery-events', 'stackflow-delivery-events', 'stackflow-delivery-events-dlq'],
    ]) {
      const idOf = (resources: Record<string, any>, key: string, name: string) => Object.keys(resources).find((id) => resources[id].Properties[key] === name)!;
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [idOf(queues, 'QueueName', dlq), 'Arn'] }, maxReceiveCount: 10 },
      });
      const subscription = subscriptions.find((s) => s.Properties.TopicArn.Ref === idOf(topics, 'TopicName', topic))!;
      expect(subscription.Properties).toMatchObject({ Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': [idOf(queues, 'QueueName', queue), 'Arn'] } });
      expect(subscription.Properties.RawMessageDelivery).toBeFalsy();
    }
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } } }),
        ]),
      },
    });
  });

  test('the routing-rule and parsing-rule tables, keyed by ruleId as setup makes them', () => {
    for (const name of ['StackFlow_EmailRoutingRule', 'StackFlow_EmailParsingRule']) {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: name,
        KeySchema: [{ AttributeName: 'ruleId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'ruleId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
    }
  });

  test('the receipt rule is added to the named rule set, which is neither created nor activated', () => {
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    const rules = template.findResources('AWS::SES::ReceiptRule');
    expect(Object.values(rules)).toHaveLength(1);
    const [rule] = Object.values(rules);
    expect(rule.Properties.RuleSetName).toBe('main-inbound');
    const { Actions, ...rest } = rule.Properties.Rule;
    expect(rest).toEqual({ Name: 'inbound-to-ticket', Enabled: true, Recipients: ['support@example.com'], ScanEnabled: true, TlsPolicy: 'Require' });
    // One S3 action that also notifies (setup's 'safe' shape): no SNS action and its 150 KB limit.
    expect(Actions).toEqual([
      { S3Action: { BucketName: { Ref: expect.stringMatching(/^InboundBucket/) }, ObjectKeyPrefix: 'inbound/', TopicArn: { Ref: expect.stringMatching(/^InboundTopic/) } } },
    ]);
    // SES checks its permission on the bucket when the rule is created.
    const bucketPolicyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];
    expect(rule.DependsOn).toContain(bucketPolicyId);
  });

  test('the configuration set publishes send, delivery, bounce and complaint events to its topic; the confirmation template is the one setup stores', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'email-to-ticket' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: Match.anyValue(),
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['send', 'delivery', 'bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp('^DeliveryEventsTopic') } },
      },
    });
    template.hasResourceProperties('AWS::SES::Template', {
      Template: {
        TemplateName: 'email_to_ticket_confirmation',
        SubjectPart: CONFIRMATION_TEMPLATE_PARTS.SubjectPart,
        TextPart: CONFIRMATION_TEMPLATE_PARTS.TextPart,
        HtmlPart: CONFIRMATION_TEMPLATE_PARTS.HtmlPart,
      },
    });
  });

  test('each process role grants exactly the actions its code calls, none by wildcard', () => {
    const worker = roleStatements(template, 'email-to-ticket worker');
    const bridge = roleStatements(template, 'email-to-ticket bridge');
    const web = roleStatements(template, 'email-to-ticket admin page');
    expect(grants(worker)).toEqual({
      ReadMail: ['s3:GetObject'],
      TellMissingMail: ['s3:ListBucket'],
      StoreParses: ['s3:PutObject'],
      ReadRules: ['dynamodb:Scan'],
      SendAsTicketAddress: ['ses:SendRawEmail'],
      ReadConfirmationTemplate: ['ses:GetTemplate'],
    });
    expect(grants(bridge)).toEqual({
      ConsumeQueues: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
      DeadLetterMalformed: ['sqs:SendMessage'],
    });
    expect(grants(web)).toEqual({ EditRules: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Scan'], ReadParses: ['s3:GetObject'] });
    for (const s of [...worker, ...bridge, ...web]) {
      expect(s.Effect).toBe('Allow');
      for (const action of actionsOf(s)) expect(action).not.toContain('*');
      // Every resource named, except for the one action SES offers no resource-level permission for.
      if (s.Sid !== 'ReadConfirmationTemplate') expect(JSON.stringify(s.Resource)).not.toMatch(/"\*"/);
    }
    const resources = (sid: string) => JSON.stringify(worker.find((s) => s.Sid === sid)!.Resource);
    expect(resources('ReadMail')).toMatch(/\/inbound\/\*".*\/parsed\/\*"/);
    expect(resources('StoreParses')).toMatch(/\/parsed\/\*"/);
    expect(resources('StoreParses')).not.toMatch(/inbound/);
    const webReads = JSON.stringify(web.find((s) => s.Sid === 'ReadParses')!.Resource);
    expect(webReads).toMatch(/\/parsed\/\*"/);
    expect(webReads).not.toMatch(/inbound/);
    const send = worker.find((s) => s.Sid === 'SendAsTicketAddress')!;
    expect(send.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'support@example.com' } });
    expect(resources('SendAsTicketAddress')).toMatch(/:identity\/support@example.com".*:identity\/example.com".*:configuration-set\/email-to-ticket"/);
  });

  test('cfn-lint finds nothing in the template', () => {
    const cfnLint = resolve(__dirname, '..', '..', '.venv', 'bin', 'cfn-lint');
    if (!existsSync(cfnLint)) {
      console.warn(`cfn-lint not run: ${cfnLint} is missing (npm run pretest installs src/stack/requirements.txt)`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'infra-'));
    try {
      const file = join(dir, 'EmailToTicket.template.json');
      writeFileSync(file, JSON.stringify(template.toJSON(), null, 1));
      // Non-zero exit (a finding) throws with cfn-lint's report as the message.
      execFileSync(cfnLint, ['--regions', 'eu-west-1', '--', file], { encoding: 'utf8', stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CDK app, with context', () => {
  test('createRuleSet=true creates the rule set (never activated) and adds the rule to it', () => {
    const template = synth({ createRuleSet: 'true', rawMailRetentionDays: '45', maxReceiveCount: 3, cognitoUserPoolId: 'eu-west-1_AbC123' });
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'main-inbound' });
    const ruleSetId = Object.keys(template.findResources('AWS::SES::ReceiptRuleSet'))[0];
    template.hasResourceProperties('AWS::SES::ReceiptRule', { RuleSetName: { Ref: ruleSetId } });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 45 })]) } });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 } });
    const read = roleStatements(template, 'email-to-ticket worker').find((s) => s.Sid === 'ReadReporters')!;
    // What the Cognito user directory calls: the reporter by email, their groups, the agent group's members.
    expect(read.Action).toEqual(['cognito-idp:AdminListGroupsForUser', 'cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup']);
    expect(JSON.stringify(read.Resource)).toContain(':userpool/eu-west-1_AbC123');
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['no ticket address', { ticketAddress: undefined }, /^Context ticketAddress is required/],
    ['no rule set', { ruleSetName: undefined }, /^Context ruleSetName is required/],
    ['a ticket address with a display name', { ticketAddress: 'Support <support@example.com>' }, /^Context ticketAddress must be/],
    ['a retention of 0 days', { rawMailRetentionDays: '0' }, /^Context rawMailRetentionDays must be a whole number from 1 to 3650/],
    ['createRuleSet neither true nor false', { createRuleSet: 'yes' }, /^Context createRuleSet must be true or false/],
    ['an inbound prefix under parsed/', { inboundPrefix: 'parsed/mail/' }, /^Context inboundPrefix must not be under parsed\//],
    ['an upper-case bucket prefix', { bucketNamePrefix: 'Inbound' }, /^Context bucketNamePrefix must be/],
  ])('%s is refused, naming the context key', (_, context, message) => {
    const app = new App({ context: { ...REQUIRED, ...context } });
    expect(() => infraSettings(app.node)).toThrow(message);
  });
});
