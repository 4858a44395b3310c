// Admin sign-in: one configured user, a random session id in an HttpOnly SameSite=Strict cookie (Secure
// over HTTPS or when configured), and a CSRF token per session that every form posts back. Sessions live
// in PostgreSQL, so any web replica serves any signed-in admin; sign-ins are throttled (sign-in-throttle).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { createAdminSession, deleteAdminSession, findAdminSession } from '../db/admin-sessions';
import { clientKeyOf, servedOverHttps } from './client-address';
import { SignInThrottle } from './sign-in-throttle';

export interface Session {
  /** SHA-256 of the cookie value: what the database knows the session by. */
  idHash: string;
  csrf: string;
  user: string;
  expiresAt: Date;
}

export interface SessionSettings {
  user: string;
  password: string;
  trustProxy: boolean;
  secureCookie: 'auto' | 'always';
}

export type SignInResult = { session: Session; cookieValue: string } | { refused: true } | { waitMs: number };

const COOKIE = 'e2t_session';
const LIFETIME_MS = 8 * 60 * 60 * 1000;

/** Constant time, whatever the lengths (both sides are hashed first). */
export const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const hashOf = (cookieValue: string) => createHash('sha256').update(cookieValue).digest('hex');

export class Sessions {
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly pool: Pool,
    private readonly settings: SessionSettings,
  ) {
    this.throttle = new SignInThrottle(pool);
  }

  async signIn(req: IncomingMessage, user: string, password: string): Promise<SignInResult> {
    // Both compared, in constant time, so a wrong guess says nothing about which part was wrong.
    const outcome = await this.throttle.attempt(clientKeyOf(req, this.settings.trustProxy), user, () => {
      const userOk = sameSecret(user, this.settings.user);
      const passwordOk = sameSecret(password, this.settings.password);
      return userOk && passwordOk;
    });
    if (outcome.kind === 'wait') return { waitMs: outcome.waitMs };
    if (outcome.kind === 'refused') return { refused: true };
    const cookieValue = randomBytes(32).toString('base64url');
    const stored = await createAdminSession(this.pool, { idHash: hashOf(cookieValue), csrf: randomBytes(32).toString('base64url'), user: this.settings.user, lifetimeMs: LIFETIME_MS });
    return { session: stored, cookieValue };
  }

  async signOut(session: Session): Promise<void> {
    await deleteAdminSession(this.pool, session.idHash);
  }

  async of(req: IncomingMessage): Promise<Session | null> {
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
    const value = cookie?.slice(COOKIE.length + 1);
    // A session id is 43 characters of base64url; anything else is not looked up.
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
    return findAdminSession(this.pool, hashOf(value));
  }

  static validCsrf(session: Session, token: unknown): boolean {
    return typeof token === 'string' && sameSecret(token, session.csrf);
  }

  /** Sets the session cookie (null: clears it); Secure when the request came over HTTPS or it is configured. */
  setCookie(req: IncomingMessage, res: ServerResponse, cookieValue: string | null): void {
    const value = cookieValue ? `${COOKIE}=${cookieValue}; Max-Age=${LIFETIME_MS / 1000}` : `${COOKIE}=; Max-Age=0`;
    const secure = this.settings.secureCookie === 'always' || servedOverHttps(req, this.settings.trustProxy);
    res.setHeader('Set-Cookie', `${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
  }
}
