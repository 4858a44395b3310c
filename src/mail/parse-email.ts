// Raw MIME -> ParsedEmail: the one place that reads an inbound email. Runs in activities and the CLI.
// Mail is attacker-controlled: every one-line field comes out on one line, sizes are bounded,
// the description is plain text (no script, no style), and only the headers SES wrote on top
// of the stored message are believed for verdicts.
import { isUtf8 } from 'buffer';
import { domainToASCII } from 'node:url';
import { TextDecoder } from 'util';
import { simpleParser, type AddressObject, type EmailAddress, type HeaderLines } from 'mailparser';
import { htmlToText, type HtmlToTextOptions } from 'html-to-text';
import { classifyMailKind } from '../domain/mail-kind';
import { FROM_HEADER_CHARS_MAX } from '../domain/sender-mailbox';
import { oneLine, shortDescriptionFrom, truncate, wellFormed } from '../domain/short-description';
import type { Address, AttachmentSummary, AuthenticatedDomains, DeliveryReport, ParsedEmail, SesVerdicts } from '../domain/types';
import { readDeliveryReport } from './delivery-report';
import { authenticatedDomainsFrom, headerVerdictsFrom } from './ses-headers';

export interface ParsedMail {
  parsed: ParsedEmail;
  /** Attachment bytes, in the order of parsed.attachments. */
  attachmentContents: Buffer[];
  /** Each attachment's Content-ID without <> (what a cid: URL in the HTML names it by), or null; same order. */
  attachmentContentIds: (string | null)[];
  /** Verdicts SES wrote into the stored message's topmost headers; absent ones omitted. */
  headerVerdicts: Partial<SesVerdicts>;
  /** The domains SES's SPF and DKIM checks were for (sender authentication needs their alignment). */
  authenticatedDomains: AuthenticatedDomains;
  /** The text and HTML bodies as sent (a reply's quote stripping needs the HTML markup). */
  bodies: { text: string | null; html: string | null };
  /** Header lines by lower-cased name, every occurrence, bounded (routing rules match on them). */
  headers: Record<string, string[]>;
  /** Every mailbox the From header lists, as written (at most a few are kept: only their count matters). */
  fromMailboxes: string[];
  /** The raw value of each From header (a few at most, each cut past what a valid one can be). */
  fromHeaders: string[];
  /** A bounce's delivery report (failed recipients, the returned mail's Message-ID); null for other mail. */
  deliveryReport: DeliveryReport | null;
}

export interface ParseEmailOptions {
  /** Longest description kept, in characters (UTF-16 code units); longer ones are cut and marked. Default 100 000. */
  maxDescriptionChars?: number;
}

/** Thrown when mailparser itself gives up; the message starts with 'Unparseable email:'. */
export class UnparseableEmailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Unparseable email: ${message}`, options);
    this.name = 'UnparseableEmailError';
  }
}

export const DEFAULT_MAX_DESCRIPTION_CHARS = 100_000;
/** RFC 5322 line limit: a longer subject is not a subject any more. */
export const MAX_SUBJECT_CHARS = 998;
export const MAX_NAME_CHARS = 200;
export const MAX_FILENAME_CHARS = 200;
/** Message-IDs are short; anything longer is junk we do not carry into history. */
export const MAX_MESSAGE_ID_CHARS = 250;
/** References kept: the first (the thread's root) and the most recent ones. */
export const MAX_REFERENCES = 100;
/** HTML longer than this is cut before conversion (the description is capped far below anyway). */
const MAX_HTML_CHARS = 5_000_000;
/** Body characters the automated-mail rules read (src/domain/mail-kind/facts.ts reads at most 1000). */
const MAIL_KIND_BODY_CHARS = 1000;

export function truncationMarker(maxChars: number): string {
  return `[… description truncated at ${maxChars} characters]`;
}

/**
 * Parses a raw email. Never throws for anything mailparser survives; when mailparser rejects the
 * input, throws an UnparseableEmailError ('Unparseable email: ...').
 */
export async function parseEmail(raw: Buffer, opts: ParseEmailOptions = {}): Promise<ParsedMail> {
  const maxDescriptionChars = Math.max(1, Math.floor(opts.maxDescriptionChars ?? DEFAULT_MAX_DESCRIPTION_CHARS));
  let source = raw;
  try {
    source = repairRawEncoding(raw);
  } catch {
    // A repair that fails leaves the mail as it came; mailparser copes with the original.
  }
  let mail;
  try {
    mail = await simpleParser(source, {
      // We convert HTML ourselves (no script/style, no upper-cased headings) and only when there is no text part.
      skipHtmlToText: true,
      // No textAsHtml and no cid: -> data: URL rewriting: we never show HTML.
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
    });
  } catch (err) {
    throw new UnparseableEmailError(err instanceof Error ? err.message : String(err), { cause: err });
  }

  const headers = buildHeaderMap(mail.headerLines ?? []);
  const subject = truncate(oneLine(typeof mail.subject === 'string' ? mail.subject : ''), MAX_SUBJECT_CHARS);
  const description = buildDescription(mail.text, mail.html, maxDescriptionChars);
  const from = firstAddress(mail.from);
  const contentType = headers['content-type']?.[0] ?? 'text/plain';

  const attachmentContents: Buffer[] = [];
  const attachmentContentIds: (string | null)[] = [];
  const attachments: AttachmentSummary[] = (mail.attachments ?? []).map((attachment, index) => {
    const content = Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.alloc(0);
    attachmentContents.push(content);
    attachmentContentIds.push(contentIdFrom(attachment.cid));
    return {
      filename: sanitizeFilename(attachment.filename, index + 1),
      contentType: truncate(oneLine(attachment.contentType || 'application/octet-stream'), 255).toLowerCase(),
      size: typeof attachment.size === 'number' ? attachment.size : content.length,
      inline: (attachment.contentDisposition ?? '').toLowerCase() === 'inline' || attachment.related === true,
    };
  });

  const parsed: ParsedEmail = {
    messageId: messageIdFrom(mail.messageId),
    subject,
    shortDescription: shortDescriptionFrom(subject, description),
    description,
    from,
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    inReplyTo: messageIdFrom(mail.inReplyTo),
    references: referencesFrom(mail.references),
    kind: classifyMailKind({ headers, fromAddress: from?.address ?? null, contentType, subject, body: description.slice(0, MAIL_KIND_BODY_CHARS) }),
    attachments,
  };
  const bodies = { text: typeof mail.text === 'string' ? mail.text : null, html: typeof mail.html === 'string' ? mail.html : null };
  const fromMailboxes = flattenAddresses(mail.from)
    .slice(0, MAX_FROM_MAILBOXES)
    .map((entry) => asciiDomain(truncate(oneLine(entry.address ?? ''), 300)));
  return {
    parsed,
    attachmentContents,
    attachmentContentIds,
    headerVerdicts: headerVerdictsFrom(headers),
    authenticatedDomains: authenticatedDomainsFrom(headers),
    bodies,
    headers: boundedHeaders(headers),
    fromMailboxes,
    fromHeaders: (headers['from'] ?? []).slice(0, MAX_FROM_MAILBOXES).map((value) => value.slice(0, FROM_HEADER_CHARS_MAX + 1)),
    // mailparser puts a message/delivery-status part into the text; the returned message is an attachment.
    deliveryReport:
      parsed.kind === 'bounce'
        ? readDeliveryReport(typeof mail.text === 'string' ? mail.text : null, (mail.attachments ?? []).map((a) => ({ contentType: a.contentType ?? '', content: Buffer.isBuffer(a.content) ? a.content : Buffer.alloc(0) })))
        : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Raw 8-bit text that mailparser would turn into U+FFFD

/** What undeclared 8-bit text most likely is: ISO-8859-1 as mail clients actually write it. */
const FALLBACK_CHARSET = 'windows-1252';

function hasEightBit(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return true;
  return false;
}

/** A TextDecoder for a declared charset when it is ASCII-compatible and known; the fallback otherwise. */
function decoderFor(charset: string | undefined): TextDecoder {
  const label = (charset ?? '').trim().toLowerCase();
  if (label && !/^(utf-?8|utf-?16.*|utf-?32.*|ucs-?2|unicode.*|utf-?7.*|us-?ascii|ascii|iso-?2022.*)$/.test(label)) {
    try {
      return new TextDecoder(label);
    } catch {
      // unknown label: fall through
    }
  }
  return new TextDecoder(FALLBACK_CHARSET);
}

/**
 * Repairs the two kinds of undeclared 8-bit text old and careless senders write, before mailparser
 * decodes them as UTF-8 and loses every non-ASCII character to U+FFFD:
 *  - top-level header fields with raw 8-bit bytes that are not UTF-8 (`To: "Jürgen" <...>` in Latin-1,
 *    or raw bytes inside an encoded word): bytes inside a Q encoded word are Q-encoded so they decode
 *    in the word's charset; the rest is transcoded to UTF-8 from the message's charset (or Windows-1252);
 *  - a single-part text body in raw 8-bit that is not UTF-8 and declares no charset (or US-ASCII):
 *    the charset is declared as Windows-1252.
 * Header fields that are ASCII or valid UTF-8, nested parts and encoded bodies are left alone.
 */
export function repairRawEncoding(raw: Buffer): Buffer {
  const lf2 = raw.indexOf('\n\n');
  const crlf2 = raw.indexOf('\n\r\n');
  const blank = lf2 < 0 ? crlf2 : crlf2 < 0 ? lf2 : Math.min(lf2, crlf2);
  const headEnd = blank < 0 ? raw.length : blank + 1; // header block ends after the last field's newline
  const head = raw.subarray(0, headEnd);
  const rest = raw.subarray(headEnd);
  const bodyStart = blank < 0 ? raw.length : raw[blank + 1] === 0x0d ? blank + 3 : blank + 2;
  const body = raw.subarray(Math.min(bodyStart, raw.length));

  // Split the header block into fields (a line starting with space or tab continues the field).
  const fields: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0x0a) continue;
    const next = head[i + 1];
    if (i + 1 >= head.length || (next !== 0x20 && next !== 0x09)) {
      fields.push(head.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < head.length) fields.push(head.subarray(start));

  const fieldText = (name: string): string | undefined => {
    const field = fields.find((f) => f.toString('latin1', 0, name.length + 1).toLowerCase() === `${name}:`);
    return field?.toString('latin1').slice(name.length + 1).replace(/\r?\n[ \t]/g, ' ').trim();
  };
  const contentType = fieldText('content-type');
  const charset = contentType ? /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;

  let changed = false;
  const repaired = fields.map((field) => {
    if (!hasEightBit(field) || isUtf8(field)) return field;
    changed = true;
    const text = field
      .toString('latin1')
      .replace(/=\?([^?\s]+)\?([Qq])\?([^?]*)\?=/g, (_m, cs: string, enc: string, word: string) => {
        const encoded = word.replace(/[\x80-\xff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
        return `=?${cs}?${enc}?${encoded}?=`;
      });
    const bytes = Buffer.from(text, 'latin1');
    return hasEightBit(bytes) ? Buffer.from(decoderFor(charset).decode(bytes), 'utf8') : bytes;
  });

  // The body: only a single-part text body sent as raw 8-bit without a usable charset.
  const type = (contentType ?? 'text/plain').split(';')[0].trim().toLowerCase();
  const cte = (fieldText('content-transfer-encoding') ?? '').toLowerCase();
  const undeclared = !charset || /^(us-?ascii|ascii)$/i.test(charset);
  const hasHeaderBlock = head.length > 0 && head[0] !== 0x0a && head[0] !== 0x0d;
  if (
    hasHeaderBlock &&
    type.startsWith('text/') &&
    !['quoted-printable', 'base64'].includes(cte) &&
    undeclared &&
    hasEightBit(body) &&
    !isUtf8(body)
  ) {
    changed = true;
    const index = repaired.findIndex((f) => f.toString('latin1', 0, 13).toLowerCase() === 'content-type:');
    if (index < 0) {
      const newline = head.includes('\r\n') ? '\r\n' : '\n';
      repaired.push(Buffer.from(`Content-Type: text/plain; charset=${FALLBACK_CHARSET}${newline}`, 'latin1'));
    } else {
      const field = repaired[index].toString('latin1');
      const withCharset = charset
        ? field.replace(/charset\s*=\s*"?(us-?ascii|ascii)"?/i, `charset=${FALLBACK_CHARSET}`)
        : field.replace(/(\r?\n)?$/, (nl) => `; charset=${FALLBACK_CHARSET}${nl}`);
      repaired[index] = Buffer.from(withCharset, 'latin1');
    }
  }
  return changed ? Buffer.concat([...repaired, rest]) : raw;
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Lower-cased header name -> unfolded raw values, every occurrence, topmost first. */
export function buildHeaderMap(headerLines: HeaderLines): Record<string, string[]> {
  const map: Record<string, string[]> = Object.create(null);
  for (const { key, line } of headerLines) {
    const name = String(key ?? '').trim().toLowerCase();
    if (!name) continue;
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : '').replace(/\r?\n(?=[ \t])/g, '').replace(/\r|\n/g, ' ').trim();
    (map[name] ??= []).push(value);
  }
  return map;
}


// ---------------------------------------------------------------------------------------------
// Addresses and ids

/** More From mailboxes than this are not looked at: one is all a sender may name. */
const MAX_FROM_MAILBOXES = 10;

function flattenAddresses(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: EmailAddress[] = [];
  const visit = (entry: EmailAddress) => {
    if (Array.isArray(entry.group)) entry.group.forEach(visit);
    else out.push(entry);
  };
  for (const object of objects) (object?.value ?? []).forEach(visit);
  return out;
}

function toAddress(entry: EmailAddress): Address | null {
  const address = asciiDomain(oneLine(entry.address ?? '').replace(/\s+/g, '').toLowerCase());
  if (!address) return null;
  return { address, name: truncate(oneLine(entry.name ?? ''), MAX_NAME_CHARS) };
}

/**
 * 'jörg@münchen.example' -> 'jörg@xn--mnchen-3ya.example': mailparser decodes punycode domains, while SES
 * checks (and writes header.from in) the ASCII form; the address is compared and mailed in that form.
 */
function asciiDomain(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0 || /^[\x00-\x7f]*$/.test(address.slice(at + 1))) return address;
  const ascii = domainToASCII(address.slice(at + 1));
  return ascii ? address.slice(0, at + 1) + ascii : address;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): Address | null {
  for (const entry of flattenAddresses(value)) {
    const address = toAddress(entry);
    if (address) return address;
  }
  return null;
}

function addressList(value: AddressObject | AddressObject[] | undefined): Address[] {
  return flattenAddresses(value)
    .map(toAddress)
    .filter((a): a is Address => a !== null);
}

const MSG_ID = /<[^<>\s]+>/g;

/** '<a@b>' as mailparser gives it; the first bracketed id when the header holds more (or junk after it). */
function messageIdFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const line = oneLine(value);
  const ids = line.match(MSG_ID);
  const id = ids ? ids[0] : line;
  if (!id || id === '<>' || id.length > MAX_MESSAGE_ID_CHARS) return null;
  return id;
}

function referencesFrom(value: unknown): string[] {
  const list = (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).filter((v): v is string => typeof v === 'string');
  const ids: string[] = [];
  for (const item of list) {
    const line = oneLine(item);
    const found = line.match(MSG_ID);
    for (const id of found ?? (line ? [line] : [])) {
      if (id.length <= MAX_MESSAGE_ID_CHARS && id !== '<>' && !/\s/.test(id)) ids.push(id);
    }
  }
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0], ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

// ---------------------------------------------------------------------------------------------
// Body

const HTML_ELLIPSIS = '...';

const HTML_OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  // Deeper nesting than mailparser itself allows would overflow the converter's stack.
  limits: { maxDepth: 1000, maxInputLength: MAX_HTML_CHARS, ellipsis: HTML_ELLIPSIS },
  selectors: [
    { selector: 'head', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'iframe', format: 'skip' },
    { selector: 'object', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    // Images would bring data: URLs and tracking pixels; their alt text is rarely worth it.
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', options: { uppercaseHeaderCells: false } },
  ],
};

/** HTML -> plain text for a description: no script or style content, links as 'text [url]'. */
export function htmlToPlainText(html: string): string {
  const input = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  let text: string | null = null;
  try {
    text = htmlToText(input, HTML_OPTIONS);
  } catch {
    // The converter gave up (pathological markup): use the crude strip below.
  }
  // Content nested deeper than maxDepth comes out as the ellipsis alone: strip crudely instead.
  if (text !== null && text.trim() !== HTML_ELLIPSIS) return text;
  return crudeHtmlStrip(input);
}

/** Tags out, script/style/head content out, a few entities decoded. Only for markup the converter refuses. */
function crudeHtmlStrip(html: string): string {
  return html
    .replace(/<(script|style|head|template|svg)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?(p|div|br|tr|li|h[1-6]|table|blockquote)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#0*39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n');
}

function buildDescription(text: string | undefined, html: string | false | undefined, maxChars: number): string {
  let body = typeof text === 'string' ? clean(text) : '';
  if (!body && typeof html === 'string' && html.trim()) {
    // Skipped images and empty blocks leave runs of blank lines behind: one blank line is enough.
    // &nbsp; decodes to U+00A0, which only makes searching and parsing rules harder in plain text.
    body = clean(htmlToPlainText(html).replace(/\u00a0/g, ' '))
      .split('\n')
      .map(trimTrailingBlanks)
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
  }
  if (body.length <= maxChars) return body;
  let cut = maxChars;
  const code = body.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  return `${body.slice(0, cut).trimEnd()}\n\n${truncationMarker(maxChars)}`;
}

/** At most 200 header names, 20 occurrences each, 2000 characters a value, all on one line. */
function boundedHeaders(headers: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers)
      .slice(0, 200)
      .map(([name, values]) => [name, values.slice(0, 20).map((v) => truncate(oneLine(v), 2000))]),
  );
}

/** Spaces and tabs off the end of a line, in linear time (the regex /[ \t]+\n/ is quadratic on long runs). */
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return end === line.length ? line : line.slice(0, end);
}

function clean(text: string): string {
  // One newline convention; no NUL (PostgreSQL text rejects it) and no other control characters but
  // tab and newline (an ESC would reach an operator's terminal through the CLI).
  return (
    wellFormed(text)
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
      .trim()
  );
}

// ---------------------------------------------------------------------------------------------
// Attachments

/** A Content-ID as a cid: URL names it: one line, no <>, at most MAX_MESSAGE_ID_CHARS; null when there is none. */
function contentIdFrom(cid: unknown): string | null {
  if (typeof cid !== 'string') return null;
  const id = oneLine(cid).replace(/^<|>$/g, '');
  return id && id.length <= MAX_MESSAGE_ID_CHARS ? id : null;
}

/** A file name safe to show and to use in a storage key: no path, no control characters, at most 200 characters. */
export function sanitizeFilename(filename: string | undefined | null, position: number): string {
  let name = wellFormed(String(filename ?? ''));
  // No path: keep what follows the last separator (either kind).
  name = name.split(/[\\/]/).pop() ?? '';
  // No control characters, no bidi overrides (the 'txt.exe' that displays as 'exe.txt' trick), no line separators.
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g, '');
  name = name.replace(/\s+/g, ' ').trim();
  if (/^\.*$/.test(name)) return `attachment-${position}`;
  const chars = Array.from(name);
  if (chars.length > MAX_FILENAME_CHARS) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
    if (ext.length > 1 && ext.length <= 16) {
      name = chars.slice(0, MAX_FILENAME_CHARS - ext.length).join('') + ext.join('');
    } else {
      name = chars.slice(0, MAX_FILENAME_CHARS).join('');
    }
  }
  return name;
}
