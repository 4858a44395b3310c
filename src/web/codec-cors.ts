// CORS for the codec server: the Temporal Web UI, served from another origin, calls /codec/* from the
// operator's browser with the admin page's session cookie. Only the configured UI origins may, and only
// there: every other path of the admin page stays same-origin.
import { IncomingMessage, ServerResponse } from 'node:http';

export const CODEC_PATH_PREFIX = '/codec/';

/** True when the request was a preflight, answered here. */
export function answerCodecCors(req: IncomingMessage, res: ServerResponse, path: string, allowedOrigins: string[]): boolean {
  if (!path.startsWith(CODEC_PATH_PREFIX)) return false;
  const origin = req.headers.origin;
  if (origin && allowedOrigins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    // The session cookie rides along: without it the codec cannot tell an operator from anyone.
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  }
  if (req.method !== 'OPTIONS') return false;
  if (origin && allowedOrigins.includes(origin)) {
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    // The UI sends its namespace, and its own access token when configured to (we do not use it).
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204);
  res.end();
  return true;
}

/**
 * A cross-origin POST from a page of another site could still carry the cookie where SameSite allows it:
 * a request naming an origin must name ours or a configured UI's.
 */
export function codecOriginAllowed(req: IncomingMessage, allowedOrigins: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  return origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`;
}
