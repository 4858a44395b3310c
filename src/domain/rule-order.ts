// The one order of the rules kept in a table (routing rules, parsing rules): the order the worker applies
// them in and the admin page lists them in. Lower position first; equal positions by ruleId compared by
// UTF-16 code units ('Net' before 'apps', 'r10' before 'r9'), never by locale, so that every machine
// agrees and the order never depends on how the table was scanned. An item without a numeric position
// (malformed: the worker skips it, the admin page shows it to be fixed) comes last.
export interface Positioned {
  position?: unknown;
  ruleId?: unknown;
}

const rank = (position: unknown) => (typeof position === 'number' && Number.isFinite(position) ? position : Infinity);

export function byPosition(a: Positioned, b: Positioned): number {
  const [pa, pb] = [rank(a.position), rank(b.position)];
  if (pa !== pb) return pa < pb ? -1 : 1;
  const [ia, ib] = [String(a.ruleId), String(b.ruleId)];
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
