// What `setup` tells the deployer once the AWS resources exist: the configuration to use, where the
// receipt rule went, anything that still stops mail from arriving, and the DNS records to create.
import { Provisioned } from '../aws/provision';
import { formatDnsRecords } from '../domain/mail-dns-records';

export function formatSetupReport(out: Provisioned): string {
  const rule = out.receiptRule;
  const lines = [
    `INBOUND_TOPIC_ARN=${out.topicArn}`,
    `INBOUND_QUEUE_URL=${out.queueUrl}`,
    `DEAD_LETTER_QUEUE_URL=${out.deadLetterQueueUrl}`,
    ...(out.deliveryEvents
      ? [`SES_CONFIGURATION_SET=${out.deliveryEvents.configurationSet}`, `DELIVERY_EVENTS_QUEUE_URL=${out.deliveryEvents.queueUrl}`, `DELIVERY_EVENTS_DEAD_LETTER_QUEUE_URL=${out.deliveryEvents.deadLetterQueueUrl}`]
      : ['delivery feedback: none (SES_CONFIGURATION_SET=none)']),
    rule
      ? `receipt rule ${rule.rule} ${rule.change} in rule set ${rule.ruleSet}${rule.ruleSetCreated ? ' (new)' : ''}: ${rule.active ? `active${rule.activated ? ' (made active now)' : ''}` : 'NOT active'}`
      : 'receipt rule: none created (--no-receipt-rule)',
    ...out.notes.map((note) => `note: ${note}`),
    '',
    'DNS records to create (verification and DKIM: SES checks them for up to 72 hours; MX: where mail for the domain goes):',
    formatDnsRecords(out.dnsRecords),
  ];
  return lines.join('\n');
}
