// What outbound mail needs in SES: the configuration set every message is sent through, whose send,
// delivery, bounce and complaint events SES publishes to a topic of their own (the delivery feedback
// of our mail, not inbound email) and, through its own queue, to the bridge; and the confirmation template, whose text lives in
// src/aws/confirmation-template.ts (the same parts `setup` stores).
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY_EVENTS } from '../src/aws/delivery-event-names';
import { subscribedQueuePair } from './inbound-queue';
import { CONFIRMATION_TEMPLATE_PARTS } from '../src/aws/confirmation-template';
import { InfraSettings } from './settings';

export interface OutboundMail {
  configurationSet: ses.ConfigurationSet;
  deliveryEventsTopic: sns.Topic;
  deliveryEventsQueue: sqs.Queue;
  deliveryEventsDeadLetterQueue: sqs.Queue;
}

export function outboundMail(scope: Construct, settings: InfraSettings): OutboundMail {
  const configurationSet = new ses.ConfigurationSet(scope, 'ConfigurationSet', { configurationSetName: settings.configurationSetName });
  const deliveryEventsTopic = new sns.Topic(scope, 'DeliveryEventsTopic', { topicName: DELIVERY_EVENTS.topicName });
  const queues = subscribedQueuePair(scope, deliveryEventsTopic, { queue: 'DeliveryEventsQueue', deadLetterQueue: 'DeliveryEventsDeadLetterQueue' }, DELIVERY_EVENTS, settings);
  // Also writes the topic policy: ses.amazonaws.com may publish, for this configuration set only.
  configurationSet.addEventDestination('DeliveryEvents', {
    destination: ses.EventDestination.snsTopic(deliveryEventsTopic),
    events: [ses.EmailSendingEvent.SEND, ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
  });
  new ses.CfnTemplate(scope, 'ConfirmationTemplate', {
    template: {
      templateName: settings.confirmationTemplate,
      subjectPart: CONFIRMATION_TEMPLATE_PARTS.SubjectPart,
      textPart: CONFIRMATION_TEMPLATE_PARTS.TextPart,
      htmlPart: CONFIRMATION_TEMPLATE_PARTS.HtmlPart,
    },
  });
  return { configurationSet, deliveryEventsTopic, deliveryEventsQueue: queues.queue, deliveryEventsDeadLetterQueue: queues.deadLetterQueue };
}
