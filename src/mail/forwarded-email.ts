// The email forwarded in an email, found by the parse for every email (whether it counts, only for an
// authenticated agent, is the decision's: domain/agent-forward): a message/rfc822 attachment ("forward as
// attachment"), else a forward written into the text (mail/inline-forward). The original sender must be
// exactly one valid mailbox and not ours; otherwise `from` is null and `problem` says why.
import { asksToNotify, forwardShortDescription, originalSenderRefusal } from '../domain/agent-forward';
import { normaliseAddress } from '../domain/participants';
import { forwardedSenderProblem, senderProblem } from '../domain/sender-mailbox';
import { oneLine, truncate } from '../domain/short-description';
import { summaryFrom } from '../domain/summary-bounds';
import type { Address, ForwardSummary } from '../domain/types';
import { findInlineForward } from './inline-forward';
import { MAX_NAME_CHARS, MAX_SUBJECT_CHARS, parseEmail, type ParsedMail } from './parse-email';

/** What the parse stores of a forward (in S3, beside the whole parse); the summary carries the rest. */
export interface StoredForward extends ForwardSummary {
  /** The original's text: the incident's description. */
  description: string;
  /** What the forwarder wrote: kept as the incident's first comment. */
  note: string;
}

/** A problem quotes a parser's message at most: bounded like any text in the summary. */
const PROBLEM_CHARS_MAX = 300;

interface Original {
  from: Address | null;
  problem: string | null;
  subject: string | null;
  description: string;
  note: string;
  messageId: string | null;
}

/** The forward in this email, or null when it holds none. */
export async function findForward(mail: ParsedMail, ticketAddress: string): Promise<StoredForward | null> {
  const { parsed } = mail;
  const attached = parsed.attachments.flatMap((a, i) => (a.contentType === 'message/rfc822' ? [mail.attachmentContents[i]] : []));
  const original = attached.length > 0 ? await attachedOriginal(attached, parsed.description) : inlineOriginal(parsed.description, parsed.subject);
  if (!original) return null;
  const refusal = original.from ? originalSenderRefusal(original.from.address, ticketAddress) : null;
  const from = refusal ? null : summaryFrom(original.from);
  const subject = truncate(oneLine(original.subject ?? ''), MAX_SUBJECT_CHARS);
  return {
    form: attached.length > 0 ? 'attached' : 'inline',
    from,
    problem: from ? null : truncate(refusal ?? original.problem ?? 'the forwarded message names no sender', PROBLEM_CHARS_MAX),
    // Only the forwarder's own words ask: the customer's text cannot make us mail anyone.
    notify: asksToNotify([parsed.subject, original.note]),
    subject,
    shortDescription: forwardShortDescription(subject, parsed.subject, original.description),
    messageId: original.messageId,
    description: original.description,
    note: original.note,
  };
}

/** The attached message, read like any email (its From judged by the same one-mailbox rule). */
async function attachedOriginal(attached: Buffer[], note: string): Promise<Original> {
  const none = { subject: null, description: '', note, messageId: null, from: null };
  if (attached.length > 1) return { ...none, problem: `the email forwards ${attached.length} messages, not one` };
  let original: ParsedMail;
  try {
    original = await parseEmail(attached[0]);
  } catch (err) {
    return { ...none, problem: `the forwarded message cannot be read: ${(err as Error).message}` };
  }
  const problem = senderProblem({ mailboxes: original.fromMailboxes, values: original.fromHeaders }) ?? (original.parsed.from ? null : 'the forwarded message names no sender');
  return {
    from: problem ? null : original.parsed.from,
    problem,
    subject: original.parsed.subject,
    description: original.parsed.description,
    note,
    messageId: original.parsed.messageId,
  };
}

function inlineOriginal(text: string, subject: string): Original | null {
  let found;
  try {
    found = findInlineForward(text, subject);
  } catch {
    // The library gave up on this text: it is read as no forward, and the email goes on as it is.
    return null;
  }
  if (!found) return null;
  const problem = forwardedSenderProblem(found.from, found.fromLine);
  const address = problem ? null : normaliseAddress(found.from?.address);
  return {
    from: address ? { address, name: truncate(oneLine(found.from?.name ?? ''), MAX_NAME_CHARS) } : null,
    problem,
    subject: found.subject,
    description: found.body,
    note: found.note,
    messageId: null,
  };
}
