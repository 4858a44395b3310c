// Sign-in and sign-out.
import { retryAfterSeconds } from '../../domain/sign-in-backoff';
import { html, layout } from '../html';
import { HttpError, redirect, Route, sendHtml } from '../server';
import { Sessions } from '../session';

/** Only local paths: `next` must not send a signed-in admin to another site. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/admin\/[\w\-/.%]*$/.test(next) ? next : '/admin/quarantine');

export function signInRoutes(sessions: Sessions): Route[] {
  const form = (next: string, error?: string) =>
    layout(
      'Sign in',
      html`${error ? html`<p class="err">${error}</p>` : ''}<form method="post" action="/login">
<input type="hidden" name="next" value="${next}">
<p><label>User <input name="user" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p></form>`,
      false,
    );
  return [
    { method: 'GET', path: '/login', access: 'public', handler: async ({ res, url }) => sendHtml(res, 200, form(safeNext(url.searchParams.get('next')))) },
    {
      method: 'POST',
      path: '/login',
      access: 'public',
      handler: async ({ req, res, body }) => {
        const result = await sessions.signIn(req, String(body.user ?? ''), String(body.password ?? ''));
        if ('waitMs' in result) {
          const seconds = retryAfterSeconds(result.waitMs);
          res.setHeader('Retry-After', String(seconds));
          return sendHtml(res, 429, form(safeNext(body.next), `Too many failed sign-ins: try again in ${seconds} s`));
        }
        if ('refused' in result) return sendHtml(res, 401, form(safeNext(body.next), 'Wrong user or password'));
        sessions.setCookie(req, res, result.cookieValue);
        redirect(res, safeNext(body.next));
      },
    },
    {
      method: 'POST',
      path: '/logout',
      access: 'public',
      handler: async ({ res, req }) => {
        const session = await sessions.of(req);
        if (session) await sessions.signOut(session);
        sessions.setCookie(req, res, null);
        redirect(res, '/login');
      },
    },
    { method: 'GET', path: '/', access: 'public', handler: async ({ res }) => redirect(res, '/admin/quarantine') },
  ];
}

export { HttpError };
