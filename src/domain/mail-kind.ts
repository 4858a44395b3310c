// Is this mail from a person, or from a machine that must never get an auto-response?
// Pure: no Node built-ins, no I/O. The workflow, the activities and the CLI all call it.
//
// The rules (docs/reply-detection.md, "Automated mail"), header names and values
// compared case-insensitively, first match wins in this order:
//   bounce      top-level multipart/report (delivery-status or any other report type), a sender
//               whose local part is mailer-daemon or postmaster, Return-Path <> with a report
//   auto-reply  Auto-Submitted other than "no", X-Autoreply, X-Autorespond, X-Auto-Response-Suppress,
//               Precedence: auto_reply, our own loop header coming back, Return-Path <> without a report
//   bulk        Precedence: bulk|junk|list, List-Id, List-Unsubscribe, noreply-style senders
//   human       everything else
import type { MailKind } from './types';
import { oneLine, truncate } from './short-description';

/** The header we put on every mail we send; seeing it on inbound mail means a mail loop. */
export const LOOP_HEADER = 'X-Email-To-Ticket-Loop';

export interface MailKindInput {
  /** Header name (lower case) -> raw values, every occurrence, topmost first. */
  headers: Record<string, string[]>;
  /** The From address, if any. */
  fromAddress: string | null;
  /** The top-level Content-Type with its parameters, e.g. 'multipart/report; report-type=delivery-status'. */
  contentType: string;
}

export interface MailKindVerdict {
  kind: MailKind;
  /** Why the mail is automated (bounce, auto-reply or bulk); null for a human. */
  reason: string | null;
}

const BOUNCE_SENDERS = new Set(['mailer-daemon', 'postmaster']);
const NOREPLY_SENDERS = new Set(['noreply', 'no-reply', 'donotreply', 'do-not-reply']);
const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list']);
const REASON_VALUE_MAX = 60;

/** Classifies a mail as human, auto-reply, bounce or bulk. */
export function classifyMailKind(input: MailKindInput): MailKind {
  return classifyMail(input).kind;
}

/** A short human reason why the mail is automated ('Auto-Submitted: auto-replied', 'delivery-status report', ...), or null for a human. */
export function automatedReason(input: MailKindInput): string | null {
  return classifyMail(input).reason;
}

/** Kind and reason in one pass. */
export function classifyMail(input: MailKindInput): MailKindVerdict {
  const headers = lowerCaseKeys(input.headers ?? {});
  const values = (name: string): string[] => headers[name] ?? [];
  const has = (name: string): boolean => values(name).length > 0;

  const { type, reportType } = parseContentType(input.contentType ?? '');
  const isReport = type === 'multipart/report';
  const local = localPart(input.fromAddress);
  // Return-Path is a trace header written by the receiving server on top; a copy further down was
  // written by the sender, so only the topmost one counts.
  const returnPath = values('return-path')[0];
  const nullReturnPath = returnPath !== undefined && /^<\s*>$/.test(returnPath.trim());

  // Bounces
  if (isReport) {
    if (reportType === 'delivery-status') return { kind: 'bounce', reason: 'delivery-status report' };
    return { kind: 'bounce', reason: reportType ? `multipart/report (${show(reportType)})` : 'multipart/report' };
  }
  if (local !== null && BOUNCE_SENDERS.has(local)) return { kind: 'bounce', reason: `sender ${local}@…` };

  // Auto-replies
  for (const value of values('auto-submitted')) {
    const token = firstToken(value);
    if (token !== 'no') return { kind: 'auto-reply', reason: `Auto-Submitted: ${show(token || '(empty)')}` };
  }
  if (has('x-autoreply')) return { kind: 'auto-reply', reason: 'X-Autoreply header' };
  if (has('x-autorespond')) return { kind: 'auto-reply', reason: 'X-Autorespond header' };
  if (has('x-auto-response-suppress')) return { kind: 'auto-reply', reason: 'X-Auto-Response-Suppress header' };
  const precedences = values('precedence').map(firstToken);
  if (precedences.includes('auto_reply')) return { kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (has(LOOP_HEADER.toLowerCase())) return { kind: 'auto-reply', reason: `our own ${LOOP_HEADER} header (mail loop)` };
  if (nullReturnPath) return { kind: 'auto-reply', reason: 'Return-Path: <>' };

  // Bulk
  const bulkPrecedence = precedences.find((p) => BULK_PRECEDENCE.has(p));
  if (bulkPrecedence) return { kind: 'bulk', reason: `Precedence: ${bulkPrecedence}` };
  if (has('list-id')) return { kind: 'bulk', reason: 'List-Id header' };
  if (has('list-unsubscribe')) return { kind: 'bulk', reason: 'List-Unsubscribe header' };
  if (local !== null && NOREPLY_SENDERS.has(local)) return { kind: 'bulk', reason: `sender ${local}@…` };

  return { kind: 'human', reason: null };
}

function lowerCaseKeys(headers: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, raw] of Object.entries(headers)) {
    const key = name.trim().toLowerCase();
    const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [String(raw)];
    out[key] = (out[key] ?? []).concat(list.map((v) => String(v)));
  }
  return out;
}

/** 'auto-replied; owner-email="x@y"' -> 'auto-replied'; lower case, comments dropped. */
function firstToken(value: string): string {
  return stripComments(value).split(';')[0].trim().toLowerCase();
}

function stripComments(value: string): string {
  // Comments do not nest deeply in practice; a bounded number of passes removes the innermost first.
  let out = value;
  for (let i = 0; i < 5 && out.includes('('); i++) out = out.replace(/\([^()]*\)/g, ' ');
  return out;
}

function parseContentType(contentType: string): { type: string; reportType: string | null } {
  const parts = stripComments(contentType).split(';');
  const type = parts[0].trim().toLowerCase();
  let reportType: string | null = null;
  for (const param of parts.slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'report-type') continue;
    reportType = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/s, '$1')
      .trim()
      .toLowerCase();
  }
  return { type, reportType };
}

/** The local part of an address, lower case, without a +tag: 'MAILER-DAEMON+x@host' -> 'mailer-daemon'. */
function localPart(address: string | null): string | null {
  if (!address) return null;
  const trimmed = address.trim().replace(/^<|>$/g, '');
  const at = trimmed.lastIndexOf('@');
  const local = (at >= 0 ? trimmed.slice(0, at) : trimmed).replace(/^"(.*)"$/s, '$1').toLowerCase();
  const plus = local.indexOf('+');
  const base = plus > 0 ? local.slice(0, plus) : local;
  return base || null;
}

/** Attacker-controlled text in a reason: one line, bounded. */
function show(value: string): string {
  return truncate(oneLine(value), REASON_VALUE_MAX);
}
