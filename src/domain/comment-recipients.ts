// Whom an agent's "send to customer" comment goes to: the reporter (a matched user, so authenticated),
// else the incident's sender if SES authenticated it, with the participants on copy (only authenticated
// senders ever name participants). A forged sender gets nothing, whoever the agent thinks it is.
import type { ThreadPeople } from './inbound-steps';

/** SES takes at most 50 recipients a message. */
const RECIPIENTS_MAX = 50;

export type CommentRecipients = { to: string; cc: string[] } | { none: string };

export function agentCommentRecipients(people: ThreadPeople, ticketAddress: string): CommentRecipients {
  const ours = ticketAddress.toLowerCase();
  const sender = people.senderAuthenticated === false ? null : people.senderAddress;
  const named = [people.reporterEmail, sender, ...people.participants]
    .filter((a): a is string => typeof a === 'string' && a.length > 0)
    .map((a) => a.toLowerCase());
  const candidates = named.filter((a, i) => a !== ours && named.indexOf(a) === i);
  if (candidates.length === 0) {
    // Our own address is never mailed (a loop); say so when that is the only one there was.
    return { none: named.length > 0 ? 'recipient is our own address' : 'no authenticated recipient: the sender of the incident was not authenticated' };
  }
  const [to, ...cc] = candidates.slice(0, RECIPIENTS_MAX);
  return { to, cc };
}
