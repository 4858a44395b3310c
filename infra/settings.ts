// The CDK app's parameters, read from CDK context (`-c key=value` or cdk.json) and checked before
// anything is synthesised: a missing or malformed value stops the app with an error naming its key.
import { Node } from 'constructs';

export interface InfraSettings {
  /** email.to_ticket_address: the receipt rule's recipient and the only From the worker may send. */
  ticketAddress: string;
  /** The inbound bucket is named <prefix>-<account>-<region> (bucket names are global). */
  bucketNamePrefix: string;
  /** The receipt rule's ObjectKeyPrefix (INBOUND_PREFIX). */
  inboundPrefix: string;
  /** Days before raw mail under the inbound prefix expires. */
  rawMailRetentionDays: number;
  /** The receipt rule set the rule is added to. */
  ruleSetName: string;
  /** Create that rule set (never activated: CloudFormation cannot, and activating replaces the region's active set). */
  createRuleSet: boolean;
  receiptRuleName: string;
  /** The rule the new one goes after in the set; unset: first. */
  receiptRuleAfter?: string;
  tlsPolicy: 'Require' | 'Optional';
  maxReceiveCount: number;
  routingRuleTable: string;
  parsingRuleTable: string;
  confirmationTemplate: string;
  configurationSetName: string;
  /** The service the process roles trust (where worker, bridge and web run). */
  roleServicePrincipal: string;
  /** A Cognito user pool the worker reads reporters from; unset: no Cognito permission. */
  cognitoUserPoolId?: string;
}

export class InfraSettingsError extends Error {}

type Context = (key: string) => unknown;

function text(context: Context, key: string, fallback: string | undefined, pattern: RegExp, what: string): string {
  const raw = context(key);
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw new InfraSettingsError(`Context ${key} is required: ${what} (pass -c ${key}=...)`);
    return fallback;
  }
  if (typeof raw !== 'string' || !pattern.test(raw)) throw new InfraSettingsError(`Context ${key} must be ${what}, got ${JSON.stringify(raw)}`);
  return raw;
}

function optionalText(context: Context, key: string, pattern: RegExp, what: string): string | undefined {
  const raw = context(key);
  return raw === undefined || raw === '' ? undefined : text(context, key, undefined, pattern, what);
}

function integer(context: Context, key: string, fallback: number, min: number, max: number): number {
  const raw = context(key);
  if (raw === undefined || raw === '') return fallback;
  // `-c key=7` arrives as the string '7', cdk.json gives a number.
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InfraSettingsError(`Context ${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flag(context: Context, key: string): boolean {
  const raw = context(key);
  if (raw === undefined || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw new InfraSettingsError(`Context ${key} must be true or false, got ${JSON.stringify(raw)}`);
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const NAME_WHAT = '1 to 64 letters, digits, underscores, dots or hyphens';
const TABLE = /^[A-Za-z0-9_.-]{3,255}$/;

export function infraSettings(node: Node): InfraSettings {
  const context: Context = (key) => node.tryGetContext(key);
  const tlsPolicy = text(context, 'tlsPolicy', 'Require', /^(Require|Optional)$/, 'Require or Optional') as InfraSettings['tlsPolicy'];
  const cognitoUserPoolId = optionalText(context, 'cognitoUserPoolId', /^[\w-]+_[0-9a-zA-Z]+$/, 'a Cognito user pool id (region_id)');
  const receiptRuleAfter = optionalText(context, 'receiptRuleAfter', NAME, NAME_WHAT);
  const inboundPrefix = text(context, 'inboundPrefix', 'inbound/', /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/, 'an S3 key prefix ending in "/"');
  // The worker writes parsed/<id>/...: raw mail there would expire with the parses, and vice versa.
  if (inboundPrefix.startsWith('parsed/')) throw new InfraSettingsError(`Context inboundPrefix must not be under parsed/, where the worker stores parses, got "${inboundPrefix}"`);
  return {
    // One address, without display name: it is the receipt rule's recipient and an IAM condition value.
    ticketAddress: text(context, 'ticketAddress', undefined, /^[^\s@<>"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'the ticket email address, e.g. support@example.com'),
    // Room for -<12-digit account>-<region> within S3's 63 characters.
    bucketNamePrefix: text(context, 'bucketNamePrefix', 'stackflow-inbound-email', /^[a-z0-9][a-z0-9-]{2,30}$/, '3 to 31 lowercase letters, digits or hyphens, starting with a letter or digit'),
    inboundPrefix,
    rawMailRetentionDays: integer(context, 'rawMailRetentionDays', 90, 1, 3650),
    ruleSetName: text(context, 'ruleSetName', undefined, NAME, `the receipt rule set to add the rule to (your active one), ${NAME_WHAT}`),
    createRuleSet: flag(context, 'createRuleSet'),
    receiptRuleName: text(context, 'receiptRuleName', 'inbound-to-ticket', NAME, NAME_WHAT),
    ...(receiptRuleAfter ? { receiptRuleAfter } : {}),
    tlsPolicy,
    maxReceiveCount: integer(context, 'maxReceiveCount', 10, 1, 1000),
    routingRuleTable: text(context, 'routingRuleTable', 'StackFlow_EmailRoutingRule', TABLE, 'a DynamoDB table name'),
    parsingRuleTable: text(context, 'parsingRuleTable', 'StackFlow_EmailParsingRule', TABLE, 'a DynamoDB table name'),
    confirmationTemplate: text(context, 'confirmationTemplate', 'email_to_ticket_confirmation', NAME, NAME_WHAT),
    configurationSetName: text(context, 'configurationSetName', 'email-to-ticket', /^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, underscores or hyphens'),
    roleServicePrincipal: text(context, 'roleServicePrincipal', 'ecs-tasks.amazonaws.com', /^[a-z0-9.-]+\.amazonaws\.com$/, 'an AWS service principal, e.g. ecs-tasks.amazonaws.com or ec2.amazonaws.com'),
    ...(cognitoUserPoolId ? { cognitoUserPoolId } : {}),
  };
}
