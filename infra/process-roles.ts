// One role per process, with the actions its code calls and nothing else (the README's table maps
// each SDK command in src/ to its action). Statements name their actions one by one: no wildcards.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { InboundQueue } from './inbound-queue';
import { PARSED_PREFIX } from './inbound-store';
import { OutboundMail } from './outbound-mail';
import { RuleTables } from './rule-tables';
import { InfraSettings } from './settings';

export interface ProcessRoles {
  worker: iam.Role;
  bridge: iam.Role;
  web: iam.Role;
}

interface Resources {
  bucket: s3.Bucket;
  inbound: InboundQueue;
  tables: RuleTables;
  outbound: OutboundMail;
}

function role(scope: Construct, id: string, settings: InfraSettings, description: string, statements: iam.PolicyStatement[]): iam.Role {
  const created = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal(settings.roleServicePrincipal), description });
  for (const statement of statements) created.addToPolicy(statement);
  return created;
}

const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
  new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) });

export function processRoles(scope: Construct, settings: InfraSettings, { bucket, inbound, tables, outbound }: Resources): ProcessRoles {
  const stack = Stack.of(scope);
  const sesArn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ses', resource, resourceName });
  const ruleTableArns = [tables.routing.tableArn, tables.parsing.tableArn];
  const domain = settings.ticketAddress.slice(settings.ticketAddress.lastIndexOf('@') + 1);

  const worker = role(scope, 'WorkerRole', settings, 'email-to-ticket worker: reads raw mail, stores parses, reads rules, sends as the ticket address', [
    // HeadObject and GetObject (raw-email.ts), GetObject of the parse (inbound-email-store.ts).
    allow('ReadMail', ['s3:GetObject'], [bucket.arnForObjects(`${settings.inboundPrefix}*`), bucket.arnForObjects(`${PARSED_PREFIX}*`)]),
    // Without it S3 answers a missing object with 403, not 404: the worker must tell "raw email missing"
    // (a recorded failure) from a fault to retry.
    allow('TellMissingMail', ['s3:ListBucket'], [bucket.bucketArn]),
    allow('StoreParses', ['s3:PutObject'], [bucket.arnForObjects(`${PARSED_PREFIX}*`)]),
    allow('ReadRules', ['dynamodb:Scan'], ruleTableArns),
    // SendRawEmail only (outbound-mail.ts), from the ticket address only, through our configuration set.
    allow(
      'SendAsTicketAddress',
      ['ses:SendRawEmail'],
      [sesArn('identity', settings.ticketAddress), sesArn('identity', domain), sesArn('configuration-set', settings.configurationSetName)],
      { StringEquals: { 'ses:FromAddress': settings.ticketAddress } },
    ),
    // The confirmation's text (confirmation.ts); SES's GetTemplate has no resource-level permission.
    allow('ReadConfirmationTemplate', ['ses:GetTemplate'], ['*']),
    ...(settings.cognitoUserPoolId
      ? [allow('ReadReporters', ['cognito-idp:AdminListGroupsForUser', 'cognito-idp:ListUsers', 'cognito-idp:ListUsersInGroup'], [stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: settings.cognitoUserPoolId })])]
      : []),
  ]);

  const bridge = role(scope, 'BridgeRole', settings, 'email-to-ticket bridge: consumes the inbound and delivery-events queues, moves malformed messages to their dead-letter queues', [
    // Receive/Delete/ChangeMessageVisibility (bridge/consumer.ts), GetQueueAttributes (its health check).
    allow('ConsumeQueues', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'], [inbound.queue.queueArn, outbound.deliveryEventsQueue.queueArn]),
    allow('DeadLetterMalformed', ['sqs:SendMessage'], [inbound.deadLetterQueue.queueArn, outbound.deliveryEventsDeadLetterQueue.queueArn]),
  ]);

  const web = role(scope, 'WebRole', settings, 'email-to-ticket admin page: lists, creates, edits and deletes routing and parsing rules; shows emails\' attachments and HTML', [
    // scanRuleTable, putRule, deleteRule (aws/rule-tables.ts) from web/pages/rules.ts.
    allow('EditRules', ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], ruleTableArns),
    // GetObject of a parse, its attachments and HTML body (operations/incident-emails.ts): never the raw mail.
    allow('ReadParses', ['s3:GetObject'], [bucket.arnForObjects(`${PARSED_PREFIX}*`)]),
  ]);
  return { worker, bridge, web };
}
