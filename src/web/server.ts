// The admin page and HTTP API, served by the project on node:http. /admin/* needs a signed-in session
// (every POST its CSRF token too); /api/* needs the bearer token; /track/<token> is public and read-only.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Client } from '@temporalio/client';
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { Config } from '../config';
import { ApiGate } from './api-gate';
import { answerCodecCors, CODEC_PATH_PREFIX, codecOriginAllowed } from './codec-cors';
import { esc, html, Html, layout } from './html';
import { asHttpError, HttpError } from './http-error';
import { Session, Sessions } from './session';

export { HttpError };

export interface WebDeps {
  config: Config;
  pool: Pool;
  aws: AwsClients;
  temporal: Client;
}

export interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  session: Session | null;
  /** Form fields of a POST (urlencoded) or the JSON body of an API call. */
  body: Record<string, unknown>;
  deps: WebDeps;
}

export type Handler = (r: Request) => Promise<void>;
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /**
   * admin: session (+ CSRF for POST); api: bearer token; public: nobody; operator: session and a JSON
   * body, no CSRF form token (the codec server, called by the Temporal Web UI: CORS and the Origin check guard it).
   */
  access: 'admin' | 'api' | 'public' | 'operator';
  handler: Handler;
}

const MAX_BODY_BYTES = 256 * 1024;

/** Every page's policy: no script, nothing from elsewhere, framed by nobody. */
export const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', PAGE_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // Tracking links carry a secret token: never leak it to another site.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

export function sendHtml(res: ServerResponse, status: number, page: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(page);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location });
  res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function match(route: Route, method: string, path: string): Record<string, string> | null {
  if (route.method !== method) return null;
  const want = route.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** The JSON body of an API call: an object, or a 400 saying what is wrong. */
function jsonObject(text: string): Record<string, unknown> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `The body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'The body must be a JSON object');
  return value as Record<string, unknown>;
}

export function createWebServer(deps: WebDeps, routes: Route[], sessions: Sessions, apiGate: ApiGate): Server {
  const server = createServer(async (req, res) => {
    securityHeaders(res);
    let url = new URL('/', 'http://localhost');
    const uiOrigins = deps.config.web?.temporalUiOrigins ?? [];
    try {
      // A request target such as //[ is no URL: answered 400 rather than thrown outside the handler.
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new HttpError(400, 'Malformed request path');
      }
      if (answerCodecCors(req, res, url.pathname, uiOrigins)) return;
      const found = routes.map((route) => ({ route, params: match(route, req.method ?? 'GET', url.pathname) })).find((m) => m.params);
      if (!found) throw new HttpError(404, 'Not found');
      const { route } = found;
      const params = found.params!;
      const session = route.access === 'admin' || route.access === 'operator' ? await sessions.of(req) : null;
      // Who may ask is settled before the body is read: strangers cannot make the server buffer anything.
      if (route.access === 'api') await apiGate.admit(req);
      if (route.access === 'admin' && !session && req.method !== 'GET') throw new HttpError(401, 'Sign in first');
      if (route.access === 'operator' && !session) throw new HttpError(401, 'Sign in to the admin page first');
      if (route.access === 'operator' && !codecOriginAllowed(req, uiOrigins)) throw new HttpError(403, 'Origin not allowed');
      let body: Record<string, unknown> = {};
      if (req.method === 'POST') {
        const text = await readBody(req);
        if (route.access === 'api' || route.access === 'operator') {
          if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'Send JSON (Content-Type: application/json)');
          body = jsonObject(text);
        } else {
          body = Object.fromEntries(new URLSearchParams(text));
        }
      }
      if (route.access === 'admin') {
        if (!session) {
          if (req.method === 'GET') return redirect(res, `/login?next=${encodeURIComponent(url.pathname)}`);
          throw new HttpError(401, 'Sign in first');
        }
        // Forms post their session's token: a page of another site cannot know it.
        if (req.method === 'POST' && !Sessions.validCsrf(session, body.csrf)) throw new HttpError(403, 'Invalid or missing CSRF token');
      }
      await route.handler({ req, res, url, params, session, body, deps });
    } catch (err) {
      const { status, message, retryAfterSeconds } = asHttpError(err);
      if (status === 500) console.error(err);
      if (res.headersSent) return res.end();
      if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith(CODEC_PATH_PREFIX)) return sendJson(res, status, { error: message });
      sendHtml(res, status, layout(`Error ${status}`, html`<p class="err">${message}</p>`, false));
    }
  });
  // Slow or idle clients are cut off instead of holding connections open.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.maxConnections = 500;
  return server;
}

/** The flash message carried by a redirect (?msg= / ?err=), escaped. */
export function flash(url: URL): Html {
  const msg = url.searchParams.get('msg');
  const err = url.searchParams.get('err');
  return new Html(`${msg ? `<p class="msg">${esc(msg)}</p>` : ''}${err ? `<p class="err">${esc(err)}</p>` : ''}`);
}
