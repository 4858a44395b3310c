// What the rejection of an unknown sender's email (SENDER_POLICY_FILE, unknownSenders "reject") says and
// answers: built in one place for the workflow and the benchmark's direct pipeline. Only an authenticated
// sender is ever sent one (the decision order sees to it).
import { EmailSummary } from './types';

export interface RejectionInput {
  sesMessageId: string;
  to: { address: string; name: string };
  /** The customer's subject (one line, bounded by the parse), repeated so they know which email it was. */
  shortDescription: string;
  /** The policy's reason, written by an admin. */
  reason: string;
  /** The customer's email, which the rejection answers (for In-Reply-To/References). */
  inReplyTo?: string | null;
  references?: string[];
}

export function rejectionRequest(sesMessageId: string, email: Pick<EmailSummary, 'shortDescription' | 'from' | 'messageId' | 'references'>, reason: string): RejectionInput {
  return {
    sesMessageId,
    to: email.from!,
    shortDescription: email.shortDescription,
    reason,
    inReplyTo: email.messageId,
    references: email.references.slice(-19),
  };
}
