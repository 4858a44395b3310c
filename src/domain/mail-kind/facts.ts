// What the automated-mail rules (this folder, run in order by ../mail-kind.ts) read of a mail: computed
// once, normalised, and bounded, since every part of it is attacker-controlled.
// Pure: no Node built-ins, no I/O.
import type { MailKind } from '../types';
import { oneLine, truncate } from '../short-description';

/** The header we put on every mail we send; seeing it on inbound mail means a mail loop. */
export const LOOP_HEADER = 'X-Email-To-Ticket-Loop';

/** Subject characters the rules look at (every subject phrase they know sits at its start). */
export const SUBJECT_CHARS_MAX = 200;
/** Body characters the rules look at: MTA texts stand in the first lines of a bounce. */
export const BODY_CHARS_MAX = 1000;
/** Header values looked at per header name (real mail has one or two). */
const VALUES_PER_HEADER_MAX = 20;
/** Characters of one header value looked at. */
const HEADER_VALUE_CHARS_MAX = 1000;
const REASON_VALUE_MAX = 60;

export interface MailKindVerdict {
  kind: MailKind;
  /** Why the mail is automated (bounce, auto-reply or bulk); null for a human. */
  reason: string | null;
}

/** One rule: a verdict when it recognises the mail, null to let the next rule look. */
export type MailKindRule = (facts: MailFacts) => MailKindVerdict | null;

export interface MailFacts {
  /** Header values by lower-cased name, topmost first (at most 20 per name, 1000 characters each). */
  values(name: string): string[];
  has(name: string): boolean;
  /** Top-level content type, lower case ('multipart/report'), and its report-type parameter. */
  contentType: string;
  reportType: string | null;
  /** The From address's local part, lower case, without a +tag; its domain, lower case. */
  fromLocal: string | null;
  fromDomain: string | null;
  /** The topmost Return-Path is <> (the receiving server wrote it: the mail was sent with a null sender). */
  nullReturnPath: boolean;
  /** The topmost Return-Path's local part, lower case (Sendmail writes a null sender as <MAILER-DAEMON@host>). */
  returnPathLocal: string | null;
  /** The subject, lower case, on one line, whitespace runs as one space, trimmed, at most 200 characters. */
  subject: string;
  /** The start of the body, normalised as the subject, at most 1000 characters. */
  bodyStart: string;
  /** First tokens of the Precedence headers, lower case. */
  precedences: string[];
}

export interface MailFactsInput {
  headers: Record<string, string[]>;
  fromAddress: string | null;
  contentType: string;
  subject?: string | null;
  bodyStart?: string | null;
}

export function mailFacts(input: MailFactsInput): MailFacts {
  const headers = lowerCaseKeys(input.headers ?? {});
  const values = (name: string): string[] => headers[name] ?? [];
  const { type, reportType } = parseContentType(String(input.contentType ?? '').slice(0, HEADER_VALUE_CHARS_MAX));
  const { local, domain } = addressParts(input.fromAddress);
  // Return-Path is a trace header written by the receiving server on top; a copy further down was
  // written by the sender, so only the topmost one counts.
  const returnPath = values('return-path')[0];
  return {
    values,
    has: (name) => values(name).length > 0,
    contentType: type,
    reportType,
    fromLocal: local,
    fromDomain: domain,
    nullReturnPath: returnPath !== undefined && /^<\s*>$/.test(returnPath.trim()),
    returnPathLocal: returnPath === undefined ? null : addressParts(returnPath.slice(0, 320)).local,
    subject: normaliseText(input.subject, SUBJECT_CHARS_MAX),
    bodyStart: normaliseText(input.bodyStart, BODY_CHARS_MAX),
    precedences: values('precedence').map(firstToken),
  };
}

/** Lower case, typographic apostrophes as ', whitespace runs as one space, trimmed; cut to max characters first. */
export function normaliseText(text: string | null | undefined, max: number): string {
  if (typeof text !== 'string') return '';
  return text
    .slice(0, max)
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first of the phrases the text starts with, or undefined. */
export function startsWithAny(text: string, phrases: readonly string[]): string | undefined {
  return phrases.find((phrase) => text.startsWith(phrase));
}

/** The first of the phrases the text contains, or undefined. */
export function includesAny(text: string, phrases: readonly string[]): string | undefined {
  return phrases.find((phrase) => text.includes(phrase));
}

/** 'auto-replied; owner-email="x@y"' -> 'auto-replied'; lower case, comments dropped. */
export function firstToken(value: string): string {
  return stripComments(value).split(';')[0].trim().toLowerCase();
}

/** Attacker-controlled text in a reason: one line, bounded. */
export function show(value: string): string {
  return truncate(oneLine(value), REASON_VALUE_MAX);
}

function lowerCaseKeys(headers: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, raw] of Object.entries(headers)) {
    const key = name.trim().toLowerCase();
    const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [String(raw)];
    const kept = out[key] ?? [];
    for (const value of list) {
      if (kept.length >= VALUES_PER_HEADER_MAX) break;
      kept.push(String(value).slice(0, HEADER_VALUE_CHARS_MAX));
    }
    out[key] = kept;
  }
  return out;
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

/** 'MAILER-DAEMON+x@Host.Example' -> { local: 'mailer-daemon', domain: 'host.example' }. */
function addressParts(address: string | null): { local: string | null; domain: string | null } {
  if (!address) return { local: null, domain: null };
  const trimmed = address.trim().slice(0, 320).replace(/^<|>$/g, '');
  const at = trimmed.lastIndexOf('@');
  const local = (at >= 0 ? trimmed.slice(0, at) : trimmed).replace(/^"(.*)"$/s, '$1').toLowerCase();
  const plus = local.indexOf('+');
  const base = plus > 0 ? local.slice(0, plus) : local;
  const domain = at >= 0 ? trimmed.slice(at + 1).toLowerCase() : '';
  return { local: base || null, domain: domain || null };
}
