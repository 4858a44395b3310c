// A bounce's delivery report, read into a small bounded record (types.ts DeliveryReport): which mail it
// returns (the Message-ID of the original) and, per recipient, what happened to it.
//   - RFC 3464: the message/delivery-status part's per-recipient fields (Final-Recipient, Action, Status,
//     Diagnostic-Code). mailparser hands that part over as body text, after the human-readable part, so
//     the fields are read from the text: a group starts at a Final-Recipient line and ends at a blank line.
//   - Non-standard bounces (qmail, Exim, older Postfix, ...): '<user@host>: <the remote answer>' (qmail,
//     Postfix) or an indented address alone on its line followed by the indented answer (Exim).
//   - The original's Message-ID: from the returned message (message/rfc822, message/global) or its headers
//     (text/rfc822-headers, message/global-headers), else from headers the bounce quotes in its text.
// Written by strangers: only the first 64 KB of text and of each returned message is read, at most 5
// recipients, each value cut to one printable line; no regular expression here can backtrack.
import { boundedDetail } from '../domain/delivery-events';
import { normaliseAddress } from '../domain/participants';
import { normaliseMessageId } from '../domain/reply-detection';
import type { DeliveryReport, DeliveryReportRecipient } from '../domain/types';

/** Text and returned-message characters read. */
export const REPORT_SCAN_CHARS = 64 * 1024;
/** Recipients kept (a report of a mailing to many names them all; ours go to one). */
export const REPORT_RECIPIENTS_MAX = 5;
/** Characters of one field line looked at. */
const FIELD_CHARS_MAX = 1000;
/** Lines of a non-standard bounce's answer joined into its diagnostic. */
const ANSWER_LINES_MAX = 5;

const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);
const RETURNED_MESSAGE_TYPES: ReadonlySet<string> = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);

// One field line: a name of letters and hyphens, a colon, the value. Bounded repeats: linear.
const FIELD = /^([A-Za-z][A-Za-z-]{0,39})[ \t]*:[ \t]*(.*)$/;
// RFC 3463: class 2, 4 or 5, subject 0 to 7; not inside an IP address or a version: no digit or dot either side.
const STATUS_CODE = /(?<![\d.])([245]\.[0-7]\.\d{1,3})(?![\d.])/;
const SMTP_CODE = /\b([45]\d\d)[ -]/;
// '<user@host>: ...' (qmail, Postfix): the address has no brackets or whitespace inside.
const BRACKETED_RECIPIENT = /^<([^<>\s]{3,254})>:?[ \t]*(.*)$/;
// Exim: the address alone on an indented line.
const INDENTED_RECIPIENT = /^[ \t]{2,8}([^<>\s]{3,254})[ \t]*$/;
const QUOTED_MESSAGE_ID = /^[ \t>]*message-id[ \t]*:[ \t]*(<[^<>\s]{1,250}>)/i;

export interface ReturnedPart {
  contentType: string;
  content: Buffer;
}

/** The report of a bounce, from its body text and its attachments; null when it says nothing usable. */
export function readDeliveryReport(text: string | null | undefined, parts: readonly ReturnedPart[]): DeliveryReport | null {
  const lines = linesOf(typeof text === 'string' ? text.slice(0, REPORT_SCAN_CHARS) : '');
  const recipients = statusFields(lines);
  const originalMessageId = returnedMessageId(parts) ?? quotedMessageId(lines);
  const found = recipients.length > 0 ? recipients : textRecipients(lines);
  if (found.length === 0 && originalMessageId === null) return null;
  return { originalMessageId, recipients: found };
}

function linesOf(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line).slice(0, FIELD_CHARS_MAX));
}

/**
 * RFC 3464 per-recipient groups: blocks of field lines between blank lines, folded values (a line starting
 * with blanks) joined; a block with a Final-Recipient or Original-Recipient is a recipient's (servers
 * write its fields in any order).
 */
function statusFields(lines: string[]): DeliveryReportRecipient[] {
  const out: DeliveryReportRecipient[] = [];
  let block: Record<string, string> = {};
  let lastName: string | null = null;
  const close = () => {
    const recipient = recipientFrom(block);
    if (recipient && out.length < REPORT_RECIPIENTS_MAX && !out.some((r) => r.address === recipient.address)) out.push(recipient);
    block = {};
    lastName = null;
  };
  for (const line of lines) {
    if (out.length >= REPORT_RECIPIENTS_MAX) break;
    if (line.trim() === '') {
      close();
      continue;
    }
    if (lastName && (line.startsWith(' ') || line.startsWith('\t'))) {
      block[lastName] = `${block[lastName]} ${line.trim()}`.slice(0, FIELD_CHARS_MAX);
      continue;
    }
    const field = FIELD.exec(line);
    lastName = field ? field[1].toLowerCase() : null;
    if (field && lastName) block[lastName] ??= field[2].trim();
  }
  close();
  return out;
}

/** 'rfc822; user@example.com' -> the address (another address type, e.g. x400, gives none). */
function rfc822Address(value: string | undefined): string | null {
  if (!value) return null;
  const semicolon = value.indexOf(';');
  if (semicolon >= 0 && value.slice(0, semicolon).trim().toLowerCase() !== 'rfc822') return null;
  return normaliseAddress(semicolon >= 0 ? value.slice(semicolon + 1) : value);
}

function recipientFrom(fields: Record<string, string>): DeliveryReportRecipient | null {
  // Original-Recipient is the address as the sender gave it (ours); Final-Recipient may be an alias's target.
  const address = rfc822Address(fields['original-recipient']) ?? rfc822Address(fields['final-recipient']);
  if (!address || !('final-recipient' in fields)) return null;
  const word = (fields.action ?? '').split(/[\s;(]/)[0].toLowerCase();
  // 'failure' and 'delay' are written by a few servers for failed and delayed.
  const action = ACTIONS.has(word) ? word : word.startsWith('fail') ? 'failed' : word.startsWith('delay') ? 'delayed' : null;
  const status = STATUS_CODE.exec(fields.status ?? '')?.[1] ?? null;
  return {
    address,
    action: action as DeliveryReportRecipient['action'],
    status,
    // Without a Diagnostic-Code, a Status that is more than a code ('553 Exceeded maximum size') says why.
    diagnostic: boundedDetail(fields['diagnostic-code']) ?? (status === null ? (boundedDetail(fields.status) ?? null) : null),
  };
}

/** A non-standard bounce's failed recipients and the answers it quotes for them. */
function textRecipients(lines: string[]): DeliveryReportRecipient[] {
  const out: DeliveryReportRecipient[] = [];
  for (let i = 0; i < lines.length && out.length < REPORT_RECIPIENTS_MAX; i++) {
    const bracketed = BRACKETED_RECIPIENT.exec(lines[i]);
    const indented = bracketed ? null : INDENTED_RECIPIENT.exec(lines[i]);
    const address = normaliseAddress((bracketed ?? indented)?.[1] ?? null);
    if (!address || out.some((r) => r.address === address)) continue;
    // The answer: the rest of the line, then the following non-blank lines (Exim's are indented).
    const answer = bracketed?.[2] ? [bracketed[2]] : [];
    let j = i + 1;
    for (; j < lines.length && answer.length < ANSWER_LINES_MAX && lines[j].trim() !== ''; j++) {
      if (indented && !/^[ \t]/.test(lines[j])) break;
      answer.push(lines[j].trim());
    }
    if (answer.length === 0) continue;
    i = j - 1;
    const diagnostic = boundedDetail(answer.join(' ')) ?? null;
    const status = diagnostic ? (STATUS_CODE.exec(diagnostic)?.[1] ?? null) : null;
    const smtp = diagnostic ? (SMTP_CODE.exec(diagnostic)?.[1] ?? null) : null;
    const code = status ?? smtp;
    // Only a code says permanent or temporary; a bounce without one is neither (the caller says Undetermined).
    const action = code?.startsWith('5') ? 'failed' : code?.startsWith('4') ? 'delayed' : null;
    out.push({ address, action, status, diagnostic });
  }
  return out;
}

/** The Message-ID in the header block of the first returned message (or headers part) that has one. */
function returnedMessageId(parts: readonly ReturnedPart[]): string | null {
  for (const part of parts.slice(0, 10)) {
    if (!RETURNED_MESSAGE_TYPES.has(part.contentType.toLowerCase())) continue;
    const head = part.content.subarray(0, REPORT_SCAN_CHARS).toString('utf8');
    const end = head.search(/\r?\n\r?\n/);
    // Folded header lines are unfolded ('Message-ID:\n <id>').
    const id = quotedMessageId(linesOf((end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ')), true);
    if (id) return id;
  }
  return null;
}

/** A 'Message-ID: <...>' line (quoted headers may be indented or '>'-quoted); headers only: the header line itself. */
function quotedMessageId(lines: string[], headerBlock = false): string | null {
  for (const line of lines) {
    const match = headerBlock ? /^message-id[ \t]*:[ \t]*(<[^<>\s]{1,250}>)/i.exec(line) : QUOTED_MESSAGE_ID.exec(line);
    if (match) return normaliseMessageId(match[1]);
  }
  return null;
}
