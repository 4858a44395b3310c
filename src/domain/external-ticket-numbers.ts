// Other helpdesks' ticket numbers: a vendor's case ("[VENDOR-123456]", "Case #00123456"), another
// ServiceNow instance's incident ("[ACME INC0012345]"). Each system is configured with a name and a pattern
// (EXTERNAL_TICKET_PATTERNS, README "Threads"); a reply that joins one of our incidents by our own clues
// records the numbers it carries, and later mail carrying one of them, and none of our clues, joins that
// incident (docs/reply-detection.md). Pure: the patterns run on the safe regex engine, bounded.
//
// Our own numbers and theirs never mix: a pattern that matches one of our numbers as we write them
// (INC0010001, [INC0010001], [ref:INC0010001]) is refused at start, a match that is nothing but one of our
// numbers is dropped, and the text an external pattern matched is hidden from the search for our number,
// so "[ACME INC0012345]" names ACME's incident, never our INC0012345.
import { isIncidentNumber } from './incident-number';
import { isJsonObject } from './json-object';
import { compileSafeRegex, SafeRegex } from './safe-regex';

/** One configured system: its name and where its numbers are looked for. */
export interface ExternalTicketPattern {
  system: string;
  regex: SafeRegex;
  /** Also look in the body's first characters (EXTERNAL_BODY_SCAN_CHARS); default: the subject only. */
  body: boolean;
}

/** A number of another system, as an email carries it and an incident records it. */
export interface ExternalNumber {
  system: string;
  number: string;
}

export const EXTERNAL_PATTERNS_MAX = 20;
/** Numbers one email carries into history, over all patterns. */
export const EXTERNAL_NUMBERS_MAX = 5;
/** A longer capture is no ticket number. */
export const EXTERNAL_NUMBER_CHARS_MAX = 100;
/** Body characters a pattern with `body: true` reads: the new text of a reply, not the whole quoted history. */
export const EXTERNAL_BODY_SCAN_CHARS = 2000;
/** Subject characters read (a subject is at most 998). */
export const EXTERNAL_SUBJECT_SCAN_CHARS = 1000;
const SYSTEM_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
const FIELDS = new Set(['system', 'pattern', 'body']);
/** Our numbers as our mail writes them: a pattern matching any of these would take ours for theirs. */
const OUR_NUMBER_SAMPLES = ['INC0010001', '[INC0010001]', 'Re: [INC0010001] Printer', '[ref:INC0010001]'];
// eslint-disable-next-line no-control-regex
const NOT_IN_NUMBER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The configured systems, checked: a JSON array of at most 20 `{ "system", "pattern", "body"? }`. A system's
 * name is lower-case letters, digits, '-' and '_' (1 to 40, a letter first), each name once; the pattern is
 * RE2 syntax, matches no empty text and none of our own numbers. The number is the pattern's group named
 * `number`, else its first group, else the whole match. Throws an Error naming the entry at fault.
 */
export function parseExternalTicketPatterns(value: unknown): ExternalTicketPattern[] {
  if (!Array.isArray(value)) throw new Error('expected a JSON array of {"system": "...", "pattern": "..."}');
  if (value.length > EXTERNAL_PATTERNS_MAX) throw new Error(`${value.length} patterns, at most ${EXTERNAL_PATTERNS_MAX}`);
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const at = `entry ${index + 1}`;
    if (!isJsonObject(entry)) throw new Error(`${at}: expected an object {"system": "...", "pattern": "..."}`);
    const unknown = Object.keys(entry).filter((key) => !FIELDS.has(key));
    if (unknown.length) throw new Error(`${at}: unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (system, pattern, body)`);
    const { system, pattern, body } = entry;
    if (typeof system !== 'string' || !SYSTEM_NAME.test(system)) {
      throw new Error(`${at}: system must be 1 to 40 lower-case letters, digits, - or _, starting with a letter`);
    }
    if (seen.has(system)) throw new Error(`${at}: system ${system} is named twice`);
    seen.add(system);
    if (body !== undefined && typeof body !== 'boolean') throw new Error(`${at} (${system}): body must be true or false`);
    const compiled = compileSafeRegex(pattern as string);
    if (!compiled.ok) throw new Error(`${at} (${system}): pattern: ${compiled.error}`);
    const { regex } = compiled;
    if (regex.test('')) throw new Error(`${at} (${system}): pattern matches an empty text`);
    const ours = OUR_NUMBER_SAMPLES.find((sample) => regex.test(sample));
    if (ours !== undefined) {
      throw new Error(`${at} (${system}): pattern matches our own incident numbers (${JSON.stringify(ours)}); give it what sets the other system apart, e.g. "\\\\[ACME (INC\\\\d{7})\\\\]"`);
    }
    return { system, regex, body: body === true };
  });
}

/**
 * The other systems' numbers an email carries: each pattern over the subject (and the body's start when it
 * asks), in the configured order, distinct, at most EXTERNAL_NUMBERS_MAX.
 */
export function findExternalNumbers(patterns: readonly ExternalTicketPattern[], email: { subject: string; body: string }): ExternalNumber[] {
  const subject = head(email.subject, EXTERNAL_SUBJECT_SCAN_CHARS);
  const body = head(email.body, EXTERNAL_BODY_SCAN_CHARS);
  const found: ExternalNumber[] = [];
  const keys = new Set<string>();
  for (const pattern of patterns) {
    for (const text of pattern.body ? [subject, body] : [subject]) {
      for (const span of pattern.regex.spans(text, EXTERNAL_NUMBERS_MAX)) {
        if (found.length >= EXTERNAL_NUMBERS_MAX) return found;
        const number = numberOf(span);
        const key = `${pattern.system}\u0000${number}`;
        if (number === null || keys.has(key)) continue;
        keys.add(key);
        found.push({ system: pattern.system, number });
      }
    }
  }
  return found;
}

/** The text with every other system's number blanked out (same length), so our own number is not read inside one. */
export function withoutExternalNumbers(patterns: readonly ExternalTicketPattern[], text: string): string {
  const scanned = head(text, EXTERNAL_SUBJECT_SCAN_CHARS);
  const blank = new Array<boolean>(scanned.length).fill(false);
  for (const pattern of patterns) {
    for (const span of pattern.regex.spans(scanned, EXTERNAL_SUBJECT_SCAN_CHARS)) {
      if (numberOf(span) !== null) blank.fill(true, span.start, span.end);
    }
  }
  return scanned.split('').map((c, i) => (blank[i] ? ' ' : c)).join('');
}

/** Whether a value read back (a lookup, a signal) is a number as findExternalNumbers makes them. */
export function isExternalNumber(value: unknown): value is ExternalNumber {
  return (
    isJsonObject(value) &&
    typeof value.system === 'string' &&
    SYSTEM_NAME.test(value.system) &&
    typeof value.number === 'string' &&
    value.number.length > 0 &&
    value.number.length <= EXTERNAL_NUMBER_CHARS_MAX &&
    !NOT_IN_NUMBER.test(value.number)
  );
}

/** "ACME INC0012345" for people (the CLI, the admin page). */
export function describeExternalNumber(n: ExternalNumber): string {
  return `${n.system} ${n.number}`;
}

/** The number a match names; null when it is empty, too long, has control characters, or is only one of ours. */
function numberOf(span: { match: string; groups: Record<string, string> }): string | null {
  // A match that is nothing but our own number ("[INC0010001]") names ours, whatever the pattern says.
  if (span.match.length <= 20 && isIncidentNumber(span.match.replace(/^[\s[(]+|[\s\])]+$/g, ''))) return null;
  const number = (span.groups.number ?? span.groups['1'] ?? span.match).trim();
  if (number.length === 0 || number.length > EXTERNAL_NUMBER_CHARS_MAX || NOT_IN_NUMBER.test(number)) return null;
  return number;
}

function head(text: string, chars: number): string {
  if (typeof text !== 'string') return '';
  if (text.length <= chars) return text;
  // Never half a surrogate pair at the end.
  const last = text.charCodeAt(chars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? chars - 1 : chars);
}
