// Serving an email's parts on our origin without ever letting them act on it: an attachment is always a
// download (whatever type the sender claimed), the HTML body a sandboxed document that runs nothing and
// fetches nothing; both are reached only through a signed, short-lived link (email-part-links).
import { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { emailAttachment, emailHtml } from '../operations/incident-emails';
import { cidReferences, emailHtmlDocument, MAX_INLINE_IMAGE_BYTES, MAX_INLINE_IMAGES_BYTES } from './email-html';
import { EmailPartLink, readPartLink } from './email-part-links';
import { HttpError } from './http-error';

/** The link a request's token names, or the 403/410 to answer. */
export function checkedPartLink(key: Buffer, audience: string, token: string): EmailPartLink {
  const check = readPartLink(key, audience, token);
  if ('refused' in check) {
    if (check.refused === 'expired') throw new HttpError(410, 'This link has expired: open the incident again for a new one');
    throw new HttpError(403, 'This link is not valid here');
  }
  return check.link;
}

/**
 * `Content-Disposition: attachment` with the name in both forms: an ASCII fallback (no quote, backslash,
 * control character or path) and the exact UTF-8 name percent-encoded (RFC 6266, RFC 8187).
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^[. ]+/, '').slice(0, 100) || 'attachment';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The attachment as a download: bytes as stored, never typed as anything a browser would show. */
export async function sendAttachment(res: ServerResponse, pool: Pool, aws: AwsClients, link: EmailPartLink): Promise<void> {
  if (link.part === 'html') throw new HttpError(404, 'This link names no attachment');
  const download = await emailAttachment(pool, aws, link.sesMessageId, link.part);
  // Even if a browser ignored the disposition, it would find no type to sniff and a document that may do nothing.
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': attachmentDisposition(download.filename),
    'X-Content-Type-Options': 'nosniff',
    ...(download.length !== undefined ? { 'Content-Length': String(download.length) } : {}),
  });
  await pipeline(download.body, res);
}

/**
 * The HTML body, sanitised, as a document for a frame of our own pages: its policy runs no script (the
 * `sandbox` directive gives it an opaque origin even when opened on its own), loads nothing but the data:
 * images put in for cid: ones, and lets only our pages frame it.
 */
export async function sendEmailHtml(res: ServerResponse, pool: Pool, aws: AwsClients, link: EmailPartLink): Promise<void> {
  if (link.part !== 'html') throw new HttpError(404, 'This link names no HTML body');
  const parts = await emailHtml(pool, aws, link.sesMessageId, cidReferences, { maxImageBytes: MAX_INLINE_IMAGE_BYTES, maxTotalBytes: MAX_INLINE_IMAGES_BYTES });
  const view = emailHtmlDocument(parts.html, parts.images);
  res.setHeader('Content-Security-Policy', EMAIL_FRAME_POLICY);
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(view.document);
}

export const EMAIL_FRAME_POLICY =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";
