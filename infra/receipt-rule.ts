// The SES receipt rule: mail to the ticket address is scanned, stored in the inbound bucket and
// announced on the topic by one S3 action (content-free notification, no 150 KB limit: `setup`'s
// 'safe' shape). It is added to an existing rule set; the set is created only with createRuleSet=true
// and never activated (a region has one active set: activating ours would stop all other inbound mail).
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { InfraSettings } from './settings';

export function receiptRule(scope: Construct, settings: InfraSettings, bucket: s3.Bucket, topic: sns.Topic): ses.CfnReceiptRule {
  const ruleSet = settings.createRuleSet ? new ses.CfnReceiptRuleSet(scope, 'ReceiptRuleSet', { ruleSetName: settings.ruleSetName }) : undefined;
  // SES checks its permission when the rule is created: the bucket policy must exist first. The
  // statement is AWS's documented one, limited to this rule (the CDK S3 action names the account only).
  const ruleArn = Stack.of(scope).formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${settings.ruleSetName}:receipt-rule/${settings.receiptRuleName}`,
  });
  const policy = bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowSESPuts',
      principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${settings.inboundPrefix}*`)],
      conditions: { StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID, 'AWS:SourceArn': ruleArn } },
    }),
  );
  const rule = new ses.CfnReceiptRule(scope, 'ReceiptRule', {
    ruleSetName: ruleSet ? ruleSet.ref : settings.ruleSetName,
    ...(settings.receiptRuleAfter ? { after: settings.receiptRuleAfter } : {}),
    rule: {
      name: settings.receiptRuleName,
      enabled: true,
      recipients: [settings.ticketAddress],
      scanEnabled: true,
      tlsPolicy: settings.tlsPolicy,
      actions: [{ s3Action: { bucketName: bucket.bucketName, objectKeyPrefix: settings.inboundPrefix, topicArn: topic.topicArn } }],
    },
  });
  if (policy.policyDependable) rule.node.addDependency(policy.policyDependable);
  return rule;
}

