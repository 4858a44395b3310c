// One valid mailbox or none: a From header that names several mailboxes, or one that is not a valid
// address of at most 254 characters (RFC 5321), makes the sender invalid. Such an email is still
// processed (an incident, or quarantine), but nothing goes back to it and it is never matched to a
// user: otherwise one header could fan our mail out to many addresses, or name a whole domain.
import { normaliseAddress } from './participants';

/**
 * Why the From header does not name exactly one valid mailbox, or null when it does.
 * `mailboxes` is every mailbox the header lists (groups flattened), as written.
 */
export function senderProblem(mailboxes: readonly string[]): string | null {
  if (mailboxes.length === 0) return null; // no sender at all: the decision order ignores the email
  if (mailboxes.length > 1) return `the From header names ${mailboxes.length} mailboxes, not one`;
  if (normaliseAddress(mailboxes[0]) === null) return 'the From address is not a valid mailbox';
  return null;
}
