// Links to an email's attachments and HTML body: a signed token naming the email, the part and when the
// link expires, valid only for the one who was given it (the admin's session, or the API's token). A link
// copied out of a page, a log or a browser history is of no use to anyone else, and of none after a few
// minutes; nobody can make one for an email of their choosing without the key.
import { timingSafeEqual } from 'node:crypto';
import { keyedHash } from '../encryption/keyed-hash';

/** How long a link works: long enough to click it, short enough that a leaked one is dead. */
export const LINK_LIFETIME_MS = 5 * 60 * 1000;
/** Longer tokens are not looked at (a SES message id is short). */
const MAX_TOKEN_CHARS = 400;
const PURPOSE = 'email-part-link';

/** An attachment by its position in the email's list, or the HTML body. */
export type EmailPart = number | 'html';

export interface EmailPartLink {
  sesMessageId: string;
  part: EmailPart;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Who a link is for: the session that was shown it, or the API. */
export const sessionAudience = (sessionIdHash: string) => `session:${sessionIdHash}`;
export const API_AUDIENCE = 'api';

const mac = (key: Buffer, audience: string, claims: string) => keyedHash(key, PURPOSE, `${audience}\0${claims}`).subarray(0, 24);

export function signPartLink(key: Buffer, audience: string, link: Omit<EmailPartLink, 'expiresAt'>, now = Date.now()): { token: string; expiresAt: number } {
  const expiresAt = now + LINK_LIFETIME_MS;
  const claims = Buffer.from(JSON.stringify({ m: link.sesMessageId, p: link.part, x: expiresAt })).toString('base64url');
  return { token: `${claims}.${mac(key, audience, claims).toString('base64url')}`, expiresAt };
}

export type LinkCheck = { link: EmailPartLink } | { refused: 'forged' | 'expired' };

/** The link the token names, when it was signed with the key for this audience and has not expired. */
export function readPartLink(key: Buffer, audience: string, token: string, now = Date.now()): LinkCheck {
  const [claims, signature, extra] = token.length <= MAX_TOKEN_CHARS ? token.split('.') : [];
  if (!claims || !signature || extra !== undefined) return { refused: 'forged' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, audience, claims);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'forged' };
  let value: { m?: unknown; p?: unknown; x?: unknown };
  try {
    value = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
  } catch {
    return { refused: 'forged' };
  }
  const part = value.p === 'html' || (typeof value.p === 'number' && Number.isInteger(value.p) && value.p >= 0) ? (value.p as EmailPart) : null;
  if (typeof value.m !== 'string' || part === null || typeof value.x !== 'number') return { refused: 'forged' };
  if (now >= value.x) return { refused: 'expired' };
  return { link: { sesMessageId: value.m, part, expiresAt: value.x } };
}
