// Delivery feedback: one short workflow per event SES published about our mail (send, delivery, bounce,
// complaint), started by the bridge. Its one step records the event on the outbound message it is about
// and applies what it means (a send recorded, an address suppressed or lifted); the workflow id makes a
// repeated event harmless, and the step's retries outlast a database restart.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeliveryFeedbackInput, DeliveryFeedbackResult } from './contracts';
import { ACTIVITY_RETRY } from './retry';

const { recordDeliveryEvent } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: ACTIVITY_RETRY });

export async function deliveryFeedback({ event }: DeliveryFeedbackInput): Promise<DeliveryFeedbackResult> {
  return recordDeliveryEvent(event);
}
