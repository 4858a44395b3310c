// One stack with everything email-to-ticket needs in AWS; its outputs are named after the variables
// of src/config.ts they fill in, and the roles the three processes run as.
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { inboundQueue } from './inbound-queue';
import { inboundBucket } from './inbound-store';
import { outboundMail } from './outbound-mail';
import { processRoles } from './process-roles';
import { receiptRule } from './receipt-rule';
import { ruleTables } from './rule-tables';
import { InfraSettings } from './settings';

export class EmailToTicketStack extends Stack {
  constructor(scope: Construct, id: string, settings: InfraSettings, props?: StackProps) {
    super(scope, id, props);
    const bucket = inboundBucket(this, settings);
    const inbound = inboundQueue(this, settings);
    receiptRule(this, settings, bucket, inbound.topic);
    const tables = ruleTables(this, settings);
    const outbound = outboundMail(this, settings);
    const roles = processRoles(this, settings, { bucket, inbound, tables, outbound });
    const outputs: Record<string, string> = {
      INBOUND_BUCKET: bucket.bucketName,
      INBOUND_PREFIX: settings.inboundPrefix,
      INBOUND_TOPIC_ARN: inbound.topic.topicArn,
      INBOUND_QUEUE_URL: inbound.queue.queueUrl,
      DEAD_LETTER_QUEUE_URL: inbound.deadLetterQueue.queueUrl,
      TICKET_ADDRESS: settings.ticketAddress,
      ROUTING_RULE_TABLE: tables.routing.tableName,
      PARSING_RULE_TABLE: tables.parsing.tableName,
      CONFIRMATION_TEMPLATE: settings.confirmationTemplate,
      SES_CONFIGURATION_SET: outbound.configurationSet.configurationSetName,
      DeliveryEventsTopicArn: outbound.deliveryEventsTopic.topicArn,
      DELIVERY_EVENTS_QUEUE_URL: outbound.deliveryEventsQueue.queueUrl,
      DELIVERY_EVENTS_DEAD_LETTER_QUEUE_URL: outbound.deliveryEventsDeadLetterQueue.queueUrl,
      WorkerRoleArn: roles.worker.roleArn,
      BridgeRoleArn: roles.bridge.roleArn,
      WebRoleArn: roles.web.roleArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name.replace(/_/g, ''), { key: name.replace(/_/g, ''), value, description: name });
  }
}
