// The delivery-events queue's work: each message is one event SES published about our mail, through the
// configuration set's topic; each event starts its delivery-feedback workflow.
import { Client } from '@temporalio/client';
import { DeliveryEvent, parseDeliveryEvent } from '../domain/delivery-events';
import { deliveryEventWorkflowId } from '../domain/workflow-ids';
import { deliveryFeedback } from '../workflows';
import type { QueueWork } from './consumer';
import { unwrapSnsMessage } from './sns-envelope';
import { startOnce } from './start-once';

export function deliveryEventWork(temporal: Client, taskQueue: string): QueueWork<DeliveryEvent> {
  return {
    what: 'delivery-feedback',
    decode(body) {
      const unwrapped = unwrapSnsMessage(body);
      if (unwrapped.kind !== 'payload') return unwrapped;
      const parsed = parseDeliveryEvent(unwrapped.payload);
      return parsed.kind === 'event' ? { kind: 'items', items: [parsed.event] } : parsed;
    },
    async start(event) {
      const workflowId = deliveryEventWorkflowId(event.sesMessageId, event.key);
      const result = await startOnce(() => temporal.workflow.start(deliveryFeedback, { taskQueue, workflowId, args: [{ event }], workflowIdReusePolicy: 'REJECT_DUPLICATE' }));
      return { result, logged: { sesMessageId: event.sesMessageId, type: event.type, workflowId } };
    },
  };
}
