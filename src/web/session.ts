// Admin sign-in: one configured user, a random session id in an HttpOnly SameSite=Strict cookie, and a
// CSRF token per session that every form posts back. Sessions live in memory (a restart signs out).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

export interface Session {
  id: string;
  csrf: string;
  user: string;
  expiresAt: number;
}

const COOKIE = 'e2t_session';
const LIFETIME_MS = 8 * 60 * 60 * 1000;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly admin: { user: string; password: string }) {}

  signIn(user: string, password: string): Session | null {
    // Both compared in constant time, so a wrong guess says nothing about which part was wrong.
    const ok = sameSecret(user, this.admin.user) && sameSecret(password, this.admin.password);
    if (!ok) return null;
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
