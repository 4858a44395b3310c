// One valid mailbox or none: a message with several From headers, a From header that is not exactly
// one RFC 5322 mailbox (two addresses, a group, junk around the address), or an address that is not a
// valid mailbox of at most 254 characters (RFC 5321) makes the sender invalid. Such an email is still
// processed (an incident, or quarantine), but nothing goes back to it and it is never matched to a
// user: otherwise one header could fan our mail out to many addresses, name a whole domain, or be read
// one way by SES's DMARC check and another way by us. The header is judged by a strict RFC 5322
// parser (the email-addresses library), not by mailparser's lenient reading.
import { parseOneAddress } from 'email-addresses';
import { normaliseAddress } from './participants';

/** A From header longer than this is not read (a real one, name included, is far shorter). */
export const FROM_HEADER_CHARS_MAX = 2000;

export interface FromHeader {
  /** Every mailbox mailparser read from the From header (groups flattened), as written. */
  mailboxes: readonly string[];
  /** The raw (unfolded) value of each From header of the message; absent when not known. */
  values?: readonly string[];
}

/** Why the From header does not name exactly one valid mailbox, or null when it does. */
export function senderProblem({ mailboxes, values }: FromHeader): string | null {
  if (mailboxes.length === 0 && (values ?? []).length === 0) return null; // no sender at all: the decision order ignores the email
  if (values && values.length > 1) return `the message has ${values.length} From headers, not one`;
  if (mailboxes.length > 1) return `the From header names ${mailboxes.length} mailboxes, not one`;
  if (mailboxes.length === 1 && normaliseAddress(mailboxes[0]) === null) return 'the From address is not a valid mailbox';
  if (values && values.length === 1) {
    const strict = strictMailbox(values[0]);
    if (strict === null) return 'the From header is not exactly one mailbox';
    if (mailboxes.length === 1 && strict.toLowerCase() !== mailboxes[0].toLowerCase()) return 'the From header is not exactly one mailbox';
  }
  if (mailboxes.length === 0 || normaliseAddress(mailboxes[0]) === null) return 'the From address is not a valid mailbox';
  return null;
}

/** The address of a header value that is exactly one mailbox, else null. */
function strictMailbox(value: string): string | null {
  if (value.length > FROM_HEADER_CHARS_MAX) return null;
  const parsed = parseOneAddress({ input: value, rfc6532: true });
  return parsed !== null && parsed.type === 'mailbox' ? parsed.address : null;
}

/** A forwarded header line longer than this is not read for addresses (the view given is far shorter). */
const FORWARDED_LINE_CHARS_MAX = 1000;
/** Something that looks like an address in a line of text: no specials around it, one '@'. */
const ADDRESS_LIKE = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g;

/**
 * Why the sender an inline forward's header shows (`From: Anna <anna@example.com>`, Outlook's
 * `Anna [mailto:anna@example.com]`, ...) is not exactly one valid mailbox, or null when it is. Those
 * headers are the forwarding program's rendering, not RFC 5322, so the line is judged by the addresses it
 * names: exactly one, valid, of at most 254 characters. A list would otherwise become its first entry.
 */
export function forwardedSenderProblem(from: { address: string } | null, line: string | null): string | null {
  if (!from || !from.address) return 'the forwarded message names no sender';
  if (normaliseAddress(from.address) === null) return 'the forwarded sender is not a valid mailbox';
  const named = new Set((line ?? '').slice(0, FORWARDED_LINE_CHARS_MAX).toLowerCase().match(ADDRESS_LIKE) ?? []);
  named.add(from.address.toLowerCase());
  if (named.size > 1) return `the forwarded From names ${named.size} mailboxes, not one`;
  return null;
}
