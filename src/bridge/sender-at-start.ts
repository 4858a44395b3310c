// The sender SES's receipt notification already names (mail.commonHeaders.from). The bridge sets the
// EmailSender search attribute with the start, which is free, so the workflow need not upsert it after
// parsing (a billable action). It is for finding the email only: every decision uses the workflow's parse.
import addressparser from 'nodemailer/lib/addressparser';

const MAX_ADDRESS_CHARS = 254;
// Printable, no spaces or controls, exactly one @ with something either side: anything else is not set.
const PLAIN_ADDRESS = /^[^\s@\x00-\x1f\x7f]+@[^\s@\x00-\x1f\x7f]+$/;

/** The first address of commonHeaders.from, lower-cased as the parser does; null when there is none. */
export function senderAtStart(mail: Record<string, unknown>): string | null {
  const headers = mail.commonHeaders;
  if (typeof headers !== 'object' || headers === null) return null;
  const from = (headers as { from?: unknown }).from;
  const first = Array.isArray(from) ? from.find((f): f is string => typeof f === 'string') : undefined;
  // A value with line breaks or other controls is not a header SES decoded for us: nothing is trusted from it.
  if (!first || first.length > 4 * MAX_ADDRESS_CHARS || /[\x00-\x1f\x7f]/.test(first)) return null;
  const address = addressparser(first, { flatten: true })[0]?.address?.replace(/\s+/g, '').toLowerCase() ?? '';
  return address.length <= MAX_ADDRESS_CHARS && PLAIN_ADDRESS.test(address) ? address : null;
}
