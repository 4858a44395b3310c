// The reply to a customer whose reply reached a closed incident that the follow-up policy keeps closed:
// the incident stays closed, their words are kept on it, and a new email (not a reply) opens a new one.
// An auto-response like the confirmation: sent once per email, only to an authenticated sender.

export interface FollowUpRefusal {
  /** The customer's reply (the refusal is sent once for it). */
  sesMessageId: string;
  incidentNumber: string;
  /** ISO 8601, or null when unknown. */
  closedAt: string | null;
  to: { address: string; name: string };
  /** The customer's reply, which this answers. */
  inReplyTo: string | null;
  references: string[];
}

/**
 * Subject and text; nothing the customer wrote is repeated. No watermark: a new email quoting this one
 * must not be threaded to the closed incident. (An answer to this one is: it names our Message-ID, and it
 * is turned away again, within the auto-response limit.)
 */
export function followUpRefusalMail(refusal: FollowUpRefusal, ticketAddress: string): { subject: string; text: string } {
  const closed = refusal.closedAt ? ` on ${refusal.closedAt.slice(0, 10)}` : '';
  return {
    subject: `Incident ${refusal.incidentNumber} is closed`,
    text: [
      `Hello,`,
      '',
      `your email was a reply to incident ${refusal.incidentNumber}, which was closed${closed}. It does not reopen the incident; it is kept on it for the record.`,
      '',
      `If you still need help, please write a new email (not a reply) to ${ticketAddress}, without the incident number in the subject: it becomes a new incident, and you can mention ${refusal.incidentNumber} in it.`,
      '',
      'This is an automatic message.',
    ].join('\n'),
  };
}
