// Keeps the inbound_emails record in step with the workflow: every email ends with a stage and a reason.
import { updateInboundEmail } from '../db/inbound-emails';
import { EmailStage, SesVerdicts } from '../domain/types';
import { ActivityDeps } from './deps';

export interface EmailOutcome {
  sesMessageId: string;
  stage: EmailStage;
  reason?: string | null;
  incidentNumber?: string | null;
  verdicts?: SesVerdicts;
  spamScore?: number;
}

export function createEmailRecord({ pool }: ActivityDeps) {
  return {
    async recordEmailOutcome(outcome: EmailOutcome): Promise<void> {
      await updateInboundEmail(pool, outcome.sesMessageId, outcome);
    },
  };
}
