// The header block of a message being sent, read the way an SES event shows it: `headers` in order
// ({name, value}, unfolded) and `commonHeaders`. The message is whatever a client sent: only its first
// bytes are looked at, at most MAX_HEADERS headers are kept, and the list is cut at MAX_HEADER_BYTES
// (SES too marks headers over 10 KB as truncated rather than publishing them all).
import { SesCommonHeaders, SesHeader } from './ses-events';

/** Bytes scanned for the end of the header block. */
export const MAX_HEADER_BLOCK_BYTES = 64 * 1024;
export const MAX_HEADERS = 100;
/** What the `headers` list may hold in all (names and values). */
export const MAX_HEADER_BYTES = 10 * 1024;
/** Addresses kept per address header. */
const MAX_ADDRESSES = 50;

export interface ParsedHeaders {
  headers: SesHeader[];
  headersTruncated: boolean;
  commonHeaders: Omit<SesCommonHeaders, 'messageId'>;
}

export function parseHeaderBlock(raw: Buffer): ParsedHeaders {
  const text = raw.subarray(0, MAX_HEADER_BLOCK_BYTES).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  // No blank line in the scanned part: what came is all header (or the block is longer than we read).
  let truncated = end < 0 && raw.length > MAX_HEADER_BLOCK_BYTES;
  const block = end < 0 ? text : text.slice(0, end);
  const all: SesHeader[] = [];
  for (const line of block.split(/\r?\n(?![ \t])/)) {
    if (all.length >= MAX_HEADERS) {
      truncated = true;
      break;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    // Unfolding removes the line breaks only; raw UTF-8 in a header is read as UTF-8.
    all.push({ name, value: Buffer.from(line.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').trim(), 'latin1').toString('utf8') });
  }
  const headers: SesHeader[] = [];
  let bytes = 0;
  for (const h of all) {
    bytes += h.name.length + h.value.length;
    if (bytes > MAX_HEADER_BYTES) {
      truncated = true;
      break;
    }
    headers.push(h);
  }
  return { headers, headersTruncated: truncated, commonHeaders: commonHeadersOf(all) };
}

export function commonHeadersOf(headers: SesHeader[]): Omit<SesCommonHeaders, 'messageId'> {
  const first = (name: string) => headers.find((h) => h.name.toLowerCase() === name)?.value;
  const list = (name: string) => {
    const value = first(name);
    return value === undefined ? undefined : splitAddressList(value);
  };
  const common: Omit<SesCommonHeaders, 'messageId'> = { from: list('from') ?? [], to: list('to') ?? [] };
  const cc = list('cc');
  if (cc) common.cc = cc;
  const replyTo = list('reply-to');
  if (replyTo) common.replyTo = replyTo;
  const date = first('date');
  if (date !== undefined) common.date = date;
  const subject = first('subject');
  if (subject !== undefined) common.subject = decodeEncodedWords(subject);
  return common;
}

/** "A <a@x>, \"B, C\" <b@x>" -> each address as written: commas inside quotes or <> do not split. */
export function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length && out.length < MAX_ADDRESSES; i++) {
    const c = value[i];
    if (c === '\\' && quoted) {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') angle = true;
    else if (!quoted && c === '>') angle = false;
    if (c === ',' && !quoted && !angle) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim() && out.length < MAX_ADDRESSES) out.push(current.trim());
  return out;
}

/** The bare address of "Name <a@x>" or "a@x", lower-cased; null when there is none. */
export function bareAddress(mailbox: string): string | null {
  const inAngle = /<([^<>\s]+@[^<>\s]+)>/.exec(mailbox);
  const address = inAngle ? inAngle[1] : mailbox.trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address.toLowerCase() : null;
}

const ENCODED_WORD = /=\?([^?\s]{1,40})\?([bBqQ])\?([^?\s]*)\?=/g;

/** RFC 2047 encoded words (=?UTF-8?Q?...?=) decoded, as SES shows the subject; an unknown charset stays as written. */
export function decodeEncodedWords(value: string): string {
  // Whitespace between two encoded words is not part of the text.
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    try {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return new TextDecoder(charset.split('*')[0]).decode(bytes);
    } catch {
      return word;
    }
  });
}
