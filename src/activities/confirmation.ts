// The confirmation (auto-response): SES template email_to_ticket_confirmation with the incident number,
// the tracking link and the SLA target for the priority. Recorded before it is sent: sent at most once per email.
import { SendTemplatedEmailCommand } from '@aws-sdk/client-ses';
import { markOutboundSent, recordOutbound } from '../db/outbound-emails';
import { updateInboundEmail } from '../db/inbound-emails';
import { formatSlaTarget, priorityLabel, slaTargetMinutes } from '../domain/sla';
import { Priority } from '../domain/types';
import { ActivityDeps } from './deps';

export interface ConfirmationInput {
  sesMessageId: string;
  incidentNumber: string;
  trackingToken: string;
  shortDescription: string;
  priority: Priority;
  to: { address: string; name: string };
}

export type ConfirmationResult = { sent: true; sesMessageId: string; alreadySent: boolean } | { sent: false; reason: string };

/** The data the template is rendered with; the template names exactly these fields. */
export function confirmationTemplateData(input: ConfirmationInput, trackingBaseUrl: string, slaMinutes: number) {
  return {
    incidentNumber: input.incidentNumber,
    shortDescription: input.shortDescription,
    reporterName: input.to.name || input.to.address,
    trackingUrl: `${trackingBaseUrl}/${encodeURIComponent(input.trackingToken)}`,
    priority: priorityLabel(input.priority),
    slaTarget: formatSlaTarget(slaMinutes),
  };
}

export function createConfirmation({ pool, aws, config }: ActivityDeps) {
  return {
    async sendConfirmation(input: ConfirmationInput): Promise<ConfirmationResult> {
      const to = input.to.address.toLowerCase();
      // Never auto-respond to ourselves: that is how mail loops start.
      if (to === config.ticketAddress) return { sent: false, reason: 'recipient is our own address' };
      const record = await recordOutbound(pool, {
        dedupeKey: `confirmation:${input.sesMessageId}`,
        kind: 'confirmation',
        incidentNumber: input.incidentNumber,
        recipient: to,
        subject: input.shortDescription,
      });
      if (record.sesMessageId) return { sent: true, sesMessageId: record.sesMessageId, alreadySent: true };
      const data = confirmationTemplateData(input, config.trackingBaseUrl, slaTargetMinutes(input.priority, config.slaTargets));
      const sent = await aws.ses.send(
        new SendTemplatedEmailCommand({
          Source: config.ticketAddress,
          Destination: { ToAddresses: [to] },
          ReplyToAddresses: [config.ticketAddress],
          Template: config.confirmationTemplate,
          TemplateData: JSON.stringify(data),
        }),
      );
      await markOutboundSent(pool, record.id, sent.MessageId!);
      await updateInboundEmail(pool, input.sesMessageId, { stage: 'confirmed' });
      return { sent: true, sesMessageId: sent.MessageId!, alreadySent: false };
    },
  };
}
