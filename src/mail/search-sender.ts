// The sender as the EmailSender search attribute shows it. Search attributes are stored unencoded, so an
// installation may keep addresses out of them (SEARCH_SENDER_AS=domain or hash).
import { createHash } from 'node:crypto';
import { normaliseAddress } from '../domain/participants';

export type SearchSenderAs = 'address' | 'domain' | 'hash';

/** Null for an address that is not a valid mailbox: a search attribute over 2 KB would terminate the workflow. */
export function senderForSearch(raw: string, as: SearchSenderAs): string | null {
  const address = normaliseAddress(raw);
  if (address === null) return null;
  if (as === 'address') return address;
  if (as === 'domain') return address.slice(address.lastIndexOf('@') + 1);
  return createHash('sha256').update(address).digest('hex').slice(0, 32);
}
