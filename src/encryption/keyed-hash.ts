// Keyed hashes (HMAC-SHA-256) of customer data for places that must not hold it in plain text but must
// still match it: the EmailSender search attribute and the tracking tokens. Without the key, nobody can
// test a guessed address against a hash, as they could against a plain SHA-256.
import { createHash, createHmac } from 'node:crypto';

/** `purpose` keeps the hashes of one use from being valid in another. */
export function keyedHash(key: Buffer, purpose: string, value: string): Buffer {
  return createHmac('sha256', key).update(purpose).update('\0').update(value).digest();
}

/** The EmailSender search attribute of a (normalised) address: 32 hex digits. */
export const senderHash = (key: Buffer, address: string) => keyedHash(key, 'email-sender', address).toString('hex').slice(0, 32);

/** A monitoring alert key (host/service) as its workflow id names it: 32 hex digits. */
export const alertKeyHash = (key: Buffer, alertKey: string) => keyedHash(key, 'alert-key', alertKey).toString('hex').slice(0, 32);

/**
 * The incident's tracking token, derived rather than stored, so that the confirmation step can compute it
 * itself and no token passes through workflow history. One incident per SES message id, so that id names it;
 * 32 characters (192 bits), as the random ones were.
 */
export const trackingTokenFor = (key: Buffer, sesMessageId: string) => keyedHash(key, 'tracking-token', sesMessageId).toString('base64url').slice(0, 32);

/** What the database keeps of a tracking token: its SHA-256, so a copy of the table opens no tracking page. */
export const trackingTokenDigest = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
