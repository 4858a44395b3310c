// Incident numbers: 'INC' + 7 digits (INC0010001), the name agents and customers use for a ticket.
// The database hands out the sequence; this file only says how a sequence becomes a number.

export const INCIDENT_NUMBER_PREFIX = 'INC';
export const INCIDENT_NUMBER_DIGITS = 7;
/** The largest sequence that still fits in 7 digits. */
export const MAX_INCIDENT_SEQUENCE = 9_999_999;

/**
 * Finds an incident number inside free text such as a subject ("Re: [INC0010001] Printer").
 * Word boundaries keep "INC00100012" or "XINC0010001" from matching. Deliberately not global,
 * so `test`/`exec` carry no `lastIndex` state between calls.
 */
export const INCIDENT_NUMBER_PATTERN = /\bINC\d{7}\b/;

const EXACT_INCIDENT_NUMBER = /^INC\d{7}$/;

/** 10001 -> 'INC0010001'. Throws on a sequence that cannot be written in 7 digits. */
export function formatIncidentNumber(seq: number): string {
  if (typeof seq !== 'number' || !Number.isInteger(seq)) {
    throw new Error(`Incident sequence must be an integer, got ${String(seq)}`);
  }
  if (seq < 1 || seq > MAX_INCIDENT_SEQUENCE) {
    // A wider number would break every subject match and every link already sent, so fail loudly.
    throw new Error(`Incident sequence must be between 1 and ${MAX_INCIDENT_SEQUENCE}, got ${seq}`);
  }
  return INCIDENT_NUMBER_PREFIX + String(seq).padStart(INCIDENT_NUMBER_DIGITS, '0');
}

/** True only for a whole string that is exactly one incident number (upper-case 'INC' + 7 digits). */
export function isIncidentNumber(s: string): boolean {
  return typeof s === 'string' && EXACT_INCIDENT_NUMBER.test(s);
}
