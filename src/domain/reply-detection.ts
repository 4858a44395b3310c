// Reply detection: is an inbound email a reply on an existing incident's thread?
// Pure: no Node built-ins, no I/O, no clock. Imported by the inbound-email workflow.
//
// Recognised, in this order (docs/reply-detection.md):
//   1. references  In-Reply-To / References name a message of the thread (we stamp our own Message-IDs
//                  on everything we send; SES may rewrite them to <SES-MESSAGE-ID@...amazonses.com>,
//                  so the SES message ids are offered as clues too);
//   2. watermark   "[ref:INC0010001]" in the body (watermark.ts);
//   3. subject     the incident number in the subject after stripping reply prefixes;
//   4. external    another helpdesk's number (external-ticket-numbers.ts) that a reply on the incident
//                  brought: only when none of our own clues names an incident.
// A forward (the outermost subject prefix is Fw/Fwd/WG/TR/...) always makes a NEW incident, even when
// it names one of our messages in In-Reply-To: forwarding a ticket mail to a colleague or to the
// helpdesk itself is how people ask for something new, and they keep the old thread as context.
//
// replyClues() only reads the email; the caller looks the clues up in the database and passes what it
// found to decideThread(). Neither says whether the sender may speak on the thread: thread-permission.ts.
import { ExternalTicketPattern, findExternalNumbers, withoutExternalNumbers } from './external-ticket-numbers';
import { INCIDENT_NUMBER_PATTERN, isIncidentNumber } from './incident-number';
import { stripReplyPrefixes, SUBJECT_SCAN_LIMIT } from './reply-prefix';
import { findWatermarks } from './watermark';
import type { ReplyClues } from './types';

/** Message-IDs longer than this are not ids (RFC 5322 lines are 998 characters; real ids are < 100). */
export const MESSAGE_ID_MAX = 250;
/** At most this many message ids are returned by replyClues. */
export const REPLY_MESSAGE_IDS_MAX = 50;
/** And at most this many characters of them: they travel in workflow history (real ids are under 100). */
export const REPLY_MESSAGE_IDS_CHARS_MAX = 2000;
/** At most this many ids, and this many References entries (newest first), are looked at. */
const MESSAGE_IDS_SCAN_MAX = 500;

// eslint-disable-next-line no-control-regex
const NOT_IN_ID = /[\s\u0000-\u001f\u007f-\u009f<>]/;
// One bracketed id; the class excludes both brackets and whitespace and the repeat is bounded: linear.
const BRACKETED_ID = /<([^<>\s]{1,250})>/g;
const WHITESPACE = /\s+/;

/**
 * '<abc@example.com>' -> 'abc@example.com': angle brackets stripped, trimmed. Null when empty, longer
 * than 250 characters, or holding whitespace, control characters or another angle bracket. Case is kept
 * (the local part of a Message-ID is case-sensitive).
 */
export function normaliseMessageId(id: string): string | null {
  if (typeof id !== 'string') return null;
  let s = id.trim();
  if (s.startsWith('<')) s = s.slice(1);
  if (s.endsWith('>')) s = s.slice(0, -1);
  s = s.trim();
  if (s.length === 0 || s.length > MESSAGE_ID_MAX || NOT_IN_ID.test(s)) return null;
  return s;
}

/**
 * The SES message id inside a Message-ID that SES wrote: '<0102018b-...-000000@eu-west-1.amazonses.com>'
 * -> '0102018b-...-000000'. Null unless the domain is amazonses.com or a subdomain of it and there is
 * exactly one '@' with something before it.
 */
export function sesIdFromMessageId(id: string): string | null {
  const s = normaliseMessageId(id);
  if (s === null) return null;
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@')) return null;
  const domain = s.slice(at + 1).toLowerCase();
  if (domain !== 'amazonses.com' && !domain.endsWith('.amazonses.com')) return null;
  if (domain.split('.').some((label) => label.length === 0)) return null;
  return s.slice(0, at);
}

export interface ReplyClueInput {
  inReplyTo: string | null;
  references: string[];
  subject: string;
  body: string;
}

// The clue set travels in workflow history inside EmailSummary, so its shape lives in types.ts:
// messageIds (In-Reply-To first, then References newest first; normalised, distinct, at most 50),
// sesIds (the SES ids among them, same order), watermarkNumbers, subjectNumber (the first incident
// number in the subject after its reply prefixes; '[INC0010001]' counts), reply and forward (the
// outermost subject prefix), and externalNumbers when configured patterns found any.
export type { ReplyClues };

/**
 * Everything in an email that may tie it to an existing thread. Reads only; decides nothing. Text an
 * external pattern matched is not searched for our own number: "[ACME INC0012345]" is ACME's.
 */
export function replyClues(email: ReplyClueInput, externalPatterns: readonly ExternalTicketPattern[] = []): ReplyClues {
  const messageIds = threadMessageIds(email.inReplyTo, email.references);
  const sesIds = distinct(messageIds.map(sesIdFromMessageId).filter((id): id is string => id !== null));
  const { base, reply, forward } = stripReplyPrefixes(email.subject);
  const scanned = base.length > SUBJECT_SCAN_LIMIT ? base.slice(0, SUBJECT_SCAN_LIMIT) : base;
  const match = INCIDENT_NUMBER_PATTERN.exec(externalPatterns.length ? withoutExternalNumbers(externalPatterns, scanned) : scanned);
  const externalNumbers = externalPatterns.length ? findExternalNumbers(externalPatterns, email) : [];
  return {
    messageIds,
    sesIds,
    watermarkNumbers: findWatermarks(email.body),
    subjectNumber: match ? match[0] : null,
    reply,
    forward,
    // Absent when none: a summary without them reads as before.
    ...(externalNumbers.length ? { externalNumbers } : {}),
  };
}

export type ThreadVia = 'references' | 'watermark' | 'subject' | 'external';

export type ThreadMatch = { incidentNumber: string; via: ThreadVia };

/** What the caller found for the clues: the incident number each kind of clue led to, if any. */
export interface ThreadLookup {
  byMessageId: string | null;
  byWatermark: string | null;
  bySubject: string | null;
  /** The incident that recorded one of the email's external numbers; unset in lookups made before them. */
  byExternalNumber?: string | null;
}

/**
 * The thread an email belongs to: references, then watermark, then subject, then an external number
 * (our own clues are stronger than another system's); null for a new incident.
 * A forward is always a new incident (null), whatever it references. A lookup result that is not an
 * incident number counts as nothing found.
 */
export function decideThread(clues: Pick<ReplyClues, 'forward'>, found: ThreadLookup): ThreadMatch | null {
  if (clues.forward) return null;
  if (isNumber(found.byMessageId)) return { incidentNumber: found.byMessageId, via: 'references' };
  if (isNumber(found.byWatermark)) return { incidentNumber: found.byWatermark, via: 'watermark' };
  if (isNumber(found.bySubject)) return { incidentNumber: found.bySubject, via: 'subject' };
  if (isNumber(found.byExternalNumber)) return { incidentNumber: found.byExternalNumber, via: 'external' };
  return null;
}

function isNumber(value: string | null | undefined): value is string {
  return typeof value === 'string' && isIncidentNumber(value);
}

/** In-Reply-To first, then References from the newest (last) backwards; normalised, distinct, at most 50. */
function threadMessageIds(inReplyTo: string | null, references: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let scanned = 0;
  let chars = 0;
  const take = (ids: string[]): boolean => {
    for (const raw of ids) {
      if (out.length >= REPLY_MESSAGE_IDS_MAX || scanned >= MESSAGE_IDS_SCAN_MAX) return false;
      scanned++;
      const id = normaliseMessageId(raw);
      if (id === null || seen.has(id)) continue;
      if (chars + id.length > REPLY_MESSAGE_IDS_CHARS_MAX) return false;
      seen.add(id);
      out.push(id);
      chars += id.length;
    }
    return true;
  };

  if (typeof inReplyTo === 'string') take(idsIn(inReplyTo));
  const refs = Array.isArray(references) ? references : [];
  // Entries are counted too, so a header of entries without any id cannot keep the scan going.
  for (let i = refs.length - 1, entries = 0; i >= 0 && entries < MESSAGE_IDS_SCAN_MAX; i--, entries++) {
    if (typeof refs[i] !== 'string') continue;
    // One entry may hold several ids ('<a@x> <b@y>'): newest is last there too.
    if (!take(idsIn(refs[i]).reverse())) break;
  }
  return out;
}

/**
 * The ids in one header value: every '<...>' when there is one (old clients write
 * 'In-Reply-To: Your message of Tue, 1 Oct <id@host>'), otherwise the whitespace-separated words.
 */
function idsIn(value: string): string[] {
  if (value.includes('<')) return Array.from(value.matchAll(BRACKETED_ID), (m) => m[1]);
  return value.trim().split(WHITESPACE);
}

function distinct(items: string[]): string[] {
  return Array.from(new Set(items));
}
