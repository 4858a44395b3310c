// Tells the sender of a reply to a closed incident that the incident stays closed and how to open a new
// one (the follow-up policy reject). An auto-response: loop headers, the per-recipient limit, at most once.
import { FollowUpRefusal, followUpRefusalMail } from '../domain/follow-up-refusal';
import { ActivityDeps } from './deps';
import { answerReferences } from '../mail/compose-email';
import { OutboundResult, sendOutboundEmail } from './outbound-mail';

export function createFollowUpRefusal(deps: ActivityDeps) {
  return {
    async mailFollowUpRefusal(input: FollowUpRefusal): Promise<OutboundResult> {
      const { subject, text } = followUpRefusalMail(input, deps.config.ticketAddress);
      return sendOutboundEmail(deps, {
        dedupeKey: `follow-up-refusal:${input.sesMessageId}`,
        kind: 'follow-up-refusal',
        incidentNumber: input.incidentNumber,
        to: [input.to.address.toLowerCase()],
        cc: [],
        subject,
        text,
        inReplyTo: input.inReplyTo,
        references: answerReferences(input.references, input.inReplyTo),
        autoResponse: true,
      });
    },
  };
}
