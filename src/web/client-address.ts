// Where a request comes from and how it reached us. Behind a reverse proxy (WEB_TRUST_PROXY) the proxy's
// headers say so; otherwise they are the client's own words and are ignored.
import { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { throttleClientKey } from '../domain/client-key';

const header = (req: IncomingMessage, name: string): string => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(',') : value ?? '').trim();
};

/**
 * The key failed sign-ins of this client are counted under. Behind the proxy, the rightmost
 * X-Forwarded-For entry: the one our proxy appended; entries left of it are whatever the client sent.
 */
export function clientKeyOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? header(req, 'x-forwarded-for').split(',').map((s) => s.trim()).filter(Boolean).pop() : undefined;
  return throttleClientKey(forwarded ?? req.socket.remoteAddress ?? 'unknown');
}

/** True when the client reached us over HTTPS: our own TLS socket, or the trusted proxy's X-Forwarded-Proto. */
export function servedOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if (req.socket instanceof TLSSocket && req.socket.encrypted) return true;
  // A chain of proxies lists one protocol each; the last one is the hop that reached our proxy.
  return trustProxy && header(req, 'x-forwarded-proto').split(',').pop()?.trim().toLowerCase() === 'https';
}
