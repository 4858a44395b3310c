// The body watermark: every outbound email of an incident's thread carries "[ref:INC0010001]" in its
// body, so a reply whose client dropped In-Reply-To/References (or whose subject was edited) can still
// be matched through the quoted text. Pure: imported by workflow code.
//
// A watermark proves nothing about the sender (anyone can type one): who may speak on the thread is
// decided separately (thread-permission.ts).
//
// Well-formed means exactly "[ref:" + "INC" + 7 digits + "]": case-sensitive, no spaces inside. Those
// 16 characters survive quoting ("> [ref:INC0010001]"), HTML-to-text and line wrapping intact.
import { isIncidentNumber } from './incident-number';

/** Only the first this many characters of a body are searched. */
export const WATERMARK_SCAN_LIMIT = 200_000;
/** At most this many distinct incident numbers are returned. */
export const WATERMARK_RESULTS_MAX = 10;

const OPEN = '[ref:';
const NUMBER_LENGTH = 10; // 'INC' + 7 digits

/** 'INC0010001' -> '[ref:INC0010001]'. Throws for anything that is not an incident number. */
export function watermarkFor(incidentNumber: string): string {
  if (!isIncidentNumber(incidentNumber)) {
    const shown = typeof incidentNumber === 'string' ? JSON.stringify(incidentNumber.slice(0, 60)) : String(incidentNumber);
    throw new Error(`Invalid incident number ${shown}: expected INC followed by 7 digits`);
  }
  return `${OPEN}${incidentNumber}]`;
}

/**
 * The distinct incident numbers of the well-formed watermarks in the text, in order of first
 * appearance; at most 10, from the first 200,000 characters.
 */
export function findWatermarks(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const scanned = text.length > WATERMARK_SCAN_LIMIT ? text.slice(0, WATERMARK_SCAN_LIMIT) : text;
  const found: string[] = [];
  let from = 0;
  while (found.length < WATERMARK_RESULTS_MAX) {
    const at = scanned.indexOf(OPEN, from);
    if (at < 0) break;
    const numberStart = at + OPEN.length;
    const close = numberStart + NUMBER_LENGTH;
    if (close >= scanned.length) break; // the whole watermark, ']' included, must lie within the limit
    const candidate = scanned.slice(numberStart, close);
    if (scanned[close] === ']' && isIncidentNumber(candidate) && !found.includes(candidate)) found.push(candidate);
    from = at + 1;
  }
  return found;
}
