// Activity names that only runs started before the decision order (workflows/legacy/) call. Those runs
// expect the incident and confirmation steps to record the email's stage themselves (their workflow
// records no outcome on the happy path), so these wrap today's steps and do. Delete this file with the
// legacy workflow (README, "Retiring a workflow version").
import { updateInboundEmail } from '../db/inbound-emails';
import type { ConfirmationInput } from '../domain/confirmation-request';
import type { CreatedIncident, CreateIncidentInput, OutboundResult } from '../domain/inbound-steps';
import { ActivityDeps } from './deps';

interface CurrentSteps {
  raiseIncident(input: CreateIncidentInput): Promise<CreatedIncident>;
  mailConfirmation(input: ConfirmationInput): Promise<OutboundResult>;
}

export function createLegacySteps({ pool }: ActivityDeps, steps: CurrentSteps) {
  return {
    async createIncident(input: CreateIncidentInput): Promise<CreatedIncident> {
      const incident = await steps.raiseIncident(input);
      await updateInboundEmail(pool, input.sesMessageId, { stage: 'incident-created', incidentNumber: incident.number });
      return incident;
    },
    async sendConfirmation(input: ConfirmationInput): Promise<OutboundResult> {
      const result = await steps.mailConfirmation(input);
      if (result.sent) await updateInboundEmail(pool, input.sesMessageId, { stage: 'confirmed' });
      return result;
    },
  };
}
