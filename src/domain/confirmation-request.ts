// What the confirmation of a new incident says and answers: built in one place for the workflow and for
// the benchmark's direct pipeline.
import { EmailSummary, Priority, Routing } from './types';

export interface ConfirmationInput {
  sesMessageId: string;
  incidentNumber: string;
  /**
   * Set only for an incident made before tracking tokens were derived (its random token is in that run's
   * history already); otherwise the confirmation step derives the token, so that none enters history.
   */
  legacyTrackingToken?: string;
  shortDescription: string;
  priority: Priority;
  to: { address: string; name: string };
  /** The customer's email, which the confirmation answers (for In-Reply-To/References). */
  inReplyTo?: string | null;
  references?: string[];
  /** To an unauthenticated sender, by setting: no text of theirs (subject, name) is repeated. */
  minimal?: boolean;
}

export function confirmationRequest(
  sesMessageId: string,
  incident: { number: string; trackingToken?: string },
  email: Pick<EmailSummary, 'shortDescription' | 'from' | 'messageId' | 'references'>,
  routing: Pick<Routing, 'priority'>,
  options: { minimal?: boolean } = {},
): ConfirmationInput {
  return {
    sesMessageId,
    incidentNumber: incident.number,
    ...(incident.trackingToken ? { legacyTrackingToken: incident.trackingToken } : {}),
    shortDescription: email.shortDescription,
    priority: routing.priority,
    to: email.from!,
    // Threaded to the customer's email; References stay short (our mail keeps at most 20).
    inReplyTo: email.messageId,
    references: email.references.slice(-19),
    ...(options.minimal ? { minimal: true } : {}),
  };
}
