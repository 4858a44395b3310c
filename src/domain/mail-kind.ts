// Is this mail from a person, or from a machine that must never get an auto-response?
// Pure: no Node built-ins, no I/O. The parse activity and the CLI call it (the verdict travels in the
// email's summary as `kind`).
//
// The rules (docs/reply-detection.md, "Automated mail") are small modules of mail-kind/, one per family,
// tried in this fixed order; the first that recognises the mail decides:
//   1. feedback-report.ts     ARF reports (multipart/report; report-type=feedback-report)      -> bounce
//   2. challenge-response.ts  Boxbe, Bluebottle, BoxTrapper, TMDA, ... challenges               -> auto-reply
//   3. delivery-report.ts     RFC 3464 reports, other multipart/report, mailer-daemon@ and
//                             postmaster@ senders, bounce subjects with a null sender or a
//                             mail server's text                                               -> bounce
//   4. auto-reply.ts          RFC 3834 Auto-Submitted, X-Autoreply, X-Autorespond, Precedence:
//                             auto_reply, X-MS-Exchange-Inbox-Rules-Loop, our loop header,
//                             auto-reply subjects, Return-Path <>                              -> auto-reply
//   5. bulk.ts                Precedence bulk|junk|list, List-Id, List-Unsubscribe, noreply@    -> bulk
//   otherwise human.
// Header names and values are compared case-insensitively; everything read is bounded (facts.ts), and
// no rule uses a regular expression on mail text: phrases are compared with startsWith / includes.
import type { MailKind } from './types';
import { LOOP_HEADER, mailFacts, type MailKindRule, type MailKindVerdict } from './mail-kind/facts';
import { feedbackReport } from './mail-kind/feedback-report';
import { challengeResponse } from './mail-kind/challenge-response';
import { deliveryReport } from './mail-kind/delivery-report';
import { autoReply } from './mail-kind/auto-reply';
import { bulk } from './mail-kind/bulk';

export { LOOP_HEADER };
export type { MailKindVerdict };

export interface MailKindInput {
  /** Header name (lower case) -> raw values, every occurrence, topmost first. */
  headers: Record<string, string[]>;
  /** The From address, if any. */
  fromAddress: string | null;
  /** The top-level Content-Type with its parameters, e.g. 'multipart/report; report-type=delivery-status'. */
  contentType: string;
  /** The decoded subject (only its first 200 characters are read). */
  subject?: string | null;
  /** The text of the body (only its first 1000 characters are read). */
  body?: string | null;
}

/** The rule families, in the order they are tried. */
export const MAIL_KIND_RULES: readonly MailKindRule[] = [feedbackReport, challengeResponse, deliveryReport, autoReply, bulk];

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
  const facts = mailFacts({ headers: input.headers, fromAddress: input.fromAddress, contentType: input.contentType, subject: input.subject, bodyStart: input.body });
  for (const rule of MAIL_KIND_RULES) {
    const verdict = rule(facts);
    if (verdict) return verdict;
  }
  return { kind: 'human', reason: null };
}
