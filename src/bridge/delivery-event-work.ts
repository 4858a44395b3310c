// The delivery-events queue's work: each message is one event SES published about our mail, through the
// configuration set's topic; each event starts its delivery-feedback workflow.
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DeliveryEvent, parseDeliveryEvent } from '../domain/delivery-events';
import { deliveryEventWorkflowId } from '../domain/workflow-ids';
import { deliveryFeedback } from '../workflows';
import type { QueueWork } from './consumer';
import { unwrapSnsMessage } from './sns-envelope';

export function deliveryEventWork(temporal: Client, taskQueue: string): QueueWork<DeliveryEvent> {
  return {
    decode(body) {
      const unwrapped = unwrapSnsMessage(body);
      if (unwrapped.kind !== 'payload') return unwrapped;
      const parsed = parseDeliveryEvent(unwrapped.payload);
      return parsed.kind === 'event' ? { kind: 'items', items: [parsed.event] } : parsed;
    },
    async start(event) {
      const workflowId = deliveryEventWorkflowId(event.sesMessageId, event.key);
      const logged = { sesMessageId: event.sesMessageId, type: event.type, workflowId };
      try {
        await temporal.workflow.start(deliveryFeedback, { taskQueue, workflowId, args: [{ event }], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
        return { result: 'started', what: 'delivery-feedback', logged };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { result: 'duplicate', what: 'delivery-feedback', logged };
        throw err;
      }
    },
  };
}
