// Admin sign-in: one configured user, a random session id in an HttpOnly SameSite=Strict cookie, and a
// CSRF token per session that every form posts back. Sessions live in memory (a restart signs out).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

export interface Session {
  id: string;
  csrf: string;
  user: string;
  expiresAt: number;
}

const COOKIE = 'e2t_session';
const LIFETIME_MS = 8 * 60 * 60 * 1000;
const LOCKOUT_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_CLIENT = 5;
const MAX_FAILURES_OVERALL = 50;

/** Constant time, whatever the lengths (both sides are hashed first). */
export const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly admin: { user: string; password: string }) {}

  private readonly failures = new Map<string, { count: number; since: number }>();

  /** False while a client (or everyone, past 50 failures) is locked out after failed sign-ins. */
  mayTry(client: string): boolean {
    const now = Date.now();
    for (const key of [client, '*']) {
      const f = this.failures.get(key);
      if (f && now - f.since > LOCKOUT_MS) this.failures.delete(key);
    }
    return (this.failures.get(client)?.count ?? 0) < MAX_FAILURES_PER_CLIENT && (this.failures.get('*')?.count ?? 0) < MAX_FAILURES_OVERALL;
  }

  signIn(user: string, password: string, client = 'unknown'): Session | null {
    // Both compared, in constant time, so a wrong guess says nothing about which part was wrong.
    const userOk = sameSecret(user, this.admin.user);
    const passwordOk = sameSecret(password, this.admin.password);
    if (!userOk || !passwordOk) {
      for (const key of [client, '*']) {
        const f = this.failures.get(key) ?? { count: 0, since: Date.now() };
        this.failures.set(key, { count: f.count + 1, since: f.since });
      }
      return null;
    }
    const session = { id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), user, expiresAt: Date.now() + LIFETIME_MS };
    this.sessions.set(session.id, session);
    return session;
  }

  signOut(session: Session): void {
    this.sessions.delete(session.id);
  }

  of(req: IncomingMessage): Session | null {
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
    const session = cookie ? this.sessions.get(cookie.slice(COOKIE.length + 1)) : undefined;
    if (!session || session.expiresAt < Date.now()) return null;
    return session;
  }

  static validCsrf(session: Session, token: unknown): boolean {
    return typeof token === 'string' && sameSecret(token, session.csrf);
  }

  static setCookie(res: ServerResponse, session: Session | null): void {
    const value = session ? `${COOKIE}=${session.id}; Max-Age=${LIFETIME_MS / 1000}` : `${COOKIE}=; Max-Age=0`;
    res.setHeader('Set-Cookie', `${value}; Path=/; HttpOnly; SameSite=Strict`);
  }
}
