// The rejection of an unknown sender's email (SENDER_POLICY_FILE, unknownSenders "reject"): an
// auto-response like the confirmation (Auto-Submitted, our loop header, the per-recipient limit, the
// suppression list), sent at most once per email, threaded to it, naming the policy's reason.
import { RejectionInput } from '../domain/rejection-request';
import { ActivityDeps } from './deps';
import { answerReferences } from '../mail/compose-email';
import { OutboundResult, sendOutboundEmail } from './outbound-mail';

/** The rejection's subject and text: the customer's subject repeated (one line already), the admin's reason. */
export function rejectionMessage(input: RejectionInput): { subject: string; text: string } {
  return {
    subject: `Not accepted: ${input.shortDescription}`,
    text: [
      `Your email "${input.shortDescription}" was not accepted, and no incident was opened:`,
      '',
      input.reason,
      '',
      'This is an automatic reply.',
    ].join('\n'),
  };
}

export function createRejection(deps: ActivityDeps) {
  return {
    /** Sends it (at most once per email); the workflow records the outcome. */
    async mailRejection(input: RejectionInput): Promise<OutboundResult> {
      return sendOutboundEmail(deps, {
        dedupeKey: `rejection:${input.sesMessageId}`,
        kind: 'rejection',
        incidentNumber: null,
        to: [input.to.address.toLowerCase()],
        cc: [],
        ...rejectionMessage(input),
        inReplyTo: input.inReplyTo,
        references: answerReferences(input.references, input.inReplyTo),
        autoResponse: true,
      });
    },
  };
}
