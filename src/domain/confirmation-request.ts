// What the confirmation of a new incident says and answers: built in one place for the workflow and for
// the benchmark's direct pipeline. Its shape is the sendConfirmation activity's input, which both pass it
// to: the compiler checks it there (a domain rule imports no activity).
import { EmailSummary, Routing } from './types';

export function confirmationRequest(
  sesMessageId: string,
  incident: { number: string; trackingToken: string },
  email: Pick<EmailSummary, 'shortDescription' | 'from' | 'messageId' | 'references'>,
  routing: Pick<Routing, 'priority'>,
) {
  return {
    sesMessageId,
    incidentNumber: incident.number,
    trackingToken: incident.trackingToken,
    shortDescription: email.shortDescription,
    priority: routing.priority,
    to: email.from!,
    // Threaded to the customer's email; References stay short (our mail keeps at most 20).
    inReplyTo: email.messageId,
    references: email.references.slice(-19),
  };
}
