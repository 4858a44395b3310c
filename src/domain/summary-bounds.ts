// What of an email's addresses and references travels in workflow history: bounded in count and in
// characters, whatever the email holds (the whole parse stays in S3). A 10,000-address To or a 1 MB
// References header must not make the history large (Temporal fails a workflow whose payloads are).
import { normaliseAddress } from './participants';
import { Address, SUMMARY_ADDRESS_LIMIT } from './types';

/** Characters of one list (addresses with names, or Message-IDs) in the summary. */
export const SUMMARY_LIST_CHARS_MAX = 2000;
/** The References our replies carry: the confirmation names at most the newest 19 and the email itself. */
const SUMMARY_REFERENCES_MAX = 19;
const ADDRESS_MAX = 254;

/** The valid mailboxes of a To or Cc list, in order, at most 50 and 2000 characters. */
export function summaryAddresses(list: readonly Address[]): Address[] {
  const out: Address[] = [];
  let chars = 0;
  for (const entry of list) {
    if (out.length >= SUMMARY_ADDRESS_LIMIT) break;
    const address = normaliseAddress(entry.address);
    if (address === null) continue;
    chars += address.length + entry.name.length;
    if (chars > SUMMARY_LIST_CHARS_MAX) break;
    out.push({ address, name: entry.name });
  }
  return out;
}

/** The From as the summary carries it: an address past RFC 5321's 254 characters (an invalid sender anyway) is cut. */
export function summaryFrom(from: Address | null): Address | null {
  return from && from.address.length > ADDRESS_MAX ? { ...from, address: from.address.slice(0, ADDRESS_MAX) } : from;
}

/** The newest References, at most 19 and 2000 characters. */
export function summaryReferences(references: readonly string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (let i = references.length - 1; i >= 0 && out.length < SUMMARY_REFERENCES_MAX; i--) {
    chars += references[i].length;
    if (chars > SUMMARY_LIST_CHARS_MAX) break;
    out.unshift(references[i]);
  }
  return out;
}
