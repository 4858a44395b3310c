// The one order of the rules kept in a table (routing rules, parsing rules): the order the worker applies
// them in and the admin page lists them in. Lower position first; equal positions by ruleId compared by
// UTF-16 code units ('Net' before 'apps', 'r10' before 'r9'), never by locale, so that every machine
// agrees and the order never depends on how the table was scanned. An item without a numeric position
// (malformed: the worker skips it, the admin page shows it to be fixed) comes last.
export interface Positioned {
  position?: unknown;
  ruleId?: unknown;
}

/** A rule id is a key of the table: DynamoDB takes at most 2048 bytes, an admin reads far fewer. */
export const RULE_ID_MAX_CHARS = 100;
/** Positions are plain numbers an admin types; DynamoDB and JSON hold them exactly within this. */
export const POSITION_MAX = 1_000_000_000;

/** A rule's id and position (the table's key and its order), checked; or what is wrong with them. */
export function ruleKey(kind: 'routing rule' | 'parsing rule', ruleId: unknown, position: unknown): { ruleId: string; position: number } | { error: string } {
  if (typeof ruleId !== 'string' || ruleId.trim() === '') return { error: 'ruleId must be a non-empty string' };
  // eslint-disable-next-line no-control-regex
  if (ruleId.length > RULE_ID_MAX_CHARS || /[\u0000-\u001f\u007f]/.test(ruleId)) {
    return { error: `ruleId must be at most ${RULE_ID_MAX_CHARS} characters, without control characters` };
  }
  if (typeof position !== 'number' || !Number.isFinite(position) || Math.abs(position) > POSITION_MAX) {
    return { error: `${kind} ${JSON.stringify(ruleId)}: position must be a number between -${POSITION_MAX} and ${POSITION_MAX}` };
  }
  return { ruleId, position };
}

const rank = (position: unknown) => (typeof position === 'number' && Number.isFinite(position) ? position : Infinity);

export function byPosition(a: Positioned, b: Positioned): number {
  const [pa, pb] = [rank(a.position), rank(b.position)];
  if (pa !== pb) return pa < pb ? -1 : 1;
  const [ia, ib] = [String(a.ruleId), String(b.ruleId)];
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
