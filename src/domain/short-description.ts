// Subject -> short description: the one line an agent sees in every list.
export const SHORT_DESCRIPTION_MAX = 160;
export const NO_SUBJECT = '(no subject)';

/**
 * Replaces lone UTF-16 surrogates (which a hostile RFC 2047 / RFC 2231 word in UTF-16 can produce) with
 * U+FFFD: they cannot be encoded as UTF-8, so S3 keys, JSON and PostgreSQL text would all reject them.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Collapses whitespace and drops control characters, so no CR/LF or NUL survives into a one-line field. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return wellFormed(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Cuts to at most `max` characters without splitting a surrogate pair, ending in an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  // Prefer a word boundary when one is near the end, so "Printer on fl…" reads "Printer on…".
  const space = cut.lastIndexOf(' ');
  const base = space >= max * 0.6 ? cut.slice(0, space) : cut;
  return base.trimEnd() + '…';
}

/**
 * The incident's short description: the subject on one line, at most 160 characters, never empty.
 * A mail without a subject is described by the first words of its body.
 */
export function shortDescriptionFrom(subject: string | null | undefined, body: string): string {
  const fromSubject = oneLine(subject ?? '');
  if (fromSubject) return truncate(fromSubject, SHORT_DESCRIPTION_MAX);
  const firstLine = body.split(/\r?\n/).map(oneLine).find((line) => line.length > 0);
  return firstLine ? truncate(firstLine, SHORT_DESCRIPTION_MAX) : NO_SUBJECT;
}
