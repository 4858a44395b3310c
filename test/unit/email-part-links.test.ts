// The links to an email's attachments and HTML body: good only for the audience they were signed for,
// only until they expire, and not to be altered or made up; downloads carry a name that cannot break out.
import { randomBytes } from 'node:crypto';
import { API_AUDIENCE, LINK_LIFETIME_MS, readPartLink, sessionAudience, signPartLink } from '../../src/web/email-part-links';
import { attachmentDisposition } from '../../src/web/email-part-download';

const key = randomBytes(32);
const admin = sessionAudience('a'.repeat(64));
const now = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('email part links', () => {
  test('a link reads back, for its audience, until it expires', () => {
    const { token, expiresAt } = signPartLink(key, admin, { sesMessageId: 'ses-1', part: 2 }, now);
    expect(expiresAt).toBe(now + LINK_LIFETIME_MS);
    expect(readPartLink(key, admin, token, now + LINK_LIFETIME_MS - 1)).toEqual({ link: { sesMessageId: 'ses-1', part: 2, expiresAt } });
    expect(readPartLink(key, admin, token, now + LINK_LIFETIME_MS)).toEqual({ refused: 'expired' });
  });

  test('the HTML body is a part of its own', () => {
    const { token } = signPartLink(key, API_AUDIENCE, { sesMessageId: 'ses-1', part: 'html' }, now);
    expect(readPartLink(key, API_AUDIENCE, token, now)).toMatchObject({ link: { part: 'html' } });
  });

  test('another session, the API, another key: refused', () => {
    const { token } = signPartLink(key, admin, { sesMessageId: 'ses-1', part: 0 }, now);
    expect(readPartLink(key, sessionAudience('b'.repeat(64)), token, now)).toEqual({ refused: 'forged' });
    expect(readPartLink(key, API_AUDIENCE, token, now)).toEqual({ refused: 'forged' });
    expect(readPartLink(randomBytes(32), admin, token, now)).toEqual({ refused: 'forged' });
  });

  test('a link altered to name another email, part or expiry is refused', () => {
    const { token } = signPartLink(key, admin, { sesMessageId: 'ses-1', part: 0 }, now);
    const [, signature] = token.split('.');
    for (const claims of [{ m: 'ses-2', p: 0, x: now + LINK_LIFETIME_MS }, { m: 'ses-1', p: 1, x: now + LINK_LIFETIME_MS }, { m: 'ses-1', p: 0, x: now + 10 * LINK_LIFETIME_MS }]) {
      const altered = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      expect(readPartLink(key, admin, altered, now)).toEqual({ refused: 'forged' });
    }
  });

  test.each(['', '.', 'abc', 'a.b.c', `${'a'.repeat(500)}.b`, '%%%.%%%'])('junk %p is refused', (junk) => {
    expect(readPartLink(key, admin, junk, now)).toEqual({ refused: 'forged' });
  });
});

describe('attachment disposition', () => {
  test('always an attachment, the exact name percent-encoded and a plain fallback', () => {
    expect(attachmentDisposition('invoice 2025-03.pdf')).toBe(`attachment; filename="invoice 2025-03.pdf"; filename*=UTF-8''invoice%202025-03.pdf`);
  });

  test('quotes, markup, non-ASCII and leading dots cannot break out of the header or name a hidden file', () => {
    const header = attachmentDisposition('"><img src=x onerror=alert(1)>; filename=evil.exe \u00fcbersicht.html');
    expect(header).toMatch(/^attachment; filename="[A-Za-z0-9._ -]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/);
    expect(header).toContain('%C3%BCbersicht.html');
    expect(attachmentDisposition('..env')).toContain('filename="env"');
  });
});
