// The sender as the EmailSender search attribute shows it. Search attributes are stored unencoded, so an
// installation may keep addresses out of them (SEARCH_SENDER_AS=domain or hash).
import { createHash } from 'node:crypto';

export type SearchSenderAs = 'address' | 'domain' | 'hash';

export function senderForSearch(address: string, as: SearchSenderAs): string {
  if (as === 'address') return address;
  if (as === 'domain') return address.slice(address.lastIndexOf('@') + 1);
  return createHash('sha256').update(address).digest('hex').slice(0, 32);
}
