// The sender as the EmailSender search attribute shows it. Search attributes are stored unencoded (the
// payload codec does not reach them), so by default it holds a keyed hash of the address: an operator
// who knows the address can compute it (`stuck --sender`, `status --sender`), nobody can read it back.
import { normaliseAddress } from '../domain/participants';
import { senderHash } from '../encryption/keyed-hash';

export type SearchSenderAs = 'address' | 'domain' | 'hash';

export interface SearchSenderSetting {
  as: SearchSenderAs;
  /** The key of the hash (CUSTOMER_HASH_KEY). */
  hashKey: Buffer;
}

/** Null for an address that is not a valid mailbox: a search attribute over 2 KB would terminate the workflow. */
export function senderForSearch(raw: string, setting: SearchSenderSetting): string | null {
  const address = normaliseAddress(raw);
  if (address === null) return null;
  if (setting.as === 'address') return address;
  if (setting.as === 'domain') return address.slice(address.lastIndexOf('@') + 1);
  return senderHash(setting.hashKey, address);
}

export const searchSenderSetting = (config: { searchSenderAs: SearchSenderAs; customerData: { hashKey: Buffer } }): SearchSenderSetting => ({
  as: config.searchSenderAs,
  hashKey: config.customerData.hashKey,
});
