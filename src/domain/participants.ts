// Participants of an incident: the people on the original email (From, To, Cc) other than ourselves.
// The thread's outbound mail goes to them too, and they may reply on the thread (thread-permission.ts).
// Pure: imported by workflow code.
import { SUMMARY_ADDRESS_LIMIT } from './types';

/** At most this many participants (the same bound as the To/Cc lists in workflow history). */
export const PARTICIPANTS_MAX = SUMMARY_ADDRESS_LIMIT;
/** At most this many addresses are looked at, however many are invalid or repeated. */
const ADDRESSES_SCAN_MAX = 1000;

const ADDRESS_MAX = 254;
const LOCAL_PART_MAX = 64;
const LABEL_MAX = 63;
// Whitespace, control characters and the RFC 5322 specials that never belong in a plain address.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\s\u0000-\u001f\u007f-\u009f<>()[\]\\,;:"]/;

/**
 * ' <Anna.Berg@Example.COM> ' -> 'anna.berg@example.com'; null for anything that is not a plain
 * address: exactly one '@', a local part of 1 to 64 characters without leading, trailing or doubled
 * dots, a domain of at least two non-empty labels (no leading/trailing '-'), 254 characters at most,
 * no whitespace, control characters or specials. Quoted local parts ("a b"@x) are not accepted.
 */
export function normaliseAddress(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let s = raw.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  if (s.length === 0 || s.length > ADDRESS_MAX || FORBIDDEN.test(s)) return null;
  s = s.toLowerCase();
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@')) return null;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.length > LOCAL_PART_MAX || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  const labels = domain.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) {
    if (label.length === 0 || label.length > LABEL_MAX || label.startsWith('-') || label.endsWith('-')) return null;
  }
  return s;
}

export interface ParticipantsEmail {
  from: { address: string } | null;
  to: { address: string }[];
  cc: { address: string }[];
}

export interface OwnAddresses {
  /** The support mailbox the email was sent to, e.g. 'support@example.com'. */
  ticketAddress: string;
  /** Domains whose every address is ours (agents, other mailboxes), e.g. ['example.com']. Exact match. */
  ownDomains?: string[];
}

/**
 * From, then To, then Cc: lower-cased, distinct, in that order, at most 50. Left out: invalid or empty
 * addresses, our ticket address (also with a +tag: 'support+INC0010001@' is the same mailbox), and any
 * address whose domain is exactly one of `ownDomains` (subdomains are not included: list them).
 */
export function participantsFrom(email: ParticipantsEmail, ours: OwnAddresses): string[] {
  const ticket = normaliseAddress(ours?.ticketAddress);
  const ticketMailbox = ticket === null ? null : mailboxOf(ticket);
  const ownDomains = new Set(
    (Array.isArray(ours?.ownDomains) ? ours.ownDomains : [])
      .filter((d): d is string => typeof d === 'string')
      .map((d) => d.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, ''))
      .filter((d) => d.length > 0),
  );

  const candidates = [email?.from ?? null, ...listOf(email?.to), ...listOf(email?.cc)];
  const out: string[] = [];
  const seen = new Set<string>();
  let scanned = 0;
  for (const entry of candidates) {
    if (out.length >= PARTICIPANTS_MAX || scanned >= ADDRESSES_SCAN_MAX) break;
    scanned++;
    const address = normaliseAddress(entry?.address);
    if (address === null || seen.has(address)) continue;
    seen.add(address);
    if (ticketMailbox !== null && mailboxOf(address) === ticketMailbox) continue;
    if (ownDomains.has(address.slice(address.indexOf('@') + 1))) continue;
    out.push(address);
  }
  return out;
}

function listOf(value: unknown): Array<{ address?: unknown } | null> {
  return Array.isArray(value) ? (value as Array<{ address?: unknown } | null>) : [];
}

/** 'support+inc0010001@example.com' -> 'support@example.com' (input already normalised). */
export function mailboxOf(address: string): string {
  const at = address.indexOf('@');
  const local = address.slice(0, at);
  const plus = local.indexOf('+');
  return (plus > 0 ? local.slice(0, plus) : local) + address.slice(at);
}

/** The longest name an agent may give a participant. */
export const PARTICIPANT_NAME_MAX = 100;

export type Checked<T> = { value: T } | { error: string };

/**
 * An address an agent adds as a participant: one plain address (normaliseAddress: lower-cased, within
 * 254 characters, a surrounding <> allowed), never our ticket address (also not with a +tag), since the
 * thread's mail goes to it. A line break, a list and a name ('Anna <anna@example.com>') each get their own
 * reason: they are how one header becomes many, or another recipient than the one shown.
 */
export function participantAddress(raw: unknown, ticketAddress: string): Checked<string> {
  if (typeof raw !== 'string' || raw.trim() === '') return { error: 'The address is missing' };
  if (/[\r\n]/.test(raw)) return { error: 'The address must be one address without line breaks' };
  if (raw.length > 1000) return { error: `The address has ${raw.length} characters; an address has at most 254` };
  if (/[,;]/.test(raw)) return { error: `The address must be one address, not a list, got ${JSON.stringify(raw)}` };
  const trimmed = raw.trim();
  if (/<[^<>]*>\s*$/.test(trimmed) && !trimmed.startsWith('<')) {
    return { error: `The address must be a plain address without a name, such as anna@example.com, got ${JSON.stringify(raw)}` };
  }
  const address = normaliseAddress(trimmed);
  if (address === null) return { error: `The address must be a plain email address such as anna@example.com, got ${JSON.stringify(raw)}` };
  const ticket = normaliseAddress(ticketAddress);
  if (ticket !== null && mailboxOf(address) === mailboxOf(ticket)) {
    return { error: `${address} is our own ticket address: mail to it would come back to us` };
  }
  return { value: address };
}

/** The name an agent gives a participant: trimmed, one line, at most 100 characters; blank means none. */
export function participantName(raw: unknown): Checked<string | null> {
  if (raw === undefined || raw === null) return { value: null };
  if (typeof raw !== 'string') return { error: 'The name must be text' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) return { error: 'The name must be one line without control characters' };
  const name = raw.trim();
  if (name.length > PARTICIPANT_NAME_MAX) return { error: `The name has ${name.length} characters; at most ${PARTICIPANT_NAME_MAX}` };
  return { value: name === '' ? null : name };
}
