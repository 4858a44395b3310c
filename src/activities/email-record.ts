// Records how an email ended (stage, reason, incident, verdicts) in inbound_emails. Only the workflow calls it:
// it is the one writer of an email's stage.
import { updateInboundEmail } from '../db/inbound-emails';
import { EmailOutcome } from '../domain/inbound-steps';
import { ActivityDeps } from './deps';

export function createEmailRecord({ pool }: ActivityDeps) {
  return {
    async recordEmailOutcome(outcome: EmailOutcome): Promise<void> {
      await updateInboundEmail(pool, outcome.sesMessageId, outcome);
    },
  };
}
