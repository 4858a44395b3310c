// Records one SES event about our mail in PostgreSQL (db/delivery-events decides nothing itself: the
// rules are domain/delivery-events). Only counts go back into the history, no addresses.
import { log } from '@temporalio/activity';
import { recordDeliveryEvent } from '../db/delivery-events';
import type { DeliveryEvent } from '../domain/delivery-events';
import type { DeliveryFeedbackResult } from '../workflows/contracts';
import { ActivityDeps } from './deps';

export function createDeliveryFeedback({ pool }: ActivityDeps) {
  return {
    async recordDeliveryEvent(event: DeliveryEvent): Promise<DeliveryFeedbackResult> {
      const r = await recordDeliveryEvent(pool, event);
      if (r.suppressed.length > 0) log.warn('addresses suppressed for automatic mail', { type: event.type, sesMessageId: event.sesMessageId, incidentNumber: r.incidentNumber, count: r.suppressed.length });
      return { recorded: r.recorded, incidentNumber: r.incidentNumber, suppressed: r.suppressed.length, lifted: r.lifted.length };
    },
  };
}
