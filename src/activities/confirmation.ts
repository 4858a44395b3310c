// The confirmation (auto-response): SES template email_to_ticket_confirmation with the incident number,
// the tracking link and the SLA target for the priority. Recorded and claimed before it is sent, so a
// retried or concurrent attempt never sends it twice; rate limited per recipient against mail loops.
import { SendTemplatedEmailCommand } from '@aws-sdk/client-ses';
import { ApplicationFailure } from '@temporalio/activity';
import { markOutboundSent, releaseOutbound, reserveOutbound } from '../db/outbound-emails';
import { updateInboundEmail } from '../db/inbound-emails';
import { PermanentFault } from '../domain/permanent-faults';
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

/** SES errors that no retry can fix: the recipient or the message is refused. */
const REJECTIONS = new Set(['MessageRejected', 'InvalidParameterValue', 'MailFromDomainNotVerifiedException', 'TemplateDoesNotExistException']);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The data the template is rendered with. SES does not escape values in the HTML part, and the
 * subject and sender's name come from the (untrusted) sender: the HTML part uses the *Html copies.
 */
export function confirmationTemplateData(input: ConfirmationInput, trackingBaseUrl: string, slaMinutes: number) {
  const reporterName = input.to.name || input.to.address;
  return {
    incidentNumber: input.incidentNumber,
    shortDescription: input.shortDescription,
    shortDescriptionHtml: escapeHtml(input.shortDescription),
    reporterName,
    reporterNameHtml: escapeHtml(reporterName),
    trackingUrl: `${trackingBaseUrl}/${encodeURIComponent(input.trackingToken)}`,
    priority: priorityLabel(input.priority),
    slaTarget: formatSlaTarget(slaMinutes),
  };
}

function certainlyNotSent(err: unknown): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; code?: string };
  return Boolean(e.$metadata?.httpStatusCode) || ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(e.code ?? '');
}

export function createConfirmation({ pool, aws, config }: ActivityDeps) {
  return {
    async sendConfirmation(input: ConfirmationInput): Promise<ConfirmationResult> {
      const to = input.to.address.toLowerCase();
      // Never auto-respond to ourselves: that is how mail loops start.
      if (to === config.ticketAddress) return { sent: false, reason: 'recipient is our own address' };
      const reservation = await reserveOutbound(
        pool,
        { dedupeKey: `confirmation:${input.sesMessageId}`, kind: 'confirmation', incidentNumber: input.incidentNumber, recipient: to, subject: input.shortDescription },
        { max: config.autoResponseLimit.max, windowMs: config.autoResponseLimit.windowMs },
      );
      const { record } = reservation;
      switch (reservation.outcome) {
        case 'already-sent':
          await updateInboundEmail(pool, input.sesMessageId, { stage: 'confirmed' });
          return { sent: true, sesMessageId: record.sesMessageId!, alreadySent: true };
        case 'in-doubt':
          return { sent: false, reason: 'an earlier attempt was interrupted while sending; not resent, to avoid a duplicate' };
        case 'rate-limited':
          return { sent: false, reason: `rate limited: ${reservation.recent} auto-responses to ${to} in the window` };
      }
      const data = confirmationTemplateData(input, config.trackingBaseUrl, slaTargetMinutes(input.priority, config.slaTargets));
      let messageId: string;
      try {
        const sent = await aws.ses.send(
          new SendTemplatedEmailCommand({
            Source: config.ticketAddress,
            Destination: { ToAddresses: [to] },
            ReplyToAddresses: [config.ticketAddress],
            Template: config.confirmationTemplate,
            TemplateData: JSON.stringify(data),
          }),
        );
        messageId = sent.MessageId!;
      } catch (err) {
        const name = (err as Error).name;
        // SES answered with an error, or could not be reached at all: nothing was sent, so the claim goes
        // back for the next attempt. A timeout or reset mid-request leaves it claimed (outcome unknown).
        if (!certainlyNotSent(err)) throw err;
        await releaseOutbound(pool, record.id, `${name}: ${(err as Error).message}`);
        if (REJECTIONS.has(name)) throw ApplicationFailure.nonRetryable(`SES refused the confirmation: ${name}: ${(err as Error).message}`, PermanentFault.ConfirmationRejected);
        throw err;
      }
      await markOutboundSent(pool, record.id, messageId);
      await updateInboundEmail(pool, input.sesMessageId, { stage: 'confirmed' });
      return { sent: true, sesMessageId: messageId, alreadySent: false };
    },
  };
}
